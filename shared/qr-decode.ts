// Reads the QR text out of camera frames and photos (RGBA pixels): the platform's BarcodeDetector, else ZXing-C++.
import {
  prepareZXingModule,
  type ReaderOptions,
  readBarcodes,
  ZXING_WASM_SHA256,
  ZXING_WASM_VERSION,
} from 'zxing-wasm/reader';

/** Pixels as a canvas, a camera frame or an image decoder gives them: 4 bytes a pixel, row by row. */
export interface RgbaPixels {
  readonly data: Uint8ClampedArray | Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Where ZXing-C++'s WebAssembly comes from. zxing-wasm fetches it from a CDN unless told otherwise, which would
 * stop an offline checkpoint from scanning, so the caller always says: a URL its own app serves (and precaches),
 * or the bytes (in Node, read from node_modules/zxing-wasm/dist/reader/zxing_reader.wasm).
 */
export type DecoderWasm = { readonly url: string } | { readonly bytes: Uint8Array | ArrayBuffer };

export interface QrDecoderOptions {
  wasm: DecoderWasm;
  /**
   * Use the platform's BarcodeDetector when the runtime has one that reads QR codes (Chrome on Android,
   * Safari on macOS/iOS 17+). On by default; off, ZXing-C++ always reads, e.g. to measure it.
   */
  platform?: boolean;
  /**
   * When ZXing-C++ finds nothing in a frame, read it once more enlarged (see `enlargedFrame`). On by default;
   * off, only the first pass runs, e.g. to measure what the second attempt adds.
   */
  retry?: boolean;
}

export type QrEngine = 'BarcodeDetector' | 'ZXing-C++';

export interface QrDecoder {
  readonly engine: QrEngine;
  /** The text of each QR code read in one frame (at most one: a checkpoint scans one pass at a time). */
  decode(pixels: RgbaPixels): Promise<string[]>;
}

/** The decoder cannot start (its WebAssembly is missing or not the one this version needs) or was given bad pixels. */
export class QrDecodeError extends Error {
  override name = 'QrDecodeError';
}

/**
 * ZXing-C++ settings of the first pass, chosen on the field set (test/field): rotation and inversion tries cost up
 * to half the time of a frame and read no extra frame, since the QR detector already finds a code at any angle and
 * a printed pass is never light-on-dark; tryHarder reads more hard frames; the other binarizers read fewer.
 */
export const QR_READER_OPTIONS: Readonly<ReaderOptions> = {
  formats: ['QRCode'],
  maxNumberOfSymbols: 1,
  tryHarder: true,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: true,
  tryDenoise: false,
  binarizer: 'LocalAverage',
  textMode: 'Plain',
};

/**
 * The second attempt on a frame the first pass could not read: the same settings on the frame enlarged, so
 * nothing to gain from downscaling it again.
 */
export const QR_RETRY_OPTIONS: Readonly<ReaderOptions> = { ...QR_READER_OPTIONS, tryDownscale: false };

/**
 * How much the second attempt enlarges a frame, and the longest side it enlarges to. Measured on the field set
 * (test/field, `npm run bench`): on hard frames, where a module spans about 3 pixels and is blurred, the first
 * pass reads 8-9 of 30 and 1.5x reads 13-15, every frame the first pass read among them; 1.25x reads one fewer,
 * 1.75x and 2x no more for far more time. Local contrast normalisation (CLAHE-like), unsharp masking, tryDenoise
 * and the GlobalHistogram and FixedThreshold binarizers, on the frame or enlarged, read fewer or none more. A
 * frame already 1920 px long (a photo) is not enlarged: its modules are large enough.
 */
const RETRY_SCALE = 1.5;
const RETRY_LONGEST_SIDE = 1920;
const RETRY_MIN_SCALE = 1.2;

/** A frame's luminance enlarged, as the bytes of a binary PGM image, which ZXing-C++ takes as luminance. */
export interface EnlargedFrame {
  readonly width: number;
  readonly height: number;
  /** One byte a pixel, row by row: a view into `pgm`. */
  readonly luminance: Uint8Array;
  /** The whole PGM file (P5 header, then `luminance`). */
  readonly pgm: Uint8Array;
}

/**
 * The frame's luminance enlarged by `scale` (bilinear): what ZXing-C++ reads best when a module spans only a
 * few pixels. Handed over as a PGM so that the enlarged frame is one byte a pixel all the way (zxing-wasm would
 * turn RGBA back into luminance itself, four times the bytes). Integer arithmetic, weights in 1/256.
 */
export function enlargedFrame(pixels: RgbaPixels, scale: number): EnlargedFrame {
  const { data, width, height } = pixels;
  const grey = new Uint8Array(width * height);
  // ITU-R BT.601 weights, as zxing-wasm converts RGBA itself.
  for (let i = 0, j = 0; i < grey.length; i++, j += 4)
    grey[i] = ((data[j] as number) * 77 + (data[j + 1] as number) * 150 + (data[j + 2] as number) * 29) >> 8;

  const outWidth = Math.round(width * scale);
  const outHeight = Math.round(height * scale);
  // Per output column (and row): the left (top) source pixel and the weight of the one after it.
  const sourceOf = (size: number, outSize: number) => {
    const index = new Int32Array(outSize);
    const weight = new Int32Array(outSize);
    for (let o = 0; o < outSize; o++) {
      const at = Math.min(size - 1, Math.max(0, ((o + 0.5) * size) / outSize - 0.5));
      const first = Math.min(size - 2, Math.floor(at));
      index[o] = Math.max(0, first);
      weight[o] = size < 2 ? 0 : Math.round((at - Math.max(0, first)) * 256);
    }
    return { index, weight };
  };
  const { index: colIndex, weight: colWeight } = sourceOf(width, outWidth);
  const { index: rowIndex, weight: rowWeight } = sourceOf(height, outHeight);
  const header = new TextEncoder().encode(`P5\n${outWidth} ${outHeight}\n255\n`);
  const pgm = new Uint8Array(header.length + outWidth * outHeight);
  pgm.set(header);
  const out = pgm.subarray(header.length);
  const right = width > 1 ? 1 : 0;
  // Each source row is blended across once, into the upper or lower of two rows the output rows blend down.
  const blendAcross = (sourceRow: number, into: Int32Array) => {
    const start = sourceRow * width;
    for (let x = 0; x < outWidth; x++) {
      const at = start + (colIndex[x] as number);
      const wx = colWeight[x] as number;
      into[x] = (grey[at] as number) * (256 - wx) + (grey[at + right] as number) * wx;
    }
  };
  let upper = new Int32Array(outWidth);
  let lower = new Int32Array(outWidth);
  let upperRow = -1;
  const lastRow = height - 1;
  for (let y = 0; y < outHeight; y++) {
    const top = rowIndex[y] as number;
    if (top !== upperRow) {
      if (top === upperRow + 1 && upperRow >= 0) [upper, lower] = [lower, upper];
      else blendAcross(top, upper);
      blendAcross(Math.min(top + 1, lastRow), lower);
      upperRow = top;
    }
    const wy = rowWeight[y] as number;
    const o = y * outWidth;
    for (let x = 0; x < outWidth; x++)
      out[o + x] = ((upper[x] as number) * (256 - wy) + (lower[x] as number) * wy) >> 16;
  }
  return { width: outWidth, height: outHeight, luminance: out, pgm };
}

/** How much to enlarge a frame for the second attempt, or undefined when it is large enough already. */
function retryScale(pixels: RgbaPixels): number | undefined {
  const scale = Math.min(RETRY_SCALE, RETRY_LONGEST_SIDE / Math.max(pixels.width, pixels.height));
  return scale >= RETRY_MIN_SCALE ? scale : undefined;
}

interface DetectedBarcode {
  rawValue: string;
}
interface PlatformBarcodeDetector {
  detect(image: ImageData): Promise<DetectedBarcode[]>;
}
interface PlatformBarcodeDetectorClass {
  new (options: { formats: string[] }): PlatformBarcodeDetector;
  getSupportedFormats(): Promise<string[]>;
}

function checkPixels(pixels: RgbaPixels): void {
  const { width, height, data } = pixels;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new QrDecodeError(`Image size must be whole positive numbers: ${width}x${height}`);
  if (data.length !== width * height * 4)
    throw new QrDecodeError(
      `Image of ${width}x${height} needs ${width * height * 4} RGBA bytes, got ${data.length}`,
    );
}

/** The same bytes seen as clamped (what ImageData holds), without a copy. */
function clamped(pixels: RgbaPixels): Uint8ClampedArray<ArrayBuffer> {
  const { buffer, byteOffset, byteLength } = pixels.data;
  return new Uint8ClampedArray(buffer as ArrayBuffer, byteOffset, byteLength);
}

async function platformDetector(): Promise<PlatformBarcodeDetector | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: PlatformBarcodeDetectorClass }).BarcodeDetector;
  if (Detector === undefined || typeof ImageData === 'undefined') return undefined;
  try {
    if (!(await Detector.getSupportedFormats()).includes('qr_code')) return undefined;
    return new Detector({ formats: ['qr_code'] });
  } catch {
    // Some browsers expose the class but refuse to build it (no barcode service on the device).
    return undefined;
  }
}

function toArrayBuffer(bytes: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  // A copy of exactly these bytes: a Node Buffer's slice() is a view, and its .buffer may be a larger pool.
  return new Uint8Array(bytes).buffer as ArrayBuffer;
}

async function wasmBytes(wasm: DecoderWasm): Promise<ArrayBuffer> {
  if ('bytes' in wasm) return toArrayBuffer(wasm.bytes);
  // Fetched here rather than by the Emscripten glue so that a failure becomes one clear error, not a hang,
  // and so that the bytes can be checked before they run.
  let response: Response;
  try {
    response = await fetch(wasm.url);
  } catch (error) {
    throw new QrDecodeError(`Cannot fetch the QR decoder from ${wasm.url}: ${String(error)}`);
  }
  if (!response.ok)
    throw new QrDecodeError(`Cannot fetch the QR decoder from ${wasm.url}: ${response.status}`);
  return response.arrayBuffer();
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

// The Emscripten glue asks for the file's location even when it is handed the bytes; naming the bare file
// keeps its default, a CDN URL, out of reach.
const localFileOnly = (path: string): string => path;

async function startZxing(wasm: DecoderWasm): Promise<void> {
  const bytes = await wasmBytes(wasm);
  // A .wasm from another zxing-wasm version fails in odd ways deep inside; refuse it up front instead.
  if ((await sha256Hex(bytes)) !== ZXING_WASM_SHA256)
    throw new QrDecodeError(
      `The QR decoder's WebAssembly is not the one zxing-wasm ${ZXING_WASM_VERSION} needs`,
    );
  try {
    await prepareZXingModule({
      overrides: { wasmBinary: bytes, locateFile: localFileOnly },
      fireImmediately: true,
    });
  } catch (error) {
    throw new QrDecodeError(`Cannot start the QR decoder: ${String(error)}`);
  }
}

/** What ZXing-C++ reads in RGBA pixels or in the bytes of an image file. */
async function readWithZxing(
  image: RgbaPixels | Uint8Array,
  options: Readonly<ReaderOptions>,
): Promise<string[]> {
  // zxing-wasm reads only data, width and height of an ImageData (its own types say so outside the DOM),
  // and there is no ImageData class in Node or in every worker to build a real one.
  const input =
    image instanceof Uint8Array
      ? image
      : ({ data: clamped(image), width: image.width, height: image.height } as ImageData);
  const results = await readBarcodes(input, options);
  return results.filter((result) => result.isValid).map((result) => result.text);
}

/** A decoder ready to read frames: the platform's where it reads QR codes, otherwise ZXing-C++ (started here). */
export async function createQrDecoder(options: QrDecoderOptions): Promise<QrDecoder> {
  const detector = options.platform === false ? undefined : await platformDetector();
  if (detector !== undefined) {
    return {
      engine: 'BarcodeDetector',
      async decode(pixels) {
        checkPixels(pixels);
        const found = await detector.detect(new ImageData(clamped(pixels), pixels.width, pixels.height));
        return found.slice(0, 1).map((code) => code.rawValue);
      },
    };
  }
  await startZxing(options.wasm);
  const retry = options.retry !== false;
  return {
    engine: 'ZXing-C++',
    async decode(pixels) {
      checkPixels(pixels);
      const texts = await readWithZxing(pixels, QR_READER_OPTIONS);
      if (texts.length > 0 || !retry) return texts;
      // Only a frame the first pass could not read pays for the second attempt, so a readable code is as fast
      // as ever; a camera frame with no code in it costs more, and the camera simply takes fewer of them.
      const scale = retryScale(pixels);
      return scale === undefined ? texts : readWithZxing(enlargedFrame(pixels, scale).pgm, QR_RETRY_OPTIONS);
    },
  };
}
