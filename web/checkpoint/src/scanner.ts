// Turns camera frames and photos into QR text through the decoding worker, one frame in flight at a time.
import type { DecodeReply, DecodeRequest } from './decode-worker.ts';

/** The longest side a photo is read at: a phone photo of 4000 px costs seconds and reads no better. */
const MAX_PHOTO_SIDE = 1920;

export class FrameReader {
  readonly #worker: Worker;
  #next = 1;
  readonly #pending = new Map<number, (reply: DecodeReply) => void>();

  constructor() {
    this.#worker = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module' });
    this.#worker.onmessage = (event: MessageEvent<DecodeReply>) => {
      this.#pending.get(event.data.id)?.(event.data);
      this.#pending.delete(event.data.id);
    };
  }

  /** The QR texts in one frame; the bitmap is handed to the worker and closed there. */
  read(frame: ImageBitmap): Promise<string[]> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (reply) => (reply.ok ? resolve(reply.texts) : reject(new Error(reply.error))));
      this.#worker.postMessage({ id, frame } satisfies DecodeRequest, [frame]);
    });
  }
}

/** A photo or image file as a bitmap no larger than the decoder needs. */
export async function photoFrame(file: Blob): Promise<ImageBitmap> {
  const full = await createImageBitmap(file);
  const scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(full.width, full.height));
  if (scale === 1) return full;
  const resized = await createImageBitmap(full, {
    resizeWidth: Math.round(full.width * scale),
    resizeHeight: Math.round(full.height * scale),
    resizeQuality: 'high',
  });
  full.close();
  return resized;
}

/**
 * A card held in front of the camera is read many times a second. Its text is reported once, when it comes into
 * view, and again only after it has been out of view this long (ms): a card held still for a minute is one read,
 * a card taken away and shown again is two. A missed frame or two while it is held does not count as away.
 */
export const AWAY_MS = 1500;

/**
 * Reads the camera continuously: grab a frame, let the worker read it, grab the next when it answers, so the UI
 * thread only ever copies a frame and a slow phone drops frames instead of freezing.
 */
export class CameraScanner {
  #stream: MediaStream | undefined;
  #running = false;
  #torch = false;
  /** When each text was last seen in a frame (performance.now()). */
  readonly #seen = new Map<string, number>();
  #reads = 0;

  readonly #reader: FrameReader;
  readonly #onText: (text: string, grabbedAt: number) => void;
  readonly #onError: (error: Error) => void;

  constructor(
    reader: FrameReader,
    onText: (text: string, grabbedAt: number) => void,
    onError: (error: Error) => void,
  ) {
    this.#reader = reader;
    this.#onText = onText;
    this.#onError = onError;
  }

  async start(video: HTMLVideoElement): Promise<void> {
    this.#stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
    video.srcObject = this.#stream;
    video.muted = true;
    video.playsInline = true;
    await video.play();
    this.#running = true;
    this.#seen.clear();
    if (this.#torch) await this.setTorch(true).catch(() => {});
    void this.#loop(video);
  }

  stop(): void {
    this.#running = false;
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    this.#stream = undefined;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Frames in which a code was read since the camera started (a test holds a card for so many reads). */
  get reads(): number {
    return this.#reads;
  }

  #track(): MediaStreamTrack | undefined {
    return this.#stream?.getVideoTracks()[0];
  }

  /** Whether the camera has a light the page may switch (most phones' back cameras in Chrome; not iOS). */
  get torchSupported(): boolean {
    // Not in TypeScript's DOM types yet: Chrome reports it on cameras with a light.
    const capabilities = this.#track()?.getCapabilities?.() as { torch?: boolean } | undefined;
    return capabilities?.torch === true;
  }

  /** Switches the light; it stays as set through every scan until switched again or the camera stops. */
  async setTorch(on: boolean): Promise<void> {
    const track = this.#track();
    this.#torch = on;
    if (!track) return;
    await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
  }

  /** Whether a text read now is a card coming into view, rather than the same card still held there. */
  #arrived(text: string, at: number): boolean {
    const last = this.#seen.get(text);
    this.#seen.set(text, at);
    for (const [other, seenAt] of this.#seen) if (at - seenAt > AWAY_MS) this.#seen.delete(other);
    return last === undefined || at - last > AWAY_MS;
  }

  async #loop(video: HTMLVideoElement): Promise<void> {
    while (this.#running) {
      if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      try {
        const grabbedAt = performance.now();
        const texts = await this.#reader.read(await createImageBitmap(video));
        const text = texts[0];
        if (text !== undefined && this.#running) {
          this.#reads++;
          video.dataset.reads = String(this.#reads);
          if (this.#arrived(text, grabbedAt)) this.#onText(text, grabbedAt);
        }
      } catch (error) {
        this.#onError(error instanceof Error ? error : new Error(String(error)));
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      // Yield to the UI between frames, even when the worker answers at once.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
}
