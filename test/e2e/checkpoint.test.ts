// The checkpoint app in real Chromium against the local platform: set up online, then check passes and boat
// certificates offline from typed text, photos and a camera, and follow the trust state as it advances.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { karachiDay } from '../support/data.ts';
import { vesselBody } from '../support/fleet.ts';
import { portOfficerToken } from '../support/port-token.ts';
import {
  buildCheckpointApp,
  checkpointPlatform,
  type E2ePlatform,
  frameWithQr,
  type IssuedPass,
  issuePass,
  launchChromium,
  provision,
  readPayload,
  revokePass,
  typeQr,
  untilOfflineReady,
  verdictAfter,
  writeY4m,
} from './support.ts';

let app: { dir: string; remove: () => void };
let p: E2ePlatform;
let browser: Browser;
const work = mkdtempSync(join(tmpdir(), 'rahdari-e2e-checkpoint-'));
/** The post: Jiwani is a sea crossing and a port, so it checks both passes and boat certificates. */
const POST = 'JWN';

let valid: IssuedPass;
let revokedEarly: IssuedPass;
let revokedLater: IssuedPass;
let boat: { serial: string; qrText: string; png: Buffer; name: string; officialNumber: string };
/** A full bundle from before the later revocation: replaying it must not undo that revocation. */
let oldFullBundle: string;

beforeAll(async () => {
  app = buildCheckpointApp();
  p = await checkpointPlatform(app.dir);
  valid = await issuePass(p, '5210100000013', 'Mehrab Gichki');
  revokedEarly = await issuePass(p, '5210100000023', 'Shahdad Kalmati');
  revokedLater = await issuePass(p, '5210100000033', 'Dostain Hoth');
  await revokePass(p, revokedEarly.number);

  const fisheries = await portOfficerToken(p.keyDir, 'fisheries-gwd-e2e', 'GWD');
  const registered = await p.api('POST', '/vessels', { token: fisheries, body: vesselBody(karachiDay()) });
  expect(registered.status).toBe(201);
  const officialNumber = registered.json.officialNumber as string;
  const png = await fetch(`${p.url}/vessels/${officialNumber}/qr.png`, {
    headers: { authorization: `Bearer ${fisheries}` },
  });
  expect(png.status).toBe(200);
  boat = {
    serial: registered.json.certificate.serial,
    qrText: registered.json.certificate.qrText,
    png: Buffer.from(await png.arrayBuffer()),
    name: registered.json.name,
    officialNumber,
  };

  // The fake camera plays a phone held over the printed pass.
  const video = join(work, 'camera.y4m');
  writeY4m(video, [frameWithQr(valid.png), frameWithQr(valid.png)]);
  browser = await launchChromium({ fakeVideo: video });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
  app?.remove();
  rmSync(work, { recursive: true, force: true });
});

describe('a post that goes offline after one online visit', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['camera'], { origin: p.url });
    page = await context.newPage();
  });
  afterAll(() => context.close());

  it('sets up online: the root thumbprint shown is the key directory root, then login and the first bundle', async () => {
    const shown = await provision(page, p.url, 'cg-jiwani-1', POST);
    const { readFileSync } = await import('node:fs');
    const root = JSON.parse(readFileSync(join(p.keyDir, 'root.jwk'), 'utf8'));
    const expected = await calculateJwkThumbprint(
      { kty: root.kty, crv: root.crv, x: root.x, y: root.y },
      'sha256',
    );
    expect(shown.replace(/\s/g, '')).toBe(expected);
    await expect(page.getByTestId('trust-age').textContent()).resolves.toContain('Trust data updated');
    await untilOfflineReady(page);
  });

  it('opens with no network after a reload', async () => {
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('status').waitFor();
    await expect(page.getByTestId('trust-version').getAttribute('data-version')).resolves.toMatch(/^\d+$/);
  });

  it('checks a pass from typed text offline: VALID, with the name, father and CNIC to compare', async () => {
    const shown = await verdictAfter(page, () => typeQr(page, valid.qrText));
    expect(shown).toMatchObject({ verdict: 'VALID', tone: 'ok', warnings: [] });
    expect(shown.text).toContain(valid.name);
    expect(shown.text).toContain('Haji Muhammad Hassan');
    expect(shown.text).toContain('52101-0000001-3');
  });

  it('checks a boat certificate from typed text offline: VALID, with the boat name, official number and crew limit', async () => {
    const shown = await verdictAfter(page, () => typeQr(page, boat.qrText));
    expect(shown).toMatchObject({ verdict: 'VALID', tone: 'ok' });
    expect(shown.text).toContain(boat.name);
    expect(shown.text).toContain(boat.officialNumber);
    expect(shown.text).toContain('Crew limit12');
  });

  it('reads a photo of a pass and of a boat certificate offline, decoded by the WebAssembly reader', async () => {
    const photo = page.getByTestId('photo');
    const pass = await verdictAfter(page, () =>
      photo.setInputFiles({ name: 'pass.png', mimeType: 'image/png', buffer: valid.png }),
    );
    expect(pass.verdict).toBe('VALID');
    expect(pass.text).toContain(valid.name);
    const certificate = await verdictAfter(page, () =>
      photo.setInputFiles({ name: 'boat.png', mimeType: 'image/png', buffer: boat.png }),
    );
    expect(certificate.verdict).toBe('VALID');
    expect(certificate.text).toContain(boat.serial);
  });

  it('reads a pass from the camera offline', async () => {
    const shown = await verdictAfter(page, () => page.getByTestId('camera').click());
    await page.getByTestId('camera').click();
    expect(shown.verdict).toBe('VALID');
    expect(shown.text).toContain(valid.name);
  });

  it('shows REVOKED for a pass revoked before the last trust update', async () => {
    const shown = await verdictAfter(page, () => typeQr(page, revokedEarly.qrText));
    expect(shown).toMatchObject({ verdict: 'REVOKED', tone: 'bad' });
  });

  it('back online, a delta advances the state and a newly revoked pass shows REVOKED', async () => {
    const before = Number(await page.getByTestId('trust-version').getAttribute('data-version'));
    oldFullBundle = (
      await p.api('GET', '/trust-bundle', {
        token: await p.login('checkpoint-officer', 'x', { checkpoint: POST }),
      })
    ).text;
    await revokePass(p, revokedLater.number);
    await context.setOffline(false);
    await page.getByTestId('sync-now').click();
    await page.locator(`[data-testid="trust-version"][data-version="${before + 1}"]`).waitFor();
    await expect(page.getByTestId('sync').getAttribute('data-outcome')).resolves.toBe('updated');
    const shown = await verdictAfter(page, () => typeQr(page, revokedLater.qrText));
    expect(shown.verdict).toBe('REVOKED');
  });

  it('refuses a replayed older bundle from the network and keeps the state, saying so', async () => {
    const version = await page.getByTestId('trust-version').getAttribute('data-version');
    await page.route('**/trust-bundle*', (route) =>
      route.fulfill({ status: 200, contentType: 'application/jwt', body: oldFullBundle }),
    );
    await page.getByTestId('sync-now').click();
    await page.locator('[data-testid="sync"][data-outcome="refused"]').waitFor();
    await page.unroute('**/trust-bundle*');
    await expect(page.getByTestId('sync').textContent()).resolves.toContain(
      'older than the data on this device',
    );
    await expect(page.getByTestId('trust-version').getAttribute('data-version')).resolves.toBe(version);
    const shown = await verdictAfter(page, () => typeQr(page, revokedLater.qrText));
    expect(shown.verdict).toBe('REVOKED');
  });

  it('refuses a delta that does not follow the stored version, loaded from a file, and keeps the state', async () => {
    const version = Number(await page.getByTestId('trust-version').getAttribute('data-version'));
    const checkpoint = await p.login('checkpoint-officer', 'x', { checkpoint: POST });
    const delta = (await p.api('GET', `/trust-bundle?since=${version - 1}`, { token: checkpoint })).text;
    expect(readPayload(delta)).toMatchObject({ since: version - 1 });
    await page
      .getByTestId('trust-file')
      .setInputFiles({ name: 'update.jwt', mimeType: 'application/jwt', buffer: Buffer.from(delta) });
    await page.locator('[data-testid="sync"][data-outcome="refused"]').waitFor();
    await expect(page.getByTestId('sync').textContent()).resolves.toContain('does not follow');
    await expect(page.getByTestId('trust-version').getAttribute('data-version')).resolves.toBe(
      String(version),
    );
    // Still refused after a reload: nothing of the refused delta was saved.
    await page.reload();
    await expect(page.getByTestId('trust-version').getAttribute('data-version')).resolves.toBe(
      String(version),
    );
    const shown = await verdictAfter(page, () => typeQr(page, revokedLater.qrText));
    expect(shown.verdict).toBe('REVOKED');
  });
});
