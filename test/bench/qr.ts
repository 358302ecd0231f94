// QR rendering benchmarks: our SVG path and 1-bit PNG writer against the qrcode library's renderers, given the
// very same segments (byte prefix + numeric body) so that each pair draws the same symbol.
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { qrSegments, qrVersion, renderQrSvg, toQrText } from '../../shared/qr.ts';
import { renderQrPng } from '../../shared/qr-png.ts';
import { type BenchRow, opsPerSecond } from './harness.ts';

/** Deterministic base64url text standing in for a pass's encoded claims or signature. */
function base64urlText(seed: string, length: number): string {
  let text = '';
  for (let i = 0; text.length < length; i++)
    text += createHash('sha256').update(`${seed}/${i}`).digest('base64url');
  return text.slice(0, length);
}

// A pass with name, father's name, CNIC and crossing points comes to about 330 characters.
function passSizedToken(): string {
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'q3J9xL0a', typ: 'bp+jwt' })).toString(
    'base64url',
  );
  const signature = base64urlText('signature', 86);
  return `${header}.${base64urlText('payload', 330 - header.length - signature.length - 2)}.${signature}`;
}

export async function benchQrRender(): Promise<BenchRow[]> {
  const token = passSizedToken();
  const qrText = toQrText(token);
  const segments = qrSegments(token);
  // The size note compares with the same text as one plain byte segment: what a generic QR encoder would make.
  const byteSegment = [{ data: new TextEncoder().encode(qrText), mode: 'byte' as const }];
  const options = { errorCorrectionLevel: 'M', margin: 4 } as const;

  const ourVersion = qrVersion(token);
  const byteVersion = QRCode.create(byteSegment, options).version;
  const note = `${token.length}-char token: version ${ourVersion} vs ${byteVersion} as plain bytes`;

  const svgRate = await opsPerSecond(() => renderQrSvg(token));
  const svgBaseline = await opsPerSecond(() => QRCode.toString(segments, { ...options, type: 'svg' }));
  const pngRate = await opsPerSecond(() => renderQrPng(token));
  const pngBaseline = await opsPerSecond(() =>
    QRCode.toBuffer(segments, { ...options, type: 'png', scale: 6 }),
  );

  return [
    {
      name: 'render pass QR as SVG (byte prefix + numeric body)',
      value: svgRate,
      unit: 'renders/s',
      baseline: { name: 'qrcode SVG, same segments', value: svgBaseline },
      note,
    },
    {
      name: 'render pass QR as PNG, 6 px/module',
      value: pngRate,
      unit: 'renders/s',
      baseline: { name: 'qrcode PNG, same segments, 6 px/module', value: pngBaseline },
      note,
    },
  ];
}
