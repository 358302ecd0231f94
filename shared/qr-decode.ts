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
 * ZXing-C++ settings, chosen on the field set (test/field): rotation and inversion tries cost up to half the
 * time of a frame and read no extra frame, since the QR detector already finds a code at any angle and a printed
 * pass is never light-on-dark; tryHarder reads more hard frames; the other binarizers read fewer.
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
  return {
    engine: 'ZXing-C++',
    async decode(pixels) {
      checkPixels(pixels);
      // zxing-wasm reads only data, width and height of an ImageData (its own types say so outside the DOM),
      // and there is no ImageData class in Node or in every worker to build a real one.
      const frame = { data: clamped(pixels), width: pixels.width, height: pixels.height } as ImageData;
      const results = await readBarcodes(frame, QR_READER_OPTIONS);
      return results.filter((result) => result.isValid).map((result) => result.text);
    },
  };
}
