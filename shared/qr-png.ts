// Node only: renders a credential's QR code as PNG bytes (for printing passes and for tests).
import { crc32, deflateSync } from 'node:zlib';
import { type QrErrorCorrectionLevel, qrSymbol } from './qr.ts';

export interface QrPngOptions {
  /** Error correction level; M by default, like the SVG. */
  ecl?: QrErrorCorrectionLevel;
  /** Pixels per module. 6 makes a pass-sized (version 12) code 438 px, 3.7 cm at 300 dpi: easy for a cheap camera. */
  scale?: number;
  /** Quiet zone in modules; 4 is what the QR standard asks for. */
  margin?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** One PNG chunk: length, type, data, and the CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * PNG bytes of the QR code for a JWS, using the same byte + numeric segments as the SVG. The image is
 * 1-bit greyscale (0 black, 1 white): a code holds nothing else, and it keeps the scanlines to be deflated
 * an eighth of the size 8-bit pixels would make them.
 */
export async function renderQrPng(jws: string, options: QrPngOptions = {}): Promise<Uint8Array> {
  const { ecl = 'M', scale = 6, margin = 4 } = options;
  if (!Number.isInteger(scale) || scale < 1)
    throw new RangeError(`PNG scale must be a whole number ≥ 1: ${scale}`);
  if (!Number.isInteger(margin) || margin < 0)
    throw new RangeError(`PNG margin must be a whole number ≥ 0: ${margin}`);

  const { size, data } = qrSymbol(jws, ecl).modules;
  const width = (size + 2 * margin) * scale;
  const rowBytes = Math.ceil(width / 8);
  const stride = rowBytes + 1; // each scanline starts with its filter type byte
  // All white, including the quiet zone and the padding bits at the end of each row.
  const scanlines = Buffer.alloc(stride * width, 0xff);
  for (let y = 0; y < width; y++) scanlines[y * stride] = 0; // filter 0: bytes as they are

  const line = new Uint8Array(rowBytes);
  for (let row = 0; row < size; row++) {
    line.fill(0xff);
    for (let col = 0; col < size; col++) {
      if (!data[row * size + col]) continue;
      const x0 = (col + margin) * scale;
      for (let x = x0; x < x0 + scale; x++) line[x >> 3] = (line[x >> 3] ?? 0) & ~(0x80 >> (x & 7));
    }
    // The same pixel row repeated `scale` times makes square modules.
    const y0 = (row + margin) * scale;
    for (let y = y0; y < y0 + scale; y++) scanlines.set(line, y * stride + 1);
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // colour type: greyscale
  // Bytes 10-12 stay 0: deflate compression, adaptive filtering (method 0), no interlace.

  return Buffer.concat([
    Buffer.from(PNG_SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
