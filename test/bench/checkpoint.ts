// Checkpoint app benchmarks in Chromium: scan to verdict under 4x CPU throttling, and a 100,000-revocation trust state.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { CDPSession, Page } from 'playwright-core';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { startPlatform } from '../../local/platform.ts';
import { signCredential } from '../../shared/credential.ts';
import { toQrText } from '../../shared/qr.ts';
import { renderQrPng } from '../../shared/qr-png.ts';
import { signTrustBundle } from '../../shared/trust-bundle.ts';
import { loadKeyDir } from '../../signing/key-dir.ts';
import { buildCheckpointApp, launchChromium, provision, typeQr } from '../e2e/browser.ts';
import { FIELD_PYTHON } from '../field/field-set.ts';
import { type BenchRow, quantile } from './harness.ts';

const FRAMES_PER_LEVEL = 10;
const REVOCATIONS = 100_000;
const THROTTLE = 4;

/** Runs `act` and returns how long the app took from input to verdict on screen, by its own User Timing mark. */
async function timedVerdict(
  page: Page,
  act: () => Promise<unknown>,
): Promise<{ ms: number; verdict: string }> {
  const panel = page.getByTestId('verdict');
  const before = (await panel.count()) > 0 ? await panel.getAttribute('data-seq') : null;
  await page.evaluate(() => performance.clearMeasures('rahdari:scan-to-verdict'));
  await act();
  const fresh =
    before === null ? '[data-testid="verdict"]' : `[data-testid="verdict"]:not([data-seq="${before}"])`;
  await page.locator(fresh).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => performance.getEntriesByName('rahdari:scan-to-verdict').length > 0);
  const ms = await page.evaluate(
    () => performance.getEntriesByName('rahdari:scan-to-verdict')[0]?.duration ?? NaN,
  );
  return { ms, verdict: (await panel.getAttribute('data-verdict')) ?? '' };
}

/** The sequence number of what the app shows now: a verdict or an input error (each new one gets a higher one). */
async function shownSeq(page: Page, testId: string): Promise<string | null> {
  const shown = page.getByTestId(testId);
  return (await shown.count()) > 0 ? shown.getAttribute('data-seq') : null;
}

/** Each frame through the photo input: decoded on the app's worker, verified, shown. Frames not read are counted. */
async function scanFrames(page: Page, frames: readonly string[]): Promise<{ times: number[]; read: number }> {
  const times: number[] = [];
  let read = 0;
  for (const frame of frames) {
    const verdictSeq = await shownSeq(page, 'verdict');
    const errorSeq = await shownSeq(page, 'input-error');
    await page.evaluate(() => performance.clearMeasures('rahdari:scan-to-verdict'));
    await page.getByTestId('photo').setInputFiles(frame);
    const newVerdict = `[data-testid="verdict"]${verdictSeq === null ? '' : `:not([data-seq="${verdictSeq}"])`}`;
    const newError = `[data-testid="input-error"]${errorSeq === null ? '' : `:not([data-seq="${errorSeq}"])`}`;
    await page.locator(`${newVerdict}, ${newError}`).first().waitFor({ timeout: 30_000 });
    if ((await page.locator(newVerdict).count()) === 0) continue;
    await page.waitForFunction(() => performance.getEntriesByName('rahdari:scan-to-verdict').length > 0);
    const ms = await page.evaluate(
      () => performance.getEntriesByName('rahdari:scan-to-verdict')[0]?.duration ?? Number.NaN,
    );
    if ((await page.getByTestId('verdict').getAttribute('data-verdict')) === 'VALID') {
      read++;
      times.push(ms);
    }
  }
  return { times: times.sort((a, b) => a - b), read };
}

async function throttle(cdp: CDPSession, rate: number): Promise<void> {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/** The time the app took at its last start to restore and re-verify the trust state from IndexedDB. */
async function trustLoadMs(page: Page): Promise<number> {
  await page.reload();
  await page.getByTestId('status').waitFor({ timeout: 60_000 });
  return page.evaluate(() => performance.getEntriesByName('rahdari:trust-load')[0]?.duration ?? NaN);
}

export async function benchCheckpoint(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'rahdari-bench-checkpoint-'));
  const app = buildCheckpointApp();
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  const keyDir = join(work, 'keys');
  const platform = await startPlatform({
    dynamodbEndpoint: dynamodb.endpoint,
    tableName: 'rahdari-bench-checkpoint',
    keyDir,
    port: 0,
    checkpointApp: { dir: app.dir },
  });
  const browser = await launchChromium();
  try {
    const keys = await loadKeyDir(keyDir);
    const now = Math.floor(Date.now() / 1000);
    // Passes signed with the platform's pass key, as the approvals function signs them.
    const pass = (sub: string) =>
      signCredential(keys.signing, 'bp', {
        sub,
        nbf: now - 3600,
        exp: now + 90 * 86_400,
        n: 'Muhammad Hayatullah Mohammad Hasni',
        f: 'Ghulam Rasool Mohammad Hasni',
        c: 5410112345673,
        p: 'TFT RJY',
      });
    const printed = await pass('BP-2026-004711');
    const qrPng = join(work, 'pass-qr.png');
    writeFileSync(qrPng, await renderQrPng(printed, { scale: 6, margin: 4 }));
    // Phone-like 1280x720 frames of the printed pass, made by the QR field set's generator (easy and medium).
    await promisify(execFile)(FIELD_PYTHON, [
      'test/field/make_field_set.py',
      qrPng,
      work,
      '--per-level',
      String(FRAMES_PER_LEVEL),
      '--seed',
      '2026',
      '--scale',
      '6',
    ]);
    const manifest = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8')) as {
      frames: { file: string; level: string }[];
    };
    const frames = manifest.frames.filter((f) => f.level !== 'hard').map((f) => join(work, f.file));

    const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await provision(page, platform.url, 'bench-officer', 'TFT');
    // The worker and its WebAssembly start on the first frame; that start is not a scan.
    await scanFrames(page, frames.slice(0, 1));

    await throttle(cdp, 1);
    const fast = await scanFrames(page, frames);
    await throttle(cdp, THROTTLE);
    const slow = await scanFrames(page, frames);
    const typed: number[] = [];
    for (let i = 0; i < 20; i++)
      typed.push((await timedVerdict(page, () => typeQr(page, toQrText(printed)))).ms);
    typed.sort((a, b) => a - b);

    // The trust state: the small one the server gave, then a full bundle with 100,000 revocations.
    const smallLoad = await trustLoadMs(page);
    const lookupPass = toQrText(await pass(`BP-2026-${String(REVOCATIONS).padStart(6, '0')}`));
    const smallLookup = await timedVerdict(page, () => typeQr(page, lookupPass));
    await throttle(cdp, 1);
    const version = Number(await page.getByTestId('trust-version').getAttribute('data-version'));
    const revoked = Array.from(
      { length: REVOCATIONS },
      (_, i) => `BP-2026-${String(i + 1).padStart(6, '0')}`,
    );
    const bigBundle = await signTrustBundle(keys.root, {
      iss: 'rahdari',
      iat: Math.floor(Date.now() / 1000),
      validUntil: Math.floor(Date.now() / 1000) + 72 * 3600,
      keys: keys.jwks.keys,
      version: version + REVOCATIONS,
      revoked,
    });
    const bundleFile = join(work, 'bundle.jwt');
    writeFileSync(bundleFile, bigBundle);
    await page.getByTestId('trust-file').setInputFiles(bundleFile);
    await page
      .locator(`[data-testid="trust-version"][data-version="${version + REVOCATIONS}"]`)
      .waitFor({ timeout: 120_000 });
    await throttle(cdp, THROTTLE);
    const bigLoad = await trustLoadMs(page);
    const bigLookup = await timedVerdict(page, () => typeQr(page, lookupPass));
    if (bigLookup.verdict !== 'REVOKED')
      throw new Error(`the lookup in the large state gave ${bigLookup.verdict}`);
    await context.close();

    const wire = gzipSync(bigBundle).length;
    const rate = `${fast.read}/${frames.length} frames read at 1x, ${slow.read}/${frames.length} at ${THROTTLE}x`;
    return [
      {
        name: `scan to verdict p50, ${THROTTLE}x CPU (1280x720 frames)`,
        value: quantile(slow.times, 0.5),
        unit: 'ms',
        baseline: { name: 'same frames at 1x', value: quantile(fast.times, 0.5) },
        note: rate,
      },
      {
        name: `scan to verdict p95, ${THROTTLE}x CPU`,
        value: quantile(slow.times, 0.95),
        unit: 'ms',
        baseline: { name: 'same frames at 1x', value: quantile(fast.times, 0.95) },
        // Chromium throttles a page's CPU, but answers "only supported for pages" for a worker target: the
        // decoding worker is slowed only in part (a busy loop on a worker ran about 1.5x slower under 4x).
        note: 'target ≤ 150 ms at 4x; the decoding worker is only partly throttled',
      },
      {
        name: `scan to verdict p95, ${THROTTLE}x CPU, beside typed text`,
        value: quantile(slow.times, 0.95),
        unit: 'ms',
        baseline: {
          name: `typed QR text to verdict p95, ${THROTTLE}x (no decoding)`,
          value: quantile(typed, 0.95),
        },
      },
      {
        name: `trust bundle, ${REVOCATIONS.toLocaleString('en-US')} revocations, gzip on the wire`,
        value: Math.round(wire / 1024),
        unit: 'KB',
        baseline: { name: 'uncompressed', value: Math.round(bigBundle.length / 1024) },
        note: 'target ≤ 600 KB',
      },
      {
        name: `load trust state at start, ${REVOCATIONS.toLocaleString('en-US')} revocations, ${THROTTLE}x CPU`,
        value: bigLoad,
        unit: 'ms',
        baseline: { name: `the server's bundle (no revocations), ${THROTTLE}x`, value: smallLoad },
        note: 'IndexedDB read, signature check, revocation set',
      },
      {
        name: `revoked pass typed to verdict, ${REVOCATIONS.toLocaleString('en-US')} revocations, ${THROTTLE}x CPU`,
        value: bigLookup.ms,
        unit: 'ms',
        baseline: { name: `same pass in the small state, ${THROTTLE}x`, value: smallLookup.ms },
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
