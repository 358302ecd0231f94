// QR codes for a credential: the segments (byte prefix, numeric body), the version, and SVG rendering.
import {
  create,
  type QrErrorCorrectionLevel,
  type QrSegment,
  type QrSymbol,
} from 'qrcode/lib/core/qrcode.js';
import { QR_PREFIX, toDigits } from './qr-text.ts';

export { fromQrText, QR_PREFIX, QrTextError, toQrText } from './qr-text.ts';
export type { QrErrorCorrectionLevel, QrSegment, QrSymbol };

const textEncoder = new TextEncoder();

/**
 * The QR segments for a JWS: the prefix in byte mode and the body in numeric mode, which packs 3 digits
 * in 10 bits: 6⅔ bits per JWS character instead of the 8 it would take in byte mode.
 */
export function qrSegments(jws: string): QrSegment[] {
  return [
    { data: textEncoder.encode(QR_PREFIX), mode: 'byte' },
    { data: toDigits(jws), mode: 'numeric' },
  ];
}

/**
 * The module matrix for a JWS. Only qrcode's core is imported, not its main entry: that would also pull
 * its PNG, SVG and terminal renderers and a copy of pngjs into every bundle that draws a code.
 */
export function qrSymbol(jws: string, ecl: QrErrorCorrectionLevel = 'M'): QrSymbol {
  return create(qrSegments(jws), { errorCorrectionLevel: ecl });
}

/** The QR version (1..40) the library picks for this JWS at the given error correction level. */
export function qrVersion(jws: string, ecl: QrErrorCorrectionLevel = 'M'): number {
  return qrSymbol(jws, ecl).version;
}

export interface QrSvgOptions {
  /** Error correction level; M survives a creased or smudged print without making the code much bigger. */
  ecl?: QrErrorCorrectionLevel;
  /** Quiet zone in modules; 4 is what the QR standard asks for. */
  margin?: number;
}

/**
 * The path data of the dark modules: per row one absolute move, then each run of dark modules as a
 * horizontal line along the middle of the row (drawn with a 1-wide stroke), with relative moves between
 * runs. Drawing runs rather than one square per module keeps a pass-sized code's SVG to a few KB.
 */
function qrSvgPath(modules: QrSymbol['modules'], margin: number): string {
  const { size, data } = modules;
  let d = '';
  for (let row = 0; row < size; row++) {
    const offset = row * size;
    // Where the previous run on this row ended, or -1 before the first one.
    let penX = -1;
    let col = 0;
    while (col < size) {
      if (!data[offset + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && data[offset + col]) col++;
      d += penX < 0 ? `M${start + margin} ${row + margin + 0.5}` : `m${start - penX} 0`;
      d += `h${col - start}`;
      penX = col;
    }
  }
  return d;
}

/** An SVG document of the QR code for a JWS, black on white. Works in the browser as well as in Node. */
export async function renderQrSvg(jws: string, options: QrSvgOptions = {}): Promise<string> {
  const { ecl = 'M', margin = 4 } = options;
  const { modules } = qrSymbol(jws, ecl);
  const side = modules.size + 2 * margin;
  // crispEdges: scaled to a fractional pixel size, anti-aliased module edges blur into grey seams.
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<path stroke="#000" d="${qrSvgPath(modules, margin)}"/></svg>\n`
  );
}
