// Chromium and the built checkpoint app for the end-to-end tests and the bench (no test runner needed here).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Builds the checkpoint app into a folder of its own, so that a run never serves a half-written web/dist of
 * someone's `npm run build:web`.
 */
export function buildCheckpointApp(): { dir: string; remove: () => void } {
  const out = mkdtempSync(join(tmpdir(), 'rahdari-web-'));
  const dir = join(out, 'checkpoint');
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      env: { ...process.env, RAHDARI_WEB_OUT: dir },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (!existsSync(join(dir, 'sw.js'))) throw new Error('the checkpoint app build made no service worker');
  return { dir, remove: () => rmSync(out, { recursive: true, force: true }) };
}

/** Headless Chromium as the checkpoint tests use it; no traffic leaves the machine. */
export function launchChromium(options: { fakeVideo?: string } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
      ...(options.fakeVideo
        ? [
            '--use-fake-device-for-media-stream',
            '--use-fake-ui-for-media-stream',
            `--use-file-for-fake-video-capture=${options.fakeVideo}`,
          ]
        : []),
    ],
  });
}

/** A 1280x720 frame with the QR image in its middle, scaled up by whole pixels, as a camera held over a pass. */
export function frameWithQr(qrPng: Buffer, width = 1280, height = 720): PNG {
  const qr = PNG.sync.read(qrPng);
  const scale = Math.max(1, Math.floor((height * 0.8) / qr.height));
  const frame = new PNG({ width, height });
  frame.data.fill(255);
  const left = Math.floor((width - qr.width * scale) / 2);
  const top = Math.floor((height - qr.height * scale) / 2);
  for (let y = 0; y < qr.height * scale; y++) {
    for (let x = 0; x < qr.width * scale; x++) {
      const from = (Math.floor(y / scale) * qr.width + Math.floor(x / scale)) * 4;
      const to = ((top + y) * width + left + x) * 4;
      for (let c = 0; c < 4; c++) frame.data[to + c] = qr.data[from + c] as number;
    }
  }
  return frame;
}

/** Writes frames as a Y4M (YUV 4:2:0) file, what Chromium's fake camera plays in a loop. */
export function writeY4m(path: string, frames: readonly PNG[]): void {
  const first = frames[0] as PNG;
  const { width, height } = first;
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F5:1 Ip A1:1 C420jpeg\n`)];
  for (const frame of frames) {
    const y = Buffer.alloc(width * height);
    const u = Buffer.alloc((width / 2) * (height / 2));
    const v = Buffer.alloc((width / 2) * (height / 2));
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const i = (row * width + col) * 4;
        const r = frame.data[i] as number;
        const g = frame.data[i + 1] as number;
        const b = frame.data[i + 2] as number;
        y[row * width + col] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        if (row % 2 === 0 && col % 2 === 0) {
          const j = (row / 2) * (width / 2) + col / 2;
          u[j] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
          v[j] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
        }
      }
    }
    parts.push(Buffer.from('FRAME\n'), y, u, v);
  }
  writeFileSync(path, Buffer.concat(parts));
}

/** First visit: pin the root offered by the server (after reading its thumbprint), log in, fetch the first bundle. */
export async function provision(
  page: Page,
  baseUrl: string,
  officer: string,
  checkpoint: string,
  /** Where to save a picture of the setup screen showing the thumbprint to compare. */
  screenshot?: string,
): Promise<string> {
  await page.goto(`${baseUrl}/checkpoint/`);
  await page.getByTestId('root-fetch').click();
  const thumbprint = (await page.getByTestId('candidate-thumbprint').textContent()) ?? '';
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  await page.getByTestId('root-confirm').click();
  await page.getByTestId('login-officer').fill(officer);
  await page.getByTestId('login-checkpoint').selectOption(checkpoint);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('trust-fetch').click();
  await page.getByTestId('status').waitFor();
  return thumbprint;
}

/** Waits until the service worker controls the page, i.e. the app shell and its assets are precached. */
export async function untilOfflineReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((done) =>
        navigator.serviceWorker.addEventListener('controllerchange', done, { once: true }),
      );
  });
}

/** Types or pastes QR text into the scanner field and presses Enter, as a keyboard-wedge scanner does. */
export async function typeQr(page: Page, text: string): Promise<void> {
  await page.getByTestId('qr-text').fill(text);
  await page.getByTestId('qr-text').press('Enter');
}

/** A crossing as the checkpoint app keeps it in IndexedDB (web/checkpoint/src/storage.ts `LocalCrossing`). */
export interface QueuedRow {
  record: {
    id: string;
    credential: string;
    kind: 'bp' | 'vr';
    checkpoint: string;
    direction: 'OUT' | 'IN';
    at: string;
    officer: string;
    device: string;
    verdict: string;
    override?: { reason: string };
    crew?: { count: number; cnics: string[] };
  };
  state: string;
  day: string;
  name: string;
  number: string;
  reason?: string;
  anomalies?: string[];
}

/** The app's own crossing queue, read straight from IndexedDB. */
export function readQueue(page: Page): Promise<QueuedRow[]> {
  return page.evaluate(
    () =>
      new Promise<QueuedRow[]>((done, fail) => {
        const open = indexedDB.open('rahdari-checkpoint');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('crossings').objectStore('crossings').getAll();
          all.onerror = () => fail(all.error);
          all.onsuccess = () => {
            open.result.close();
            done(all.result as QueuedRow[]);
          };
        };
      }),
  );
}

/** This device's id, as the app stamps it on every record. */
export function queueDeviceId(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((done, fail) => {
        const open = indexedDB.open('rahdari-checkpoint');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('device').objectStore('device').get('deviceId');
          get.onerror = () => fail(get.error);
          get.onsuccess = () => {
            open.result.close();
            done(get.result as string);
          };
        };
      }),
  );
}

/**
 * Puts records into the app's queue as the app stores them, for tests and benchmarks of sending many (recording
 * thousands through the screen would only test the screen again). The app counts them at its next start.
 */
export function seedQueue(page: Page, rows: readonly QueuedRow[]): Promise<void> {
  return page.evaluate(
    (items) =>
      new Promise<void>((done, fail) => {
        const open = indexedDB.open('rahdari-checkpoint');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('crossings', 'readwrite');
          for (const item of items) tx.objectStore('crossings').put(item);
          tx.oncomplete = () => {
            open.result.close();
            done();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
    rows,
  );
}

/** The Pakistan calendar day of a time, as the app files a record under. */
export function pakistanDayOf(ms: number): string {
  return new Date(ms + 5 * 3600_000).toISOString().slice(0, 10);
}
