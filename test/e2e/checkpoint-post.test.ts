// The checkpoint app as an officer works it, on a 360x740 phone in real Chromium: a card held in front of the camera,
// a failed photo after a valid pass, a wedge scanner after every tap, someone already out, sound and vibration,
// the lists, the torch, Urdu throughout and axe-core on every screen, setup and login included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { monotonicFactory } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactPath,
  buildCheckpointApp,
  checkpointPlatform,
  type E2ePlatform,
  frameWithQr,
  type IssuedPass,
  issuePass,
  launchChromium,
  pakistanDayOf,
  type QueuedRow,
  queueDeviceId,
  readQueue,
  revokePass,
  seedQueue,
  typeQr,
  untilOfflineReady,
  verdictAfter,
  writeY4m,
} from './support.ts';

/** Jiwani: a sea crossing the test passes list. */
const POST = 'JWN';
const OFFICER = 'cg-jiwani-post';
const PHONE = { width: 360, height: 740 };
const HOLD_MS = 60_000;

let app: { dir: string; remove: () => void };
let p: E2ePlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const work = mkdtempSync(join(tmpdir(), 'rahdari-e2e-post-'));

let held: IssuedPass;
let typed: IssuedPass;
let away: IssuedPass;
let revoked: IssuedPass;
let fresh: IssuedPass;

/** Sound and vibration as the page asks for them: each beep's pitch and each vibration pattern, in order. */
const SPY = () => {
  const w = window as unknown as { beeps: number[]; buzz: unknown[] };
  w.beeps = [];
  w.buzz = [];
  const Original = window.AudioContext;
  window.AudioContext = class extends Original {
    override createOscillator(): OscillatorNode {
      const oscillator = super.createOscillator();
      const start = oscillator.start.bind(oscillator);
      oscillator.start = (when?: number) => {
        w.beeps.push(oscillator.frequency.value);
        start(when);
      };
      return oscillator;
    }
  };
  navigator.vibrate = ((pattern: VibratePattern) => {
    w.buzz.push(pattern);
    return true;
  }) as Navigator['vibrate'];
};

async function signals(on: Page = page): Promise<{ beeps: number[]; buzz: unknown[] }> {
  return on.evaluate(() => {
    const w = window as unknown as { beeps: number[]; buzz: unknown[] };
    const taken = { beeps: w.beeps, buzz: w.buzz };
    w.beeps = [];
    w.buzz = [];
    return taken;
  });
}

async function provisionAt(on: Page): Promise<void> {
  await on.goto(`${p.url}/checkpoint/`);
  await on.getByTestId('root-fetch').click();
  await on.getByTestId('candidate-thumbprint').waitFor();
  await on.getByTestId('root-confirm').click();
  await on.getByTestId('login-officer').fill(OFFICER);
  await on.getByTestId('login-checkpoint').selectOption(POST);
  await on.getByTestId('login-submit').click();
  await on.getByTestId('trust-fetch').click();
  await on.getByTestId('status').waitFor();
}

async function inLang(lang: 'en' | 'ur', on: Page = page): Promise<void> {
  if ((await on.evaluate(() => document.documentElement.lang)) !== lang) await on.getByTestId('lang').click();
  await on.waitForFunction((l) => document.documentElement.lang === l, lang);
  await on.evaluate(() => document.fonts.ready);
}

/** axe-core in both languages (no serious or critical violation) and a screenshot in each, at 360x740. */
async function checkScreen(name: string, on: Page = page): Promise<void> {
  const start = await on.evaluate(() => document.documentElement.lang);
  for (const lang of ['en', 'ur'] as const) {
    await inLang(lang, on);
    const results = await new AxeBuilder({ page: on }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      bad.map((v) => `${name}/${lang}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    await on.screenshot({
      path: artifactPath('screenshots', `post-${name}-${lang}-360.png`),
      fullPage: name === 'lists',
    });
  }
  await inLang(start as 'en' | 'ur', on);
}

/** Whether an element's box lies wholly inside the 740 px viewport. */
async function inSight(on: Page, selector: string): Promise<boolean> {
  const box = await on.locator(selector).first().boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= PHONE.height;
}

const ulid = monotonicFactory();

/** A photo with no code in it, as a blurred or empty shot reads. */
function blankPng(): Buffer {
  const blank = new PNG({ width: 640, height: 480 });
  blank.data.fill(255);
  return PNG.sync.write(blank);
}

/** A crossing this device recorded `agoMs` ago, as the app stores it. */
async function seedCrossing(
  pass: IssuedPass,
  direction: 'OUT' | 'IN',
  agoMs: number,
  extra: Partial<QueuedRow> = {},
) {
  const at = Date.now() - agoMs;
  const row: QueuedRow = {
    record: {
      id: ulid(at),
      credential: pass.qrText,
      kind: 'bp',
      checkpoint: POST,
      direction,
      at: new Date(at).toISOString(),
      officer: OFFICER,
      device: await queueDeviceId(page),
      verdict: 'VALID',
    },
    state: 'queued',
    day: pakistanDayOf(at),
    name: pass.name,
    number: pass.number,
    ...extra,
  };
  await seedQueue(page, [row]);
  return row;
}

beforeAll(async () => {
  app = buildCheckpointApp();
  p = await checkpointPlatform(app.dir);
  held = await issuePass(p, '5210100000213', 'Karim Bakhsh Baloch');
  typed = await issuePass(p, '5210100000223', 'Nasreen Dashti');
  away = await issuePass(p, '5210100000233', 'Waheed Kalmati');
  revoked = await issuePass(p, '5210100000243', 'Jan Muhammad Rind');
  await revokePass(p, revoked.number);
  fresh = await issuePass(p, '5210100000253', 'Bibi Hani Gichki');
  const video = join(work, 'held.y4m');
  writeY4m(video, [frameWithQr(held.png), frameWithQr(held.png)]);
  browser = await launchChromium({ fakeVideo: video });
  context = await browser.newContext({ viewport: PHONE, hasTouch: false });
  await context.grantPermissions(['camera'], { origin: p.url });
  await context.addInitScript(SPY);
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
  app?.remove();
  rmSync(work, { recursive: true, force: true });
});

describe('setting up a phone', () => {
  it('has no serious accessibility fault on the root, login and first-update screens, in English and Urdu', async () => {
    await page.goto(`${p.url}/checkpoint/`);
    await page.getByTestId('root-fetch').waitFor();
    await checkScreen('setup-root');
    await page.getByTestId('root-fetch').click();
    await page.getByTestId('candidate-thumbprint').waitFor();
    await checkScreen('setup-thumbprint');
    await page.getByTestId('root-confirm').click();
    await page.getByTestId('login-officer').waitFor();
    await checkScreen('setup-login');
    // Checkpoint names in the login's list are in the officer's language.
    await inLang('ur');
    await expect(
      page.locator('[data-testid="login-checkpoint"] option[value="TFT"]').textContent(),
    ).resolves.toBe('TFT — تفتان–میرجاوہ');
    await inLang('en');
    await page.getByTestId('login-officer').fill(OFFICER);
    await page.getByTestId('login-checkpoint').selectOption(POST);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('trust-fetch').waitFor();
    await checkScreen('setup-trust');
    await page.getByTestId('trust-fetch').click();
    await page.getByTestId('status').waitFor();
    await untilOfflineReady(page);
    await context.setOffline(true);
  });
});

describe('the camera on a card', () => {
  it('shows the preview and the verdict together on the phone, even when the page was scrolled to its bottom', async () => {
    const shown = await verdictAfter(page, () => page.getByTestId('camera').click());
    expect(shown.verdict).toBe('VALID');
    expect(shown.text).toContain(held.name);
    await expect(inSight(page, 'video.camera.on')).resolves.toBe(true);
    await expect(inSight(page, '[data-testid="verdict"] .headline')).resolves.toBe(true);
    // The officer had scrolled down to the lists; the next person's card comes from the wedge scanner.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const next = await verdictAfter(page, () => page.keyboard.type(`${typed.qrText}\n`));
    expect(next.text).toContain(typed.name);
    await expect(inSight(page, 'video.camera.on')).resolves.toBe(true);
    await expect(inSight(page, '[data-testid="verdict"] .headline')).resolves.toBe(true);
    await expect(page.getByTestId('torch').count()).resolves.toBe(0);
    // The card still held in front of the camera is the same card, not a new read, until the camera starts again.
    await page.getByTestId('camera').click();
    const again = await verdictAfter(page, () => page.getByTestId('camera').click());
    expect(again.text).toContain(held.name);
    await checkScreen('camera-valid');
  });

  it(
    'records one OUT for a card held in front of it for a minute after the tap, and never offers the buttons again',
    async () => {
      await page.getByTestId('record-OUT').click();
      await page.getByTestId('recorded').waitFor();
      const start = Date.now();
      const reads = Number(await page.getByTestId('video').getAttribute('data-reads'));
      // The card stays in view: the camera reads it frame after frame for a minute.
      await page.waitForFunction(
        ({ n, until }) => Number(document.querySelector('video')?.dataset.reads) >= n && Date.now() >= until,
        { n: reads + 40, until: start + HOLD_MS },
        { timeout: 4 * HOLD_MS, polling: 1000 },
      );
      const queue = await readQueue(page);
      expect(queue.map((c) => [c.number, c.record.direction])).toEqual([[held.number, 'OUT']]);
      await expect(page.getByTestId('record-OUT').count()).resolves.toBe(0);
      await expect(page.getByTestId('recorded').textContent()).resolves.toMatch(
        /Recorded OUT at \W?\d\d:\d\d PKT/,
      );
      await page.getByTestId('camera').click();
    },
    5 * HOLD_MS,
  );

  it('says the person is already out when the same card comes back, and only lets a second OUT through on a reason', async () => {
    // The same card shown again later: the app knows what it recorded, and the server would flag a DOUBLE_OUT.
    const shown = await verdictAfter(page, () => typeQr(page, held.qrText));
    expect(shown.verdict).toBe('VALID');
    await page.getByTestId('recorded').waitFor();
    await expect(page.getByTestId('known').getAttribute('data-direction')).resolves.toBe('OUT');
    await page.getByTestId('record-another').click();
    await expect(page.getByTestId('record-IN').isEnabled()).resolves.toBe(true);
    await expect(page.getByTestId('override').getAttribute('data-why')).resolves.toBe('already-out');
    await page.getByTestId('override').locator('summary').click();
    await expect(page.getByTestId('record-OUT').isDisabled()).resolves.toBe(true);
    await page.getByTestId('override-reason').fill('ok');
    await expect(page.getByTestId('override-problem').getAttribute('data-problem')).resolves.toBe(
      'too-short',
    );
    await expect(page.getByTestId('record-OUT').isDisabled()).resolves.toBe(true);
    await page.getByTestId('override-reason').fill('  Came back by boat at night; no IN was recorded  ');
    await page.getByTestId('record-OUT').click();
    await page.getByTestId('recorded').waitFor();
    const outs = (await readQueue(page)).filter((c) => c.number === held.number);
    expect(outs.map((c) => [c.record.direction, c.record.override?.reason])).toEqual([
      ['OUT', undefined],
      ['OUT', 'Came back by boat at night; no IN was recorded'],
    ]);
    // Judged with the device's trust data, whose version goes with the record.
    const version = Number(await page.getByTestId('trust-version').getAttribute('data-version'));
    expect(outs.every((c) => (c.record as { trustVersion?: number }).trustVersion === version)).toBe(true);
  });

  it('shows someone out for an hour as "out since", with no one-tap OUT', async () => {
    await seedCrossing(away, 'OUT', 3600_000);
    await verdictAfter(page, () => typeQr(page, away.qrText));
    await expect(page.getByTestId('known').textContent()).resolves.toMatch(/OUT since \W?\d\d:\d\d PKT/);
    await expect(page.getByTestId('recorded').count()).resolves.toBe(0);
    await expect(
      page.locator('[data-testid="record"] > .directions [data-testid="record-OUT"]').count(),
    ).resolves.toBe(0);
    await page.getByTestId('override').locator('summary').click();
    await checkScreen('out-since-override');
  });
});

describe('a failed read', () => {
  it('clears the valid verdict before it and says so in its place', async () => {
    const valid = await verdictAfter(page, () => typeQr(page, typed.qrText));
    expect(valid.verdict).toBe('VALID');
    await page
      .getByTestId('photo')
      .setInputFiles({ name: 'blurred.png', mimeType: 'image/png', buffer: blankPng() });
    await page.getByTestId('input-error').waitFor();
    await expect(page.getByTestId('verdict').count()).resolves.toBe(0);
    await expect(page.getByTestId('record-OUT').count()).resolves.toBe(0);
    await expect(page.getByTestId('input-error').textContent()).resolves.toContain('No QR code found');
    await expect(inSight(page, '[data-testid="input-error"]')).resolves.toBe(true);
    await checkScreen('read-failed');
  });
});

describe('a wedge scanner', () => {
  it('scans right after a tap on OUT, with no click on the field', async () => {
    await verdictAfter(page, () => typeQr(page, typed.qrText));
    await page.getByTestId('record-OUT').click();
    await page.getByTestId('recorded').waitFor();
    // The scanner types the code and Enter into whatever has the focus.
    const shown = await verdictAfter(page, () => page.keyboard.type(`${revoked.qrText}\n`));
    expect(shown.verdict).toBe('REVOKED');
    await page.getByTestId('sync-now').click();
    const again = await verdictAfter(page, () => page.keyboard.type(`${away.qrText}\n`));
    expect(again.verdict).toBe('VALID');
  });

  it('takes a code with spaces or a newline around it as the code', async () => {
    const spaced = await verdictAfter(page, () => page.keyboard.type(`${typed.qrText}   \n`));
    expect(spaced.verdict).toBe('VALID');
    const pasted = await verdictAfter(page, () => typeQr(page, ` ${typed.qrText}\r\n `));
    expect(pasted.verdict).toBe('VALID');
  });
});

describe('sound and vibration', () => {
  it('beeps and vibrates go, warn and stop, and not at all once muted, through a reload', async () => {
    await signals();
    await verdictAfter(page, () => typeQr(page, away.qrText));
    const warn = await signals();
    await verdictAfter(page, () => typeQr(page, revoked.qrText));
    const stop = await signals();
    await verdictAfter(page, () => typeQr(page, fresh.qrText));
    const go = await signals();
    expect(warn.beeps).toEqual([880, 880]);
    expect(warn.buzz).toEqual([[120, 90, 120]]);
    expect(stop.beeps).toEqual([330, 330, 330]);
    expect(stop.buzz).toEqual([[300, 100, 300, 100, 300]]);
    // A pass nobody has recorded: go.
    expect(go.beeps).toEqual([1320]);
    expect(go.buzz).toEqual([[80]]);
    await page.getByTestId('mute').click();
    await page.reload();
    await page.getByTestId('status').waitFor();
    await expect(page.getByTestId('mute').getAttribute('aria-pressed')).resolves.toBe('true');
    await verdictAfter(page, () => typeQr(page, revoked.qrText));
    expect(await signals()).toEqual({ beeps: [], buzz: [] });
    await page.getByTestId('mute').click();
  });
});

describe('the lists', () => {
  it('shows who is out now and a week of crossings, searched by name or number, and the checks per officer', async () => {
    await page.getByTestId('out-now').locator(`[data-number="${held.number}"]`).waitFor();
    await expect(page.getByTestId('out-now').locator(`[data-number="${away.number}"]`).count()).resolves.toBe(
      1,
    );
    // A crossing of last week, not today's: still in the list, with its day.
    await seedCrossing(typed, 'IN', 3 * 24 * 3600_000, { state: 'stored' });
    await page.reload();
    await page.getByTestId('history').locator('li').first().waitFor();
    await page.getByTestId('list-search').fill('dashti');
    await expect(
      page
        .getByTestId('history')
        .locator('li')
        .evaluateAll((li) => li.map((x) => x.getAttribute('data-id'))),
    ).resolves.toHaveLength(2);
    await expect(page.getByTestId('out-now').locator('li').count()).resolves.toBe(1);
    await page.getByTestId('list-search').fill(away.number.slice(-6));
    await expect(page.getByTestId('out-now').locator('li').count()).resolves.toBe(1);
    await expect(page.getByTestId('history').locator('li').count()).resolves.toBe(1);
    await page.getByTestId('list-search').fill('');
    await page.getByTestId('shifts').locator('summary').click();
    const checks = await page
      .getByTestId('shifts')
      .locator(`tr[data-officer="${OFFICER}"]`)
      .evaluateAll((rows) => rows.reduce((sum, row) => sum + Number(row.getAttribute('data-checks')), 0));
    expect(checks).toBeGreaterThanOrEqual(10);
    await page.getByTestId('lists').scrollIntoViewIfNeeded();
    await checkScreen('lists');
  });

  it('shows every flag the server puts on a record in Urdu, and an unknown one readably', async () => {
    const flags = [
      'DOUBLE_OUT',
      'VERDICT_MISMATCH',
      'OVERRIDE',
      'CONFLICTING_RESEND',
      'NOT_VALID_WITHOUT_OVERRIDE',
      'BEFORE_VALIDITY',
      'AFTER_KNOWN_REVOCATION',
      'POINT_NOT_ON_PASS',
      'GROUP_OVERDUE',
    ];
    const flagged = await seedCrossing(away, 'IN', 2 * 3600_000, { state: 'stored', anomalies: flags });
    const odd = await seedCrossing(away, 'IN', 3 * 3600_000, {
      state: 'stored',
      anomalies: ['SOME_NEW_FLAG'],
    });
    await page.reload();
    const row = page.locator(`.history [data-id="${flagged.record.id}"]`);
    await row.waitFor();
    await expect(page.locator(`.history [data-id="${odd.record.id}"]`).textContent()).resolves.toContain(
      'some new flag',
    );
    await inLang('ur');
    const text = (await row.locator('.state').textContent()) ?? '';
    for (const flag of flags) expect(text).not.toContain(flag);
    expect(text).toContain('واپسی کے بغیر دوسری روانگی');
    expect(text).toContain('دوبارہ مختلف مواد کے ساتھ بھیجا گیا');
    await inLang('en');
    // The made-up flag has made its point: it goes, so the Urdu screens below are checked as the server fills them.
    await page.evaluate(
      (id) =>
        new Promise<void>((done, fail) => {
          const open = indexedDB.open('rahdari-checkpoint');
          open.onsuccess = () => {
            const tx = open.result.transaction('crossings', 'readwrite');
            tx.objectStore('crossings').delete(id);
            tx.oncomplete = () => {
              open.result.close();
              done();
            };
            tx.onerror = () => fail(tx.error);
          };
          open.onerror = () => fail(open.error);
        }),
      odd.record.id,
    );
    await page.reload();
    await page.getByTestId('status').waitFor();
  });
});

describe('in Urdu', () => {
  /** The words of an element in the page's language: names, numbers and codes (set left to right) left out. */
  async function wordsOf(selector: string): Promise<string> {
    return page.locator(selector).evaluate((root) => {
      const parts: string[] = [];
      const walk = (node: Node) => {
        if (node instanceof HTMLElement && node.dir === 'ltr') return;
        if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
        for (const child of node.childNodes) walk(child);
      };
      walk(root);
      return parts.join(' ');
    });
  }
  /** Latin words other than the zone's label and codes in brackets. */
  const english = (text: string) =>
    text.replace(/\bPKT\b|\bQR\b|\([A-Z]{3}\)/g, '').match(/[A-Za-z]{2,}/g) ?? [];

  it('says every verdict, its line, what is known, the post and the lists in Urdu, times in PKT', async () => {
    await inLang('ur');
    for (const pass of [away, revoked, typed]) {
      await verdictAfter(page, () => typeQr(page, pass.qrText));
      expect(english(await wordsOf('[data-testid="verdict"]'))).toEqual([]);
    }
    await verdictAfter(page, () => typeQr(page, away.qrText));
    await expect(page.getByTestId('known').textContent()).resolves.toContain('سے باہر');
    expect(english(await wordsOf('[data-testid="status"]'))).toEqual([]);
    expect(english(await wordsOf('[data-testid="lists"]'))).toEqual([]);
    expect(english(await wordsOf('[data-testid="record"]'))).toEqual([]);
    expect(english(await wordsOf('.device'))).toEqual([]);
    // A failed read is said in the language on screen, also after a switch.
    await page
      .getByTestId('photo')
      .setInputFiles({ name: 'blurred.png', mimeType: 'image/png', buffer: blankPng() });
    await page.getByTestId('input-error').waitFor();
    expect(english(await wordsOf('[data-testid="input-error"]'))).toEqual([]);
    await inLang('en');
    await expect(page.getByTestId('input-error').textContent()).resolves.toContain('No QR code found');
    await inLang('ur');
    await page.screenshot({
      path: artifactPath('screenshots', 'post-verdict-ur-360-full.png'),
      fullPage: true,
    });
    await inLang('en');
  });
});

describe('a clock that ran ahead and was put right', () => {
  it('says the clock went back, and clears it at the next online update that finds the clock right', async () => {
    const ahead = await browser.newContext({ viewport: PHONE });
    await ahead.clock.setFixedTime(new Date(Date.now() + 3 * 3600_000));
    const phone = await ahead.newPage();
    await provisionAt(phone);
    await untilOfflineReady(phone);
    await phone.locator('[data-testid="state-warnings"] [data-warning="CLOCK_DRIFT"]').waitFor();
    // The officer sets the right time with no signal: the app has seen a later time, and says so.
    await ahead.setOffline(true);
    await ahead.clock.setFixedTime(new Date());
    await phone.reload();
    await phone.locator('[data-testid="state-warnings"] [data-warning="CLOCK_WENT_BACK"]').waitFor();
    // Signal again, and news to fetch: the server's fresh data agrees with the clock, so both warnings go.
    await revokePass(p, fresh.number);
    await ahead.setOffline(false);
    await phone.locator('[data-testid="sync"][data-outcome="updated"]').waitFor();
    await phone.getByTestId('state-warnings').waitFor({ state: 'detached' });
    await phone.screenshot({ path: artifactPath('screenshots', 'post-clock-cleared-en-360.png') });
    await ahead.close();
  });
});

describe('a login that has run out', () => {
  it('says so once, offers the login again, and has no serious accessibility fault', async () => {
    const late = await browser.newContext({ viewport: PHONE });
    const phone = await late.newPage();
    await provisionAt(phone);
    await untilOfflineReady(phone);
    await late.setOffline(true);
    await late.clock.setFixedTime(new Date(Date.now() + 13 * 3600_000));
    await phone.reload();
    await phone.getByTestId('login-expired').waitFor();
    // "Logged in until …" is not shown beside "Login expired".
    await expect(phone.getByTestId('logged-in').count()).resolves.toBe(0);
    await phone.getByTestId('login-expired').locator('summary').click();
    await phone.getByTestId('login-officer').waitFor();
    await checkScreen('login-expired', phone);
    await late.close();
  });
});

describe('the torch', () => {
  it('is offered where the camera has a light, and stays on after a scan', async () => {
    const lit = await browser.newContext({ viewport: PHONE });
    await lit.grantPermissions(['camera'], { origin: p.url });
    await lit.addInitScript(() => {
      const w = window as unknown as { torch: unknown[] };
      w.torch = [];
      const capabilities = MediaStreamTrack.prototype.getCapabilities;
      MediaStreamTrack.prototype.getCapabilities = function (this: MediaStreamTrack) {
        return { ...capabilities.call(this), torch: true } as MediaTrackCapabilities;
      };
      MediaStreamTrack.prototype.applyConstraints = async (constraints?: MediaTrackConstraints) => {
        w.torch.push(constraints);
      };
    });
    const night = await lit.newPage();
    await provisionAt(night);
    await verdictAfter(night, () => night.getByTestId('camera').click());
    await night.getByTestId('torch').click();
    await night.locator('[data-testid="torch"][aria-pressed="true"]').waitFor();
    await verdictAfter(night, () => typeQr(night, typed.qrText));
    await expect(night.getByTestId('torch').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(night.evaluate(() => (window as unknown as { torch: unknown[] }).torch)).resolves.toEqual([
      { advanced: [{ torch: true }] },
    ]);
    await night.screenshot({ path: artifactPath('screenshots', 'post-torch-en-360.png') });
    await lit.close();
  });
});
