// Reads the QR code text out of a PNG or JPEG file, e.g. a scan of a printed pass or a phone photo of one.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { createQrDecoder, type QrDecoder, type RgbaPixels } from '../shared/qr-decode.ts';

/** The image could not be read or holds no readable QR code. The message is one line, fit for a CLI. */
export class QrImageError extends Error {
  override name = 'QrImageError';
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

// jpeg-js refuses above 512 MB by default; a 12 MP phone photo needs its RGBA output plus per-component
// buffers, and progressive or 4:4:4 files need more, so leave room for larger camera sensors too.
const JPEG_MAX_MEMORY_MB = 2048;

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

async function readImageFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new QrImageError(`Image file not found: ${path}`);
    if (code === 'EISDIR') throw new QrImageError(`Not a file but a directory: ${path}`);
    throw new QrImageError(`Cannot read image file ${path}: ${oneLine(error)}`);
  }
}

function decodePixels(bytes: Uint8Array, path: string): RgbaPixels {
  if (startsWith(bytes, PNG_MAGIC)) {
    try {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: toClamped(png.data) };
    } catch (error) {
      throw new QrImageError(`Cannot decode PNG ${path}: ${oneLine(error)}`);
    }
  }
  if (startsWith(bytes, JPEG_MAGIC)) {
    try {
      const image = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxMemoryUsageInMB: JPEG_MAX_MEMORY_MB,
      });
      return { width: image.width, height: image.height, data: toClamped(image.data) };
    } catch (error) {
      throw new QrImageError(`Cannot decode JPEG ${path}: ${oneLine(error)}`);
    }
  }
  throw new QrImageError(`Not a PNG or JPEG image: ${path}`);
}

function toClamped(data: Uint8Array): Uint8ClampedArray {
  return new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength);
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

// Node reads the decoder's WebAssembly from the installed package, never from the network.
const ZXING_WASM_PATH = fileURLToPath(import.meta.resolve('zxing-wasm/reader/zxing_reader.wasm'));

let decoder: Promise<QrDecoder> | undefined;

/** One decoder for the process, started on first use: starting compiles about 1 MB of WebAssembly. */
function qrDecoder(): Promise<QrDecoder> {
  decoder ??= readFile(ZXING_WASM_PATH).then((bytes) => createQrDecoder({ wasm: { bytes } }));
  return decoder;
}

/** The text of the QR code in a PNG or JPEG file (recognised by its first bytes, not its name). */
export async function readQrFromImage(path: string): Promise<string> {
  const image = decodePixels(await readImageFile(path), path);
  const [text] = await (await qrDecoder()).decode(image);
  if (text !== undefined) return text;
  throw new QrImageError(`No QR code found in ${path} (${image.width}x${image.height})`);
}
