// QR text encoding of credentials, and that rendered codes read back exactly with our decoder and zbarimg.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QrImageError, readQrFromImage } from '../../cli/read-qr-image.ts';
import {
  fromQrText,
  QrTextError,
  qrSegments,
  qrSymbol,
  qrVersion,
  renderQrSvg,
  toQrText,
} from '../../shared/qr.ts';
import { createQrDecoder, type QrDecoder } from '../../shared/qr-decode.ts';
import { renderQrPng } from '../../shared/qr-png.ts';
import { zbarimgMissing, zbarQrTexts } from '../field/zbar.ts';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const JWS_ALPHABET = [...`${BASE64URL}.`];

/** Deterministic base64url text of a given length, standing in for encoded JSON or a signature. */
function base64urlText(seed: string, length: number): string {
  let text = '';
  for (let i = 0; text.length < length; i++)
    text += createHash('sha256').update(`${seed}/${i}`).digest('base64url');
  return text.slice(0, length);
}

/** A compact-JWS-shaped token of exactly `length` characters: real ES256 header, 64-byte signature. */
function jwsLike(length: number): string {
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'q3J9xL0a', typ: 'bp+jwt' })).toString(
    'base64url',
  );
  const signature = base64urlText('signature', 86);
  return `${header}.${base64urlText('payload', length - header.length - signature.length - 2)}.${signature}`;
}

// A pass with name, father's name, CNIC and crossing points comes to about 330 characters.
const TOKEN = jwsLike(330);

const workDir = mkdtempSync(join(tmpdir(), 'rhd-qr-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let fileCount = 0;
function writeTempFile(name: string, bytes: Uint8Array): string {
  const path = join(workDir, `${fileCount++}-${name}`);
  writeFileSync(path, bytes);
  return path;
}

const jwsLikeArbitrary = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 10, maxLength: 80 }),
    fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 10, maxLength: 500 }),
    fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 86, maxLength: 86 }),
  )
  .map((parts) => parts.join('.'));

/** The dark modules of qrcode's own matrix for a JWS, as "x,y" in viewBox units (quiet zone included). */
function libraryDarkModules(jws: string, ecl: 'M' | 'H', margin: number): Set<string> {
  const { size, data } = QRCode.create(qrSegments(jws), { errorCorrectionLevel: ecl }).modules;
  const dark = new Set<string>();
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++)
      if (data[row * size + col]) dark.add(`${col + margin},${row + margin}`);
  }
  return dark;
}

/**
 * The dark modules an SVG from renderQrSvg draws, read back from its one stroked path: each `h` is a run of
 * modules along the middle of a row. Throws on anything in the path data it does not understand.
 */
function svgDarkModules(svg: string): Set<string> {
  const paths = [...svg.matchAll(/<path stroke="#000" d="([^"]*)"\/>/g)];
  if (paths.length !== 1) throw new Error(`expected one dark path, found ${paths.length}`);
  const d = paths[0]?.[1] ?? '';
  const commands = [...d.matchAll(/([Mmh])(-?\d+(?:\.\d+)?)(?: (-?\d+(?:\.\d+)?))?/g)];
  if (commands.map((c) => c[0]).join('') !== d) throw new Error(`unexpected path data: ${d.slice(0, 80)}`);

  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of commands) {
    if (command === 'M') [x, y] = [Number(a), Number(b)];
    else if (command === 'm') [x, y] = [x + Number(a), y + Number(b)];
    else {
      const row = y - 0.5;
      if (!Number.isInteger(x) || !Number.isInteger(row))
        throw new Error(`run off the module grid at ${x},${y}`);
      for (let i = 0; i < Number(a); i++) {
        const key = `${x + i},${row}`;
        if (dark.has(key)) throw new Error(`module ${key} drawn twice`);
        dark.add(key);
      }
      x += Number(a);
    }
  }
  return dark;
}

describe('toQrText', () => {
  it('encodes "e" as 56, "." as 01, "-" as 00 and "z" as 77 after the rhd:/ prefix', () => {
    // Prepare
    const jws = 'e.-z';

    // Act
    const text = toQrText(jws);

    // Assert
    expect(text).toBe('rhd:/56010077');
  });

  it('writes exactly two digits per JWS character', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...JWS_ALPHABET) }), (jws) => {
        // Act
        const text = toQrText(jws);

        // Assert
        expect(text).toMatch(/^rhd:\/[0-9]*$/);
        expect(text.length).toBe('rhd:/'.length + 2 * jws.length);
      }),
    );
  });

  it.each([' ', '+', '{', 'é'])(
    'refuses %j rather than write a digit pair that decodes to something else',
    (bad) => {
      // Act
      const encode = () => toQrText(`eyJ${bad}x`);

      // Assert
      expect(encode).toThrow(QrTextError);
    },
  );
});

describe('fromQrText', () => {
  it('gives back the JWS for any text over the JWS alphabet', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...JWS_ALPHABET), minLength: 1 }), (jws) => {
        // Act
        const decoded = fromQrText(toQrText(jws));

        // Assert
        expect(decoded).toBe(jws);
      }),
    );
  });

  it('accepts the prefix in upper case, as some scanners send it', () => {
    // Prepare
    const text = toQrText(TOKEN).replace('rhd:/', 'RHD:/');

    // Act
    const decoded = fromQrText(text);

    // Assert
    expect(decoded).toBe(TOKEN);
  });

  it('returns a raw JWS unchanged', () => {
    // Act
    const decoded = fromQrText(TOKEN);

    // Assert
    expect(decoded).toBe(TOKEN);
  });

  it.each([
    ['CRLF', '\r\n'],
    ['LF', '\n'],
    ['CR', '\r'],
  ])('strips one trailing %s sent by a keyboard-wedge scanner', (_name, ending) => {
    // Act
    const fromNumeric = fromQrText(`${toQrText(TOKEN)}${ending}`);
    const fromRaw = fromQrText(`${TOKEN}${ending}`);

    // Assert
    expect(fromNumeric).toBe(TOKEN);
    expect(fromRaw).toBe(TOKEN);
  });

  it('strips only one line ending', () => {
    // Act
    const decode = () => fromQrText('rhd:/56\n\n');

    // Assert
    expect(decode).toThrow(QrTextError);
  });

  it('does not trim spaces around the text', () => {
    // Act
    const decode = () => fromQrText('rhd:/56 ');

    // Assert
    expect(decode).toThrow(/non-digit " "/);
  });

  it.each([
    ['an odd number of digits', 'rhd:/560', /odd number of digits \(3\)/],
    ['a digit pair above 77', 'rhd:/5678', /digit pair 78 at position 7/],
    ['letters after the prefix', 'rhd:/56ab', /non-digit "a" at position 7/],
    ['nothing after the prefix', 'rhd:/', /nothing after "rhd:\/"/],
    ['nothing after the prefix but a line ending', 'RHD:/\r\n', /nothing after "rhd:\/"/],
    ['an empty scan', '', /empty/],
  ])('rejects QR text with %s', (_case, text, message) => {
    // Act
    const decode = () => fromQrText(text);

    // Assert
    expect(decode).toThrow(QrTextError);
    expect(decode).toThrow(message);
  });
});

describe('qrSegments and qrVersion', () => {
  it('puts the prefix in byte mode and the body in numeric mode', () => {
    // Act
    const symbol = QRCode.create(qrSegments(TOKEN), { errorCorrectionLevel: 'M' });

    // Assert
    expect(symbol.segments.map((segment) => segment.mode.id)).toEqual(['Byte', 'Numeric']);
    expect(symbol.segments.map((segment) => segment.getLength())).toEqual([5, 2 * TOKEN.length]);
    expect(symbol.segments[1]?.data).toBe(toQrText(TOKEN).slice('rhd:/'.length));
  });

  it('fits a 330-character token in version 12 at M, two versions below the JWS in byte mode', () => {
    // Prepare
    const byteModeVersion = QRCode.create(
      [{ data: new TextEncoder().encode(`rhd:/${TOKEN}`), mode: 'byte' }],
      {
        errorCorrectionLevel: 'M',
      },
    ).version;

    // Act
    const version = qrVersion(TOKEN);

    // Assert
    expect(version).toBe(12);
    expect(byteModeVersion).toBe(14);
  });

  it('picks the smallest version that holds the segments', () => {
    // Prepare
    const version = qrVersion(TOKEN, 'Q');

    // Act
    const oneSmaller = () =>
      QRCode.create(qrSegments(TOKEN), { errorCorrectionLevel: 'Q', version: version - 1 });

    // Assert
    expect(oneSmaller).toThrow(/cannot contain this amount of data/);
  });
});

describe('renderQrSvg', () => {
  it('draws the symbol with a 4-module quiet zone by default', async () => {
    // Prepare
    const modules = 17 + 4 * qrVersion(TOKEN);

    // Act
    const svg = await renderQrSvg(TOKEN);

    // Assert
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain(`viewBox="0 0 ${modules + 8} ${modules + 8}"`);
  });

  it('uses the error correction level it is given', async () => {
    // Prepare
    const modulesAtH = 17 + 4 * qrVersion(TOKEN, 'H');

    // Act
    const svg = await renderQrSvg(TOKEN, { ecl: 'H', margin: 0 });

    // Assert
    expect(svg).toContain(`viewBox="0 0 ${modulesAtH} ${modulesAtH}"`);
  });

  it('draws exactly the dark modules of the matrix, black on white with crisp edges', async () => {
    // Prepare
    const expected = libraryDarkModules(TOKEN, 'M', 4);

    // Act
    const svg = await renderQrSvg(TOKEN);

    // Assert
    expect(svgDarkModules(svg)).toEqual(expected);
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg).toContain('<rect width="100%" height="100%" fill="#fff"/>');
  });

  it('draws exactly the dark modules for any JWS-shaped token, level and quiet zone', async () => {
    await fc.assert(
      fc.asyncProperty(
        jwsLikeArbitrary,
        fc.constantFrom('M' as const, 'H' as const),
        fc.integer({ min: 0, max: 6 }),
        async (jws, ecl, margin) => {
          // Prepare
          const expected = libraryDarkModules(jws, ecl, margin);

          // Act
          const svg = await renderQrSvg(jws, { ecl, margin });

          // Assert
          expect(svgDarkModules(svg)).toEqual(expected);
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('renderQrPng', () => {
  it('builds its matrix with the same core as the qrcode library', () => {
    // Prepare
    const library = QRCode.create(qrSegments(TOKEN), { errorCorrectionLevel: 'M' });

    // Act
    const symbol = qrSymbol(TOKEN);

    // Assert
    expect(symbol.version).toBe(library.version);
    expect(symbol.modules.size).toBe(library.modules.size);
    expect(Buffer.from(symbol.modules.data).equals(Buffer.from(library.modules.data))).toBe(true);
  });

  it('writes a PNG that pngjs decodes (CRCs checked) to the matrix at the given scale and quiet zone', async () => {
    // Prepare: a scale that leaves padding bits at the end of each 1-bit row
    const scale = 3;
    const margin = 2;
    const { size, data } = QRCode.create(qrSegments(TOKEN), { errorCorrectionLevel: 'M' }).modules;

    // Act
    const bytes = await renderQrPng(TOKEN, { scale, margin });
    const png = PNG.sync.read(Buffer.from(bytes));

    // Assert
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.width).toBe((size + 2 * margin) * scale);
    expect(png.height).toBe(png.width);
    expect(png.width % 8).not.toBe(0);
    const wrong: string[] = [];
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) {
        const col = Math.floor(x / scale) - margin;
        const row = Math.floor(y / scale) - margin;
        const inside = col >= 0 && col < size && row >= 0 && row < size;
        const expected = inside && data[row * size + col] ? 0 : 255;
        const at = (y * png.width + x) * 4;
        const pixel = [png.data[at], png.data[at + 1], png.data[at + 2], png.data[at + 3]];
        if (pixel.join() !== [expected, expected, expected, 255].join()) wrong.push(`${x},${y}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  let decoder: QrDecoder;
  beforeAll(async () => {
    const wasm = new URL(import.meta.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    decoder = await createQrDecoder({ wasm: { bytes: readFileSync(wasm) } });
  });

  it('decodes with ZXing-C++ to the QR text of any JWS-shaped token', async () => {
    await fc.assert(
      fc.asyncProperty(jwsLikeArbitrary, async (jws) => {
        // Prepare
        const png = PNG.sync.read(Buffer.from(await renderQrPng(jws)));

        // Act
        const texts = await decoder.decode(png);

        // Assert
        expect(texts).toEqual([toQrText(jws)]);
      }),
      { numRuns: 20 },
    );
  }, 30_000);
});

describe('renderQrPng read back with readQrFromImage', () => {
  it('renders 6 pixels per module with a 4-module quiet zone by default', async () => {
    // Prepare
    const modules = 17 + 4 * qrVersion(TOKEN);

    // Act
    const png = PNG.sync.read(Buffer.from(await renderQrPng(TOKEN)));

    // Assert
    expect(png.width).toBe((modules + 8) * 6);
    expect(png.height).toBe(png.width);
  });

  it('reads a 330-character token back as the exact QR text', async () => {
    // Prepare
    const path = writeTempFile('pass.png', await renderQrPng(TOKEN));

    // Act
    const text = await readQrFromImage(path);

    // Assert
    expect(text).toBe(toQrText(TOKEN));
    expect(fromQrText(text)).toBe(TOKEN);
  });

  it('reads back any JWS-shaped token exactly', async () => {
    await fc.assert(
      fc.asyncProperty(jwsLikeArbitrary, async (jws) => {
        // Prepare
        const path = writeTempFile('random.png', await renderQrPng(jws));

        // Act
        const text = await readQrFromImage(path);

        // Assert
        expect(fromQrText(text)).toBe(jws);
      }),
      { numRuns: 20 },
    );
  }, 30_000);

  it('reads a JPEG by its first bytes, whatever the file is called', async () => {
    // Prepare
    const png = PNG.sync.read(Buffer.from(await renderQrPng(TOKEN)));
    const jpegBytes = jpeg.encode({ width: png.width, height: png.height, data: png.data }, 80).data;
    const path = writeTempFile('photo.png', jpegBytes);

    // Act
    const text = await readQrFromImage(path);

    // Assert
    expect(text).toBe(toQrText(TOKEN));
  });

  it('reads a large photo-sized image through a downscaled copy', async () => {
    // Prepare: every module is a 2x2 checkerboard whose average is clearly dark or light. At full size a
    // reader sees only checkerboards and finds nothing, so this passes only if a downscaled copy, where each
    // module averages out to a clean dark or light grey, is read.
    const symbol = PNG.sync.read(Buffer.from(await renderQrPng(TOKEN, { scale: 14 })));
    const side = symbol.width * 2;
    const image = new PNG({ width: side, height: side });
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const dark = (symbol.data[(Math.floor(y / 2) * symbol.width + Math.floor(x / 2)) * 4] ?? 0) < 128;
        const odd = (x + y) % 2 === 1;
        const value = dark ? (odd ? 128 : 0) : odd ? 255 : 127;
        image.data.fill(value, (y * side + x) * 4, (y * side + x) * 4 + 3);
        image.data[(y * side + x) * 4 + 3] = 255;
      }
    }
    const path = writeTempFile('large.png', PNG.sync.write(image, { deflateLevel: 1 }));

    // Act
    const text = await readQrFromImage(path);

    // Assert
    expect(side).toBeGreaterThanOrEqual(2000);
    expect(text).toBe(toQrText(TOKEN));
  }, 15_000);

  it('reports a missing file in one line', async () => {
    // Act
    const read = readQrFromImage(join(workDir, 'no-such-pass.png'));

    // Assert
    await expect(read).rejects.toThrow(QrImageError);
    await expect(read).rejects.toThrow(/^Image file not found: .*no-such-pass\.png$/);
  });

  it('reports a file that is neither PNG nor JPEG, whatever its name', async () => {
    // Prepare
    const path = writeTempFile('pass.png', new TextEncoder().encode(`rhd:/${TOKEN}`));

    // Act
    const read = readQrFromImage(path);

    // Assert
    await expect(read).rejects.toThrow(QrImageError);
    await expect(read).rejects.toThrow(/^Not a PNG or JPEG image: /);
  });

  it('reports an image without a QR code', async () => {
    // Prepare
    const blank = new PNG({ width: 200, height: 100 });
    blank.data.fill(255);
    const path = writeTempFile('blank.png', PNG.sync.write(blank));

    // Act
    const read = readQrFromImage(path);

    // Assert
    await expect(read).rejects.toThrow(QrImageError);
    await expect(read).rejects.toThrow(/^No QR code found in .*blank\.png \(200x100\)$/);
  });
});

describe('zbarimg as an independent reader', () => {
  it('reads the exact QR text from the rendered PNG', async (context) => {
    context.skip(
      zbarimgMissing,
      'zbarimg is not on PATH (Debian: apt-get install zbar-tools; CI installs it)',
    );

    // Prepare
    const path = writeTempFile('pass.png', await renderQrPng(TOKEN));

    // Act
    const texts = zbarQrTexts(path);

    // Assert
    expect(texts).toEqual([toQrText(TOKEN)]);
    expect(fromQrText(texts[0] ?? '')).toBe(TOKEN);
  });
});
