// Node only: renders a credential's QR code as PNG bytes (for printing passes and for tests).
import QRCode, { type QRCodeErrorCorrectionLevel } from 'qrcode';
import { qrSegments } from './qr.ts';

export interface QrPngOptions {
  /** Error correction level; M by default, like the SVG. */
  ecl?: QRCodeErrorCorrectionLevel;
  /** Pixels per module. 6 makes a pass-sized (version 12) code 438 px, 3.7 cm at 300 dpi: easy for a cheap camera. */
  scale?: number;
  /** Quiet zone in modules; 4 is what the QR standard asks for. */
  margin?: number;
}

/** PNG bytes of the QR code for a JWS, using the same byte + numeric segments as the SVG. */
export async function renderQrPng(jws: string, options: QrPngOptions = {}): Promise<Uint8Array> {
  const { ecl = 'M', scale = 6, margin = 4 } = options;
  const png = await QRCode.toBuffer(qrSegments(jws), {
    type: 'png',
    errorCorrectionLevel: ecl,
    scale,
    margin,
  });
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
