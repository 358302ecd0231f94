// The checkpoint app sending a week of crossings in Chromium: records per second, and the page's longest
// main-thread block while it sends (it must stay usable for scanning), each beside a baseline of the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { startPlatform } from '../../local/platform.ts';
import { signCredential } from '../../shared/credential.ts';
import { MAX_CROSSING_BATCH } from '../../shared/domain/crossing.ts';
import { toQrText } from '../../shared/qr.ts';
import { loadKeyDir } from '../../signing/key-dir.ts';
import {
  buildCheckpointApp,
  launchChromium,
  pakistanDayOf,
  provision,
  type QueuedRow,
  queueDeviceId,
  seedQueue,
  untilOfflineReady,
} from '../e2e/browser.ts';
import type { BenchRow } from './harness.ts';

const RECORDS = 10_000;
const THROTTLE = 4;
const POST = 'TFT';
const OFFICER = 'bench-officer';

/**
 * A timer every 5 ms on the page: the longest gap between two of its ticks is the longest time the main thread
 * could not answer a tap or hand a camera frame on.
 */
const HEARTBEAT = `
  window.__beat = { on: false, last: 0, max: 0 };
  const tick = () => {
    const now = performance.now();
    const b = window.__beat;
    if (b.on && b.last) b.max = Math.max(b.max, now - b.last);
    b.last = now;
    setTimeout(tick, 5);
  };
  tick();
`;

export async function benchCheckpointSync(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'rahdari-bench-sync-'));
  const app = buildCheckpointApp();
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  const keyDir = join(work, 'keys');
  const platform = await startPlatform({
    dynamodbEndpoint: dynamodb.endpoint,
    tableName: 'rahdari-bench-sync',
    keyDir,
    port: 0,
    checkpointApp: { dir: app.dir },
  });
  const browser = await launchChromium();
  try {
    const keys = await loadKeyDir(keyDir);
    const now = Math.floor(Date.now() / 1000);
    const passes = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const sub = `BP-2026-${String(900_000 + i).padStart(6, '0')}`;
        const token = await signCredential(keys.signing, 'bp', {
          sub,
          nbf: now - 30 * 86_400,
          exp: now + 60 * 86_400,
          n: 'Muhammad Hayatullah Mohammad Hasni',
          f: 'Ghulam Rasool Mohammad Hasni',
          c: 5410112345000 + i * 10 + 3,
          p: 'TFT RJY',
        });
        return { sub, qr: toQrText(token) };
      }),
    );
    const ulid = monotonicFactory();
    // A week at a busy post: fifty holders out and back, spread over seven days, oldest first. The baseline and the
    // app each get holders of their own, so neither judges its records against the other's history.
    const week = (device: string, holders: typeof passes): QueuedRow[] => {
      const start = Date.now() - 7 * 86_400_000;
      const step = Math.floor((7 * 86_400_000) / RECORDS);
      return Array.from({ length: RECORDS }, (_, i) => {
        const pass = holders[i % holders.length] as (typeof passes)[number];
        const at = start + i * step;
        return {
          record: {
            id: ulid(at),
            credential: pass.qr,
            kind: 'bp',
            checkpoint: POST,
            direction: Math.floor(i / holders.length) % 2 === 0 ? 'OUT' : 'IN',
            at: new Date(at).toISOString(),
            officer: OFFICER,
            device,
            verdict: 'VALID',
          },
          state: 'queued',
          day: pakistanDayOf(at),
          name: 'Muhammad Hayatullah Mohammad Hasni',
          number: pass.sub,
        };
      });
    };

    const login = await fetch(`${platform.url}/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'checkpoint-officer', sub: OFFICER, checkpoint: POST }),
    });
    const { token } = (await login.json()) as { token: string };

    // Baseline: the same kind of week POSTed straight from Node, batch after batch, no browser.
    const direct = week('bench-node', passes.slice(0, 50)).map((row) => row.record);
    const directStart = performance.now();
    for (let i = 0; i < direct.length; i += MAX_CROSSING_BATCH) {
      const res = await fetch(`${platform.url}/crossings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ records: direct.slice(i, i + MAX_CROSSING_BATCH) }),
      });
      if (res.status !== 200) throw new Error(`POST /crossings answered ${res.status}`);
      await res.arrayBuffer();
    }
    const directRate = RECORDS / ((performance.now() - directStart) / 1000);

    const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
    await context.addInitScript(HEARTBEAT);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await provision(page, platform.url, OFFICER, POST);
    await untilOfflineReady(page);
    await context.setOffline(true);
    await seedQueue(page, week(await queueDeviceId(page), passes.slice(50)));
    await page.reload();
    await page.locator(`[data-testid="queue"][data-waiting="${RECORDS}"]`).waitFor({ timeout: 60_000 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });

    const beat = (on: boolean) =>
      page.evaluate((value) => {
        const b = (window as unknown as { __beat: { on: boolean; max: number; last: number } }).__beat;
        const max = b.max;
        b.on = value;
        b.max = 0;
        b.last = 0;
        return max;
      }, on);
    // The page idle for three seconds, throttled the same, as the floor of what a timer can show.
    await beat(true);
    await page.waitForTimeout(3000);
    const idleBlock = await beat(true);

    const start = performance.now();
    await context.setOffline(false);
    await page.locator('[data-testid="queue"][data-waiting="0"]').waitFor({ timeout: 600_000 });
    const seconds = (performance.now() - start) / 1000;
    const syncBlock = await beat(false);
    const outcome = await page.getByTestId('crossing-sync').textContent();
    await context.close();
    if (!outcome?.includes(`${RECORDS} stored`)) throw new Error(`the app's sync ended with: ${outcome}`);

    return [
      {
        name: `app sends ${RECORDS.toLocaleString('en-US')} queued crossings, ${THROTTLE}x CPU`,
        value: RECORDS / seconds,
        unit: 'records/s',
        baseline: { name: 'same batches POSTed from Node', value: directRate },
        note: `${seconds.toFixed(1)} s for a week offline at a busy post`,
      },
      {
        name: `longest main-thread block while sending, ${THROTTLE}x CPU`,
        value: Math.round(syncBlock),
        unit: 'ms',
        baseline: { name: `same page idle, ${THROTTLE}x`, value: Math.round(idleBlock) },
        note: 'a 5 ms timer on the page: the longest gap between its ticks',
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
