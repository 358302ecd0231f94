// End-to-end helpers: the local platform serving the built app, issued credentials, and the app's screens.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { startPlatform } from '../../local/platform.ts';
import type { Role } from '../../shared/schemas.ts';
import { testTable } from '../support/dynamodb.ts';
import { type ApiResponse, apiClient, applicationFor } from '../support/platform.ts';

/** Screenshots and other things a person looks at after a run; .gitignore keeps them out of the repository. */
export const ARTIFACTS = resolve('.artifacts');

export interface E2ePlatform {
  url: string;
  keyDir: string;
  login(
    role: Role,
    sub: string,
    bound?: { checkpoint?: string; cnic?: string; port?: string },
  ): Promise<string>;
  api(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<ApiResponse>;
  close(): Promise<void>;
}

/** The local platform as in the integration tests (its own table and keys) serving the built app under /checkpoint/. */
export async function checkpointPlatform(
  appDir: string,
  auth?: { kind: 'cognito'; authority: string; clientId: string },
  clock?: () => Date,
): Promise<E2ePlatform> {
  const table = await testTable();
  const tempDir = mkdtempSync(join(tmpdir(), 'rahdari-e2e-'));
  const keyDir = join(tempDir, 'keys');
  const platform = await startPlatform({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tableName: table.tableName,
    keyDir,
    port: 0,
    ...(clock ? { clock } : {}),
    checkpointApp: { dir: appDir, ...(auth ? { auth } : {}) },
  });
  const api = apiClient(platform.url);
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

export {
  buildCheckpointApp,
  frameWithQr,
  launchChromium,
  pakistanDayOf,
  provision,
  type QueuedRow,
  queueDeviceId,
  readQueue,
  seedQueue,
  typeQr,
  untilOfflineReady,
  writeY4m,
} from './browser.ts';

/** The platform as a child process: `kill()` is a SIGKILL, as a power cut or an OOM kill would be. */
export interface PlatformProcess {
  url: string;
  kill(): Promise<void>;
}

export async function platformProcess(env: {
  table: string;
  keyDir: string;
  port: number;
  appDir: string;
}): Promise<PlatformProcess> {
  const child = spawn(process.execPath, ['test/e2e/platform-process.ts'], {
    env: {
      ...process.env,
      RAHDARI_DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
      RAHDARI_TABLE: env.table,
      RAHDARI_KEY_DIR: env.keyDir,
      RAHDARI_PORT: String(env.port),
      RAHDARI_APP_DIR: env.appDir,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /ready (\S+)/.exec(out);
      if (ready?.[1]) resolveUrl(ready[1]);
    });
    child.once('exit', (code) => reject(new Error(`the platform process exited with ${code}: ${out}`)));
  });
  return {
    url,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A port nothing listens on now, for a platform that must come back on the same origin. */
export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
}
