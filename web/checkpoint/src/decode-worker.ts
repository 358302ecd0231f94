// Reads QR codes off the UI thread: frames arrive as ImageBitmaps, texts go back. The decoder starts on first use.
/// <reference lib="webworker" />
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { createQrDecoder, type QrDecoder } from '../../../shared/qr-decode.ts';

export type DecodeRequest = { id: number; frame: ImageBitmap };
export type DecodeReply =
  | { id: number; ok: true; texts: string[]; engine: string }
  | { id: number; ok: false; error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
let decoder: Promise<QrDecoder> | undefined;
let canvas: OffscreenCanvas | undefined;

function pixelsOf(frame: ImageBitmap): ImageData {
  if (!canvas || canvas.width !== frame.width || canvas.height !== frame.height)
    canvas = new OffscreenCanvas(frame.width, frame.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas in this worker');
  context.drawImage(frame, 0, 0);
  frame.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

scope.onmessage = async (event: MessageEvent<DecodeRequest>) => {
  const { id, frame } = event.data;
  try {
    const pixels = pixelsOf(frame);
    // The .wasm is the app's own asset, precached by the service worker: never a CDN.
    decoder ??= createQrDecoder({ wasm: { url: new URL(wasmUrl, scope.location.href).href } });
    const ready = await decoder.catch((error: unknown) => {
      decoder = undefined;
      throw error;
    });
    const texts = await ready.decode(pixels);
    scope.postMessage({ id, ok: true, texts, engine: ready.engine } satisfies DecodeReply);
  } catch (error) {
    scope.postMessage({
      id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    } satisfies DecodeReply);
  }
};
