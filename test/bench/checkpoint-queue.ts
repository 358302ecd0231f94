// A queue at the post: 50 people passed through the camera on a 360x740 phone at 4x CPU throttle, each shown, judged
// and recorded OUT with one tap, beside the same 50 typed by a keyboard-wedge scanner on another phone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { startPlatform } from '../../local/platform.ts';
import { signCredential } from '../../shared/credential.ts';
import { toQrText } from '../../shared/qr.ts';
import { renderQrPng } from '../../shared/qr-png.ts';
import { loadKeyDir } from '../../signing/key-dir.ts';
import { buildCheckpointApp, launchChromium, provision, readQueue } from '../e2e/browser.ts';
import { type BenchRow, quantile } from './harness.ts';

const PEOPLE = 50;
const THROTTLE = 4;

/**
 * The phone's camera as a canvas stream: the card the test holds up (`window.showCard`) on a white desk, redrawn
 * 25 times a second, or the empty desk. The app reads it through getUserMedia like any camera.
 */
const CANVAS_CAMERA = () => {
  const w = window as unknown as { card?: HTMLImageElement; showCard: (url: string | null) => Promise<void> };
  w.showCard = async (url) => {
    if (!url) {
      w.card = undefined;
      return;
    }
    const image = new Image();
    image.src = url;
    await image.decode();
    w.card = image;
  };
  navigator.mediaDevices.getUserMedia = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    const draw = () => {
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      const card = w.card;
      if (!card) return;
      context.imageSmoothingEnabled = false;
      const scale = Math.max(1, Math.floor(560 / card.height));
      const width = card.width * scale;
      const height = card.height * scale;
      context.drawImage(card, (canvas.width - width) / 2, (canvas.height - height) / 2, width, height);
    };
    draw();
    setInterval(draw, 40);
    return canvas.captureStream(25);
  };
};

interface Person {
  number: string;
  qrText: string;
  dataUrl: string;
}

/** One person through the camera: the card comes up, the verdict shows, OUT is tapped, the card goes away. */
async function throughCamera(page: Page, person: Person): Promise<number> {
  const start = performance.now();
  await page.evaluate(
    (url) => (window as unknown as { showCard: (u: string) => Promise<void> }).showCard(url),
    person.dataUrl,
  );
  await page
    .locator('[data-testid="verdict"][data-verdict="VALID"]', { hasText: person.number })
    .waitFor({ timeout: 60_000 });
  await page.getByTestId('record-OUT').click();
  await page.getByTestId('recorded').waitFor();
  const ms = performance.now() - start;
  await page.evaluate(() => (window as unknown as { showCard: (u: null) => Promise<void> }).showCard(null));
  return ms;
}

/**
 * The same person by the wedge scanner: the code lands in the focused field and Enter follows, OUT is tapped. The
 * code goes in as one insertion: the driver's own round trip per key (three CDP messages a character, 700
 * characters) would be measured otherwise, not the app; the e2e tests type it key by key.
 */
async function throughWedge(page: Page, person: Person): Promise<number> {
  const start = performance.now();
  await page.keyboard.insertText(person.qrText);
  await page.keyboard.press('Enter');
  await page
    .locator('[data-testid="verdict"][data-verdict="VALID"]', { hasText: person.number })
    .waitFor({ timeout: 60_000 });
  await page.getByTestId('record-OUT').click();
  await page.getByTestId('recorded').waitFor();
  return performance.now() - start;
}

export async function benchCheckpointQueue(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'rahdari-bench-queue-'));
  const app = buildCheckpointApp();
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  const keyDir = join(work, 'keys');
  const platform = await startPlatform({
    dynamodbEndpoint: dynamodb.endpoint,
    tableName: 'rahdari-bench-queue',
    keyDir,
    port: 0,
    checkpointApp: { dir: app.dir },
  });
  const browser = await launchChromium();
  try {
    const keys = await loadKeyDir(keyDir);
    const now = Math.floor(Date.now() / 1000);
    const people: Person[] = [];
    for (let i = 1; i <= PEOPLE; i++) {
      const number = `BP-2026-${String(700 + i).padStart(6, '0')}`;
      const jws = await signCredential(keys.signing, 'bp', {
        sub: number,
        nbf: now - 3600,
        exp: now + 90 * 86_400,
        n: `Traveller ${i} Baloch`,
        f: `Father ${i} Baloch`,
        c: 5410112345600 + i,
        p: 'TFT RJY',
      });
      const png = await renderQrPng(jws, { scale: 4, margin: 4 });
      people.push({
        number,
        qrText: toQrText(jws),
        dataUrl: `data:image/png;base64,${Buffer.from(png).toString('base64')}`,
      });
    }

    const run = async (how: 'camera' | 'wedge') => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      await context.addInitScript(CANVAS_CAMERA);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await provision(page, platform.url, `bench-${how}`, 'TFT');
      process.stderr.write(`  ${how}: set up\n`);
      await context.setOffline(true);
      if (how === 'camera') await page.getByTestId('camera').click();
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
      const times: number[] = [];
      const started = performance.now();
      for (const person of people) {
        times.push(await (how === 'camera' ? throughCamera : throughWedge)(page, person));
        if (times.length % 10 === 0) process.stderr.write(`  ${how}: ${times.length} of ${PEOPLE}\n`);
      }
      const total = performance.now() - started;
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      const queue = await readQueue(page);
      const stored = new Set(queue.map((c) => c.number)).size === queue.length ? queue.length : -1;
      await context.close();
      return { times: times.sort((a, b) => a - b), total, stored };
    };

    const camera = await run('camera');
    const wedge = await run('wedge');
    return [
      {
        name: `${PEOPLE} people through the camera, ${THROTTLE}x CPU, per person (mean)`,
        value: camera.total / PEOPLE,
        unit: 'ms',
        baseline: { name: 'the same 50 by a wedge scanner', value: wedge.total / PEOPLE },
        note: `crossings recorded on the phone: ${camera.stored} by camera, ${wedge.stored} by wedge (of ${PEOPLE}, none twice)`,
      },
      {
        name: `card up to OUT recorded p50, camera, ${THROTTLE}x CPU`,
        value: quantile(camera.times, 0.5),
        unit: 'ms',
        baseline: { name: 'wedge p50', value: quantile(wedge.times, 0.5) },
      },
      {
        name: `card up to OUT recorded p95, camera, ${THROTTLE}x CPU`,
        value: quantile(camera.times, 0.95),
        unit: 'ms',
        baseline: { name: 'wedge p95', value: quantile(wedge.times, 0.95) },
        note: 'includes the tap on OUT, as the officer makes it',
      },
    ];
  } finally {
    await browser.close();
    await platform.close();
    await dynamodb.stop();
    app.remove();
    rmSync(work, { recursive: true, force: true });
  }
}
