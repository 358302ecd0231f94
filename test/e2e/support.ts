// End-to-end helpers: the checkpoint app built once, the local platform serving it, Chromium, and credentials.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { expect, inject } from 'vitest';
import { startPlatform } from '../../local/platform.ts';
import type { Role } from '../../shared/schemas.ts';
import { testTable } from '../support/dynamodb.ts';
import { type ApiResponse, applicationFor } from '../support/platform.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots and other things a person looks at after a run; .gitignore keeps them out of the repository. */
export const ARTIFACTS = resolve('.artifacts');

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

export interface E2ePlatform {
  url: string;
  keyDir: string;
  login(role: Role, sub: string, bound?: { checkpoint?: string; cnic?: string }): Promise<string>;
  api(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<ApiResponse>;
  close(): Promise<void>;
}

/** The local platform as in the integration tests (its own table and keys) serving the built app under /checkpoint/. */
export async function checkpointPlatform(appDir: string): Promise<E2ePlatform> {
  const table = await testTable();
  const tempDir = mkdtempSync(join(tmpdir(), 'rahdari-e2e-'));
  const keyDir = join(tempDir, 'keys');
  const platform = await startPlatform({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tableName: table.tableName,
    keyDir,
    port: 0,
    checkpointApp: { dir: appDir },
  });
  const api: E2ePlatform['api'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${platform.url}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  return {
    url: platform.url,
    keyDir,
    api,
    async login(role, sub, bound = {}) {
      const res = await api('POST', '/dev/login', { body: { role, sub, ...bound } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
      return res.json.token as string;
    },
    async close() {
      await platform.close();
      table.raw.destroy();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
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

export interface IssuedPass {
  number: string;
  qrText: string;
  png: Buffer;
  name: string;
}

/** A Gwadar resident applies and an FIA officer approves: the pass lists GBD and JWN. */
export async function issuePass(p: E2ePlatform, cnic: string, name: string): Promise<IssuedPass> {
  const applicant = await p.login('applicant', `resident-${cnic}`, { cnic });
  const officer = await p.login('fia-officer', 'officer-e2e');
  const applied = await p.api('POST', '/applications', {
    token: applicant,
    body: applicationFor(cnic, { name, district: 'GWADAR', crossingPoints: ['GBD', 'JWN'] }),
  });
  expect(applied.status).toBe(201);
  const approved = await p.api('POST', `/applications/${applied.json.id}/approve`, { token: officer });
  expect(approved.status).toBe(201);
  const number = approved.json.pass.number as string;
  const pass = await p.api('GET', `/passes/${number}`, { token: officer });
  const png = await fetch(`${p.url}/passes/${number}/qr.png`, {
    headers: { authorization: `Bearer ${officer}` },
  });
  return { number, qrText: pass.json.qrText, png: Buffer.from(await png.arrayBuffer()), name };
}

export async function revokePass(p: E2ePlatform, number: string): Promise<void> {
  const supervisor = await p.login('fia-supervisor', 'supervisor-e2e');
  const res = await p.api('POST', `/passes/${number}/revoke`, {
    token: supervisor,
    body: { reason: 'reported lost' },
  });
  expect(res.status).toBe(200);
}

/** First visit: pin the root offered by the server (after reading its thumbprint), log in, fetch the first bundle. */
export async function provision(
  page: Page,
  baseUrl: string,
  officer: string,
  checkpoint: string,
): Promise<string> {
  await page.goto(`${baseUrl}/checkpoint/`);
  await page.getByTestId('root-fetch').click();
  const thumbprint = (await page.getByTestId('candidate-thumbprint').textContent()) ?? '';
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

export interface ShownVerdict {
  verdict: string | null;
  tone: string | null;
  text: string;
  warnings: string[];
}

/** Does `act` (a scan, a photo, typed text) and returns the verdict it puts on screen, never an earlier one. */
export async function verdictAfter(page: Page, act: () => Promise<unknown>): Promise<ShownVerdict> {
  const panel = page.getByTestId('verdict');
  const before = (await panel.count()) > 0 ? await panel.getAttribute('data-seq') : null;
  await act();
  const fresh =
    before === null ? '[data-testid="verdict"]' : `[data-testid="verdict"]:not([data-seq="${before}"])`;
  await page.locator(fresh).waitFor({ timeout: 20_000 });
  return {
    verdict: await panel.getAttribute('data-verdict'),
    tone: await panel.getAttribute('data-tone'),
    text: (await panel.textContent()) ?? '',
    warnings: await panel
      .locator('[data-warning]')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-warning') ?? '')),
  };
}

export function artifactPath(...parts: string[]): string {
  const path = join(ARTIFACTS, ...parts);
  mkdirSync(join(path, '..'), { recursive: true });
  return path;
}

export function readPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
}
