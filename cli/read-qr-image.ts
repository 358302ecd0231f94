// Reads the QR code text out of a PNG or JPEG file, e.g. a scan of a printed pass or a phone photo of one.
import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** The image could not be read or holds no readable QR code. The message is one line, fit for a CLI. */
export class QrImageError extends Error {
  override name = 'QrImageError';
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

// jpeg-js refuses above 512 MB by default; a 12 MP phone photo needs its RGBA output plus per-component
// buffers, and progressive or 4:4:4 files need more, so leave room for larger camera sensors too.
const JPEG_MAX_MEMORY_MB = 2048;

// Downscaled copies keep at least this long side: a pass photographed from arm's length still has a few
// pixels per module there, while jsQR runs in tens of milliseconds instead of seconds.
const SMALLEST_COPY_SIDE = 1000;

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

function decodePixels(bytes: Uint8Array, path: string): Rgba {
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

/** Averages each factor×factor block into one pixel, which smooths sensor noise instead of aliasing it. */
function downscale(image: Rgba, factor: number): Rgba {
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const data = new Uint8ClampedArray(width * height * 4);
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < factor; dy++) {
        let source = ((y * factor + dy) * image.width + x * factor) * 4;
        for (let dx = 0; dx < factor; dx++) {
          r += image.data[source] as number;
          g += image.data[source + 1] as number;
          b += image.data[source + 2] as number;
          source += 4;
        }
      }
      const target = (y * width + x) * 4;
      data[target] = r / area;
      data[target + 1] = g / area;
      data[target + 2] = b / area;
      data[target + 3] = 255;
    }
  }
  return { width, height, data };
}

function decodeQr(image: Rgba): string | undefined {
  return jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' })?.data;
}

/**
 * Downscale factors to try, cheapest first, ending with the full size. On a noisy 12 MP photo jsQR spends
 * seconds per failed full-size pass chasing finder-pattern candidates in the noise, while a quarter-size copy
 * decodes in well under a second; the full size stays as the last resort for a code that is small in the frame.
 */
function attemptFactors(image: Rgba): number[] {
  const factors = [1];
  const longSide = Math.max(image.width, image.height);
  for (let factor = 2; longSide / factor >= SMALLEST_COPY_SIDE; factor *= 2) factors.unshift(factor);
  return factors;
}

/** The text of the QR code in a PNG or JPEG file (recognised by its first bytes, not its name). */
export async function readQrFromImage(path: string): Promise<string> {
  const image = decodePixels(await readImageFile(path), path);
  for (const factor of attemptFactors(image)) {
    const text = decodeQr(factor === 1 ? image : downscale(image, factor));
    if (text !== undefined) return text;
  }
  throw new QrImageError(`No QR code found in ${path} (${image.width}x${image.height})`);
}
