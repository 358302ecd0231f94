// QR codes for a credential: the segments (byte prefix, numeric body), the version, and SVG rendering.
import QRCode, { type QRCodeErrorCorrectionLevel, type QRCodeSegment } from 'qrcode';
import { QR_PREFIX, toDigits } from './qr-text.ts';

export { fromQrText, QR_PREFIX, QrTextError, toQrText } from './qr-text.ts';

const textEncoder = new TextEncoder();

/**
 * The QR segments for a JWS: the prefix in byte mode and the body in numeric mode, which packs 3 digits
 * in 10 bits: 6⅔ bits per JWS character instead of the 8 it would take in byte mode.
 */
export function qrSegments(jws: string): QRCodeSegment[] {
  return [
    { data: textEncoder.encode(QR_PREFIX), mode: 'byte' },
    { data: toDigits(jws), mode: 'numeric' },
  ];
}

/** The QR version (1..40) the library picks for this JWS at the given error correction level. */
export function qrVersion(jws: string, ecl: QRCodeErrorCorrectionLevel = 'M'): number {
  return QRCode.create(qrSegments(jws), { errorCorrectionLevel: ecl }).version;
}

export interface QrSvgOptions {
  /** Error correction level; M survives a creased or smudged print without making the code much bigger. */
  ecl?: QRCodeErrorCorrectionLevel;
  /** Quiet zone in modules; 4 is what the QR standard asks for. */
  margin?: number;
}

/** An SVG document of the QR code for a JWS. Works in the browser as well as in Node. */
export function renderQrSvg(jws: string, options: QrSvgOptions = {}): Promise<string> {
  const { ecl = 'M', margin = 4 } = options;
  return QRCode.toString(qrSegments(jws), { type: 'svg', errorCorrectionLevel: ecl, margin });
}
