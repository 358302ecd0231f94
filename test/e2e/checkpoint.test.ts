// The checkpoint app in real Chromium against the local platform: set up online, then check passes and boat
// certificates offline from typed text, photos and a camera, and follow the trust state as it advances.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { karachiDay } from '../support/data.ts';
import { vesselBody } from '../support/fleet.ts';
import {
  artifactPath,
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
  type ShownVerdict,
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

  const fisheries = await p.login('fisheries-officer', 'fisheries-gwd-e2e', { port: 'GWD' });
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
    const shown = await provision(
      page,
      p.url,
      'cg-jiwani-1',
      POST,
      artifactPath('screenshots', 'setup-en-1280.png'),
    );
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

  it("keeps the QR decoder's WebAssembly and the Urdu fonts in the service worker's cache", async () => {
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys())
        for (const request of await (await caches.open(name)).keys())
          urls.push(new URL(request.url).pathname);
      return urls;
    });
    expect(cached.some((url) => /\/checkpoint\/assets\/zxing_reader-[\w-]+\.wasm$/.test(url))).toBe(true);
    expect(cached.some((url) => /noto-nastaliq-urdu-arabic-400-normal-[\w-]+\.woff2$/.test(url))).toBe(true);
    expect(cached.some((url) => url.endsWith('/checkpoint/index.html'))).toBe(true);
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
    // No button pressed: the app updates by itself when the connection comes back.
    await context.setOffline(false);
    await page.locator(`[data-testid="trust-version"][data-version="${before + 1}"]`).waitFor();
    await page.locator('[data-testid="sync"][data-outcome="updated"]').waitFor();
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
    // The previous refusal is still on screen: wait for this one's reason.
    await page
      .locator('[data-testid="sync"][data-outcome="refused"]', { hasText: 'does not follow' })
      .waitFor();
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

const HOUR = 3600_000;

/** A second device of the same post, set up online at `setUpAt` (device time) and then taken offline. */
async function offlineDevice(
  officer: string,
  setUpAt?: number,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (setUpAt !== undefined) await context.clock.setFixedTime(new Date(setUpAt));
  const page = await context.newPage();
  await provision(page, p.url, officer, POST);
  await untilOfflineReady(page);
  await context.setOffline(true);
  return { context, page };
}

describe('a device offline for weeks, its login and trust data running out, its clock set back', () => {
  // Taken when the device is set up, not when the file loads: the build before it may take a while.
  let setUpAt: number;
  let context: BrowserContext;
  let page: Page;

  /** The device clock reads `ms`; the app is opened again, as an officer would after the phone slept. */
  async function clockAt(ms: number): Promise<void> {
    await context.clock.setFixedTime(new Date(ms));
    await page.reload();
    await page.getByTestId('status').waitFor();
  }
  const stateWarnings = () =>
    page
      .locator('[data-testid="state-warnings"] [data-warning]')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-warning')));

  beforeAll(async () => {
    setUpAt = Date.now();
    ({ context, page } = await offlineDevice('cg-jiwani-2', setUpAt));
  });
  afterAll(() => context.close());

  it('after 13 hours the login has expired: updating asks for a login, checking still says VALID', async () => {
    await clockAt(setUpAt + 13 * HOUR);
    await page.getByTestId('login-expired').waitFor();
    await page.getByTestId('sync-now').click();
    await page.locator('[data-testid="sync"][data-outcome="login-needed"]').waitFor();
    const shown = await verdictAfter(page, () => typeQr(page, valid.qrText));
    expect(shown).toMatchObject({ verdict: 'VALID', tone: 'ok', warnings: [] });
  });

  it('after 25 hours the state shows its age and a stale warning, and a pass is VALID in amber', async () => {
    await clockAt(setUpAt + 25 * HOUR + 5 * 60_000);
    await expect(page.getByTestId('trust-age').textContent()).resolves.toMatch(/25 h \d+ min ago/);
    expect(await stateWarnings()).toEqual(['BUNDLE_STALE']);
    const shown = await verdictAfter(page, () => typeQr(page, valid.qrText));
    expect(shown).toMatchObject({ verdict: 'VALID', tone: 'warn', warnings: ['BUNDLE_STALE'] });
  });

  it('on day 20, past validUntil, a pass is "valid, revocation unknown" and a revoked one is still REVOKED', async () => {
    await clockAt(setUpAt + 20 * 24 * HOUR);
    expect(await stateWarnings()).toEqual(['BUNDLE_STALE', 'REVOCATION_UNKNOWN']);
    const shown = await verdictAfter(page, () => typeQr(page, valid.qrText));
    expect(shown).toMatchObject({ verdict: 'VALID', tone: 'warn' });
    expect(shown.warnings).toEqual(['BUNDLE_STALE', 'REVOCATION_UNKNOWN']);
    expect(shown.text).toContain('VALID — REVOCATION UNKNOWN');
    const revoked = await verdictAfter(page, () => typeQr(page, revokedEarly.qrText));
    expect(revoked).toMatchObject({ verdict: 'REVOKED', tone: 'bad' });
  });

  it('a clock set back three hours from day 20 says it went back, and checking still works', async () => {
    await clockAt(setUpAt + 20 * 24 * HOUR - 3 * HOUR);
    // The app reads its latest-seen time from IndexedDB after the first render.
    await page.locator('[data-testid="state-warnings"] [data-warning="CLOCK_WENT_BACK"]').waitFor();
    expect(await stateWarnings()).toContain('CLOCK_WENT_BACK');
    const shown = await verdictAfter(page, () => typeQr(page, valid.qrText));
    expect(shown.verdict).toBe('VALID');
    expect(shown.warnings).toContain('CLOCK_WENT_BACK');
  });
});

describe("a device whose clock is an hour off the server's", () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ context, page } = await offlineDevice('cg-jiwani-3', Date.now() + HOUR));
  });
  afterAll(() => context.close());

  it('warns of the clock on the status and on the verdict, which is still VALID (in amber)', async () => {
    await page.reload();
    await page.locator('[data-testid="state-warnings"] [data-warning="CLOCK_DRIFT"]').waitFor();
    const warnings = await page
      .locator('[data-testid="state-warnings"] [data-warning]')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-warning')));
    expect(warnings).toEqual(['CLOCK_DRIFT']);
    const shown = await verdictAfter(page, () => typeQr(page, valid.qrText));
    expect(shown).toMatchObject({ verdict: 'VALID', tone: 'warn', warnings: ['CLOCK_DRIFT'] });
  });
});

describe('verdict screens in English and Urdu at phone and laptop widths', () => {
  let now: number;
  let context: BrowserContext;
  let page: Page;
  const widths = [360, 1280] as const;
  const langs = ['en', 'ur'] as const;

  async function showIn(lang: 'en' | 'ur', width: number): Promise<void> {
    await page.setViewportSize({ width, height: 800 });
    if ((await page.evaluate(() => document.documentElement.lang)) !== lang)
      await page.getByTestId('lang').click();
    await page.locator(`html[lang="${lang}"]`).waitFor();
  }
  async function capture(
    name: string,
    lang: 'en' | 'ur',
    width: number,
    text: string,
  ): Promise<ShownVerdict> {
    await showIn(lang, width);
    const shown = await verdictAfter(page, () => typeQr(page, text));
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({
      path: artifactPath('screenshots', `${name}-${lang}-${width}.png`),
      fullPage: true,
    });
    return shown;
  }

  beforeAll(async () => {
    now = Date.now();
    ({ context, page } = await offlineDevice('cg-jiwani-4', now));
  });
  afterAll(() => context.close());

  it('Urdu is right to left in the served Urdu font, and the choice survives a reload', async () => {
    await showIn('ur', 360);
    await page.reload();
    await page.locator('html[lang="ur"][dir="rtl"]').waitFor();
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(font).toContain('Noto Nastaliq Urdu');
    expect(await page.evaluate(() => document.fonts.check('16px "Noto Nastaliq Urdu"', 'پاس'))).toBe(true);
  });

  it('valid (green) and refused (red) in both languages at both widths', async () => {
    for (const width of widths) {
      for (const lang of langs) {
        expect((await capture('valid', lang, width, valid.qrText)).tone).toBe('ok');
        expect((await capture('refused', lang, width, revokedEarly.qrText)).tone).toBe('bad');
        expect((await capture('boat', lang, width, boat.qrText)).tone).toBe('ok');
      }
    }
  });

  it('a warning (amber) in both languages at both widths', async () => {
    await context.clock.setFixedTime(new Date(now + 80 * HOUR));
    await page.reload();
    for (const width of widths) {
      for (const lang of langs) {
        const shown = await capture('warning', lang, width, valid.qrText);
        expect(shown).toMatchObject({ verdict: 'VALID', tone: 'warn' });
      }
    }
  });
});

describe('with Cognito configured, the login is the hosted UI with authorization code and PKCE', () => {
  const authority = 'https://auth.rahdari.test';

  it('sends the officer to the authorize endpoint with an S256 challenge and redeems the code with its verifier', async () => {
    // No service worker here: this is about the login, and the routes below stand in for Cognito.
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    // The local platform configured for Cognito; the dev issuer stands in for the ID token Cognito would sign.
    const cognito = await checkpointPlatform(app.dir, {
      kind: 'cognito',
      authority,
      clientId: 'checkpoint-app',
    });
    const idToken = await cognito.login('checkpoint-officer', 'cg-jiwani-cognito', { checkpoint: POST });
    const cors = { 'access-control-allow-origin': cognito.url };
    let authorize: URL | undefined;
    let tokenRequest: URLSearchParams | undefined;
    await page.route(`${authority}/.well-known/openid-configuration`, (route) =>
      route.fulfill({
        headers: cors,
        json: {
          issuer: authority,
          authorization_endpoint: `${authority}/oauth2/authorize`,
          token_endpoint: `${authority}/oauth2/token`,
          jwks_uri: `${authority}/.well-known/jwks.json`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        },
      }),
    );
    await page.route(`${authority}/oauth2/authorize*`, (route) => {
      authorize = new URL(route.request().url());
      const back = new URL(authorize.searchParams.get('redirect_uri') as string);
      back.searchParams.set('code', 'one-time-code');
      back.searchParams.set('state', authorize.searchParams.get('state') as string);
      return route.fulfill({ status: 302, headers: { location: back.href } });
    });
    await page.route(`${authority}/oauth2/token`, (route) => {
      tokenRequest = new URLSearchParams(route.request().postData() ?? '');
      return route.fulfill({
        headers: cors,
        json: { id_token: idToken, access_token: 'access', token_type: 'Bearer', expires_in: 3600 },
      });
    });

    await page.goto(`${cognito.url}/checkpoint/`);
    await page.getByTestId('root-fetch').click();
    await page.getByTestId('root-confirm').click();
    await page.getByTestId('login-cognito').click();
    await page.getByTestId('trust-fetch').waitFor();

    expect(authorize?.searchParams.get('response_type')).toBe('code');
    expect(authorize?.searchParams.get('client_id')).toBe('checkpoint-app');
    expect(authorize?.searchParams.get('redirect_uri')).toBe(`${cognito.url}/checkpoint/`);
    expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
    const verifier = tokenRequest?.get('code_verifier') as string;
    expect(tokenRequest?.get('grant_type')).toBe('authorization_code');
    expect(tokenRequest?.get('code')).toBe('one-time-code');
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(
      authorize?.searchParams.get('code_challenge'),
    );
    // The code is single-use: it is gone from the address, so a reload cannot replay it.
    expect(new URL(page.url()).search).toBe('');
    // The ID token is what the app sends for its trust updates.
    await page.getByTestId('trust-fetch').click();
    await page.getByTestId('status').waitFor();
    await expect(page.getByTestId('status').textContent()).resolves.toContain('cg-jiwani-cognito');
    await context.close();
    await cognito.close();
  });
});
