// The office pages in real Chromium against the local platform: a resident applies, FIA decides, the pass verifies
// offline with the CLI; watchlist holds, counter applications, boats, field errors, the Ministry's reports, and
// every page in English and Urdu at phone and desk widths, checked with axe-core.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CliIo, main } from '../../cli/main.ts';
import { artifactPath, checkpointPlatform, type E2ePlatform, issuePass, launchChromium } from './support.ts';

// Every page is photographed four times and checked with axe twice, which takes longer than the default allows.
vi.setConfig({ testTimeout: 180_000 });

let work: string;
let p: E2ePlatform;
let browser: Browser;

/** Builds only the office pages, beside a checkpoint folder the server is pointed at (local/static.ts serves both). */
function buildOfficePages(root: string): void {
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/office/vite.config.ts', '--logLevel', 'warn'],
    {
      env: { ...process.env, RAHDARI_OFFICE_OUT: join(root, 'office') },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (!existsSync(join(root, 'office', 'index.html'))) throw new Error('the office build made no index.html');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rahdari-e2e-office-'));
  buildOfficePages(work);
  p = await checkpointPlatform(join(work, 'checkpoint'));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function freshPage(width = 390): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  return context.newPage();
}

/** Logs in through the page's own dev-login form. */
async function logIn(page: Page, role: string, sub: string, bound: { cnic?: string; port?: string } = {}) {
  await page.goto(`${p.url}/office/`);
  await page.locator('#f-role').selectOption(role);
  await page.locator('#f-sub').fill(sub);
  if (bound.cnic) await page.locator('#f-cnic').fill(bound.cnic);
  if (bound.port) await page.locator('#f-port').selectOption(bound.port);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

const seenPages = new Set<string>();

/**
 * Screenshots of the page as it stands, in English and Urdu at 360 and 1280 px, and axe-core in both languages:
 * no serious or critical violation. Leaves the page in the language it found it in.
 */
async function capture(page: Page, name: string): Promise<void> {
  seenPages.add(name);
  const startLang = await page.evaluate(() => document.documentElement.lang);
  const size = page.viewportSize() ?? { width: 390, height: 900 };
  for (const lang of ['en', 'ur']) {
    if ((await page.evaluate(() => document.documentElement.lang)) !== lang)
      await page.getByTestId('lang').click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await page.evaluate(() => document.fonts.ready);
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      bad.map((v) => `${name}/${lang}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({
        path: artifactPath('screenshots', `office-${name}-${lang}-${width}.png`),
        fullPage: true,
      });
    }
  }
  await page.setViewportSize(size);
  if ((await page.evaluate(() => document.documentElement.lang)) !== startLang)
    await page.getByTestId('lang').click();
}

function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    readStdin: async () => '',
    now: () => new Date(),
  };
  return main(argv, io).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

/** Fills the application form as a resident of Gwadar would. */
async function fillApplication(page: Page, person: { cnic?: string; name: string; father: string }) {
  if (person.cnic) await page.locator('#f-cnic').fill(person.cnic);
  await page.locator('#f-name').fill(person.name);
  await page.locator('#f-fatherName').fill(person.father);
  await page.locator('#f-district').selectOption('GWADAR');
  await page.getByRole('checkbox', { name: /GBD/ }).check();
}

describe('a resident applies on a phone and an officer approves', () => {
  const cnic = '52101-0000101-3';
  let resident: Page;
  let applicationId: string;

  it('the login page works in both languages', async () => {
    resident = await freshPage();
    await resident.goto(`${p.url}/office/`);
    await resident.getByTestId('login').waitFor();
    await capture(resident, 'login');
  });

  it('types a CNIC with live format help and sees only the crossing points the district allows', async () => {
    await logIn(resident, 'applicant', 'resident-office-1', { cnic });
    await expect(resident.locator('#f-cnic').inputValue()).resolves.toBe(cnic);
    await resident.locator('#f-district').selectOption('GWADAR');
    const points = await resident
      .locator('[data-field="crossingPoints"] input')
      .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(points).toEqual(['GBD', 'JWN']);
    await capture(resident, 'resident-apply');
  });

  it('sends the application and sees it pending', async () => {
    await fillApplication(resident, { name: 'Mehrab Gichki', father: 'Noor Bakhsh Gichki' });
    await resident.getByTestId('apply-submit').click();
    const card = resident.getByTestId('application').first();
    await card.getByText('Pending').waitFor();
    applicationId = (await card.getAttribute('data-id')) ?? '';
    expect(applicationId).toMatch(/^[0-9A-Z]{26}$/);
    await capture(resident, 'resident-status');
  });

  it('an FIA officer finds it in the queue, oldest first, and approves it', async () => {
    const officer = await freshPage(1280);
    await logIn(officer, 'fia-officer', 'officer-office-1');
    await officer.getByTestId('queue').waitFor();
    await capture(officer, 'fia-queue');
    await officer.locator(`tr[data-id="${applicationId}"] a`).click();
    await officer.getByTestId('application-detail').waitFor();
    await capture(officer, 'fia-application');
    await officer.getByTestId('approve').click();
    await officer.locator('[data-testid="application-detail"][data-status="APPROVED"]').waitFor();
    await officer.getByTestId('pass-number').waitFor();
    await officer.context().close();
  });

  it('the resident downloads the pass PNG and `rahdari verify` says VALID on it', async () => {
    await resident.reload();
    const card = resident.locator(`[data-testid="application"][data-id="${applicationId}"]`);
    await card.getByTestId('download-png').waitFor();
    const number = (await card.getByTestId('pass-number').textContent()) ?? '';
    expect(number).toMatch(/^BP-\d{4}-\d{6}$/);
    const [download] = await Promise.all([
      resident.waitForEvent('download'),
      card.getByTestId('download-png').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${number}.png`);
    const png = join(work, 'pass.png');
    await download.saveAs(png);

    const post = await p.login('checkpoint-officer', 'fc-gabd-1', { checkpoint: 'GBD' });
    const bundle = await fetch(`${p.url}/trust-bundle`, { headers: { authorization: `Bearer ${post}` } });
    writeFileSync(join(work, 'bundle.jwt'), await bundle.text());
    const state = join(work, 'device.json');
    const init = await cli([
      'trust',
      'init',
      '--state',
      state,
      '--root',
      join(p.keyDir, 'root.jwk'),
      join(work, 'bundle.jwt'),
    ]);
    expect(init.code, init.err).toBe(0);
    const verified = await cli(['verify', png, '--trust', state, '--checkpoint', 'GBD']);
    expect(verified.out).toContain('VALID');
    expect(verified.code, verified.err).toBe(0);
    expect(verified.out).toContain('Mehrab Gichki');
  });

  it('the resident prints the pass card', async () => {
    const card = resident.locator(`[data-testid="application"][data-id="${applicationId}"]`);
    await card.getByTestId('print-card').click();
    const view = card.getByTestId('print-view');
    await view.waitFor();
    const text = await view.evaluate(
      (node) => node.querySelector('.print-host')?.shadowRoot?.textContent ?? '',
    );
    expect(text).toContain('Mehrab Gichki');
    await capture(resident, 'resident-card');
    await resident.context().close();
  });
});

describe('the Urdu pages', () => {
  it('render right to left with the Urdu font stack, and the choice is remembered', async () => {
    const page = await freshPage();
    await page.goto(`${p.url}/office/`);
    await page.getByTestId('lang').click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.reload();
    await page.getByTestId('login').waitFor();
    const shown = await page.evaluate(() => ({
      dir: document.documentElement.dir,
      lang: document.documentElement.lang,
      font: getComputedStyle(document.body).fontFamily,
      submitLeft: document.querySelector('[data-testid="login-submit"]')?.getBoundingClientRect().left ?? 0,
      width: document.documentElement.clientWidth,
    }));
    expect(shown).toMatchObject({ dir: 'rtl', lang: 'ur' });
    expect(shown.font).toContain('Noto Nastaliq Urdu');
    // Right to left: the form's button starts at the right-hand side of the page.
    expect(shown.submitLeft).toBeGreaterThan(shown.width / 4);
    await page.context().close();
  });
});

describe('a watchlisted CNIC needs a supervisor', () => {
  const cnic = '52101-0000202-5';
  let applicationId: string;

  it('a supervisor puts the CNIC on the watchlist from the watchlist page', async () => {
    const page = await freshPage(1280);
    await logIn(page, 'fia-supervisor', 'supervisor-office-1');
    await page.getByTestId('nav-watchlist').click();
    await page.locator('#f-cnic').fill(cnic.replaceAll('-', ''));
    await page.getByTestId('watch-lookup').click();
    await page.locator('[data-testid="watch-entry"][data-listed="no"]').waitFor();
    await page.locator('#f-category').selectOption('smuggling');
    await page.locator('#f-reason').fill('Seen moving fuel across at Gabd without a pass.');
    await page.getByTestId('watch-save').click();
    await page.locator('[data-testid="watch-entry"][data-listed="yes"]').waitFor();
    await capture(page, 'fia-watchlist');
    await page.context().close();
  });

  it('the resident applies and sees only "pending"; an officer cannot approve; the supervisor can', async () => {
    const resident = await freshPage();
    await logIn(resident, 'applicant', 'resident-office-2', { cnic });
    await fillApplication(resident, { name: 'Shahdad Kalmati', father: 'Dost Muhammad Kalmati' });
    await resident.getByTestId('apply-submit').click();
    const card = resident.getByTestId('application').first();
    await card.getByText('Pending').waitFor();
    applicationId = (await card.getAttribute('data-id')) ?? '';
    expect(await card.textContent()).not.toMatch(/supervisor|watchlist/i);

    const officer = await freshPage(1280);
    await logIn(officer, 'fia-officer', 'officer-office-2');
    await officer.goto(`${p.url}/office/#/application/${applicationId}`);
    await officer.locator('[data-testid="application-detail"][data-status="NEEDS_REVIEW"]').waitFor();
    await officer.getByTestId('watch-hit').getByText('Seen moving fuel', { exact: false }).waitFor();
    await officer.getByTestId('approve').click();
    await officer.getByTestId('failure').waitFor();
    await officer.reload();
    await officer.locator('[data-testid="application-detail"][data-status="NEEDS_REVIEW"]').waitFor();
    await officer.context().close();

    const supervisor = await freshPage(1280);
    await logIn(supervisor, 'fia-supervisor', 'supervisor-office-1');
    await supervisor.locator('#f-status').selectOption('NEEDS_REVIEW');
    await supervisor.locator(`tr[data-id="${applicationId}"] a`).click();
    await supervisor.getByTestId('watch-hit').waitFor();
    await capture(supervisor, 'fia-watch-hit');
    await supervisor.getByTestId('approve').click();
    await supervisor.locator('[data-testid="application-detail"][data-status="APPROVED"]').waitFor();
    await supervisor.context().close();
    await resident.reload();
    await resident
      .locator(`[data-testid="application"][data-id="${applicationId}"] [data-testid="pass-number"]`)
      .waitFor();
    await resident.context().close();
  });
});

describe('a counter application', () => {
  it('an officer applies for a resident who came in person, approves it and prints the card', async () => {
    const officer = await freshPage(1280);
    await logIn(officer, 'fia-officer', 'officer-counter-1');
    await officer.getByTestId('nav-counter').click();
    await officer.getByTestId('apply-form').waitFor();
    await capture(officer, 'fia-counter');
    await fillApplication(officer, {
      cnic: '5210100003037',
      name: 'Dostain Hoth',
      father: 'Lal Bakhsh Hoth',
    });
    await expect(officer.locator('#f-cnic').inputValue()).resolves.toBe('52101-0000303-7');
    await officer.getByTestId('apply-submit').click();
    const detail = officer.locator('[data-testid="application-detail"][data-status="PENDING"]');
    await detail.waitFor();
    await expect(detail.textContent()).resolves.toContain('at a counter by officer-counter-1');
    await officer.getByTestId('approve').click();
    await officer.locator('[data-testid="application-detail"][data-status="APPROVED"]').waitFor();
    await officer.getByTestId('print-card').click();
    const text = await officer
      .getByTestId('print-view')
      .evaluate((node) => node.querySelector('.print-host')?.shadowRoot?.textContent ?? '');
    expect(text).toContain('Dostain Hoth');
    const number = (await officer.getByTestId('pass-number').textContent()) ?? '';
    await officer.getByTestId('nav-pass').click();
    await officer.locator('#f-number').fill(number);
    await officer.locator('#f-number').press('Enter');
    await officer.getByTestId('pass-detail').waitFor();
    await capture(officer, 'fia-pass');
    await officer.getByTestId('nav-history').click();
    await officer.locator('#f-cnic').fill('52101-0000303-7');
    await officer.locator('#f-cnic').press('Enter');
    await officer.getByText('not on the watchlist').waitFor();
    await capture(officer, 'fia-history');
    await officer.context().close();
  });
});

describe('validation errors', () => {
  it('show beside the fields they belong to, and nothing typed is lost', async () => {
    const resident = await freshPage();
    await logIn(resident, 'applicant', 'resident-office-3', { cnic: '52101-0000404-9' });
    await resident.locator('#f-name').fill('Karim Bakhsh');
    await resident.locator('#f-fatherName').fill('Dad Muhammad');
    await resident.locator('#f-district').selectOption('GWADAR');
    const from = await resident.locator('#f-validFrom').inputValue();
    const before = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await resident.locator('#f-validUntil').fill(before);
    await resident.getByTestId('apply-submit').click();
    await resident.locator('[data-field="crossingPoints"] [data-testid="error-crossingPoints"]').waitFor();
    await expect(
      resident.locator('#f-crossingPoints, [data-field="crossingPoints"]').getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await expect(resident.locator('#f-name').inputValue()).resolves.toBe('Karim Bakhsh');
    await expect(resident.locator('#f-validUntil').inputValue()).resolves.toBe(before);
    await capture(resident, 'resident-errors');

    // Fixing one field and sending again brings the date error, found by the domain rule, to its own field.
    await resident.getByRole('checkbox', { name: /GBD/ }).check();
    await resident.getByTestId('apply-submit').click();
    await resident.locator('[data-field="validUntil"] [data-testid="error-validUntil"]').waitFor();
    await expect(resident.locator('[data-testid="error-crossingPoints"]').count()).resolves.toBe(0);
    await resident.context().close();
  });
});

describe('a Fisheries officer', () => {
  let number: string;

  it('registers a boat, after the form shows the API field errors where they belong', async () => {
    const page = await freshPage(1280);
    await logIn(page, 'fisheries-officer', 'fisheries-gwd-office', { port: 'GWD' });
    await page.getByTestId('register-form').waitFor();
    await page.locator('#f-name').fill('Sabz Paree');
    await page.locator('#f-owner-name').fill('Abdul Ghafoor Sanjrani');
    await page.locator('#f-owner-fatherName').fill('Haji Muhammad Hassan');
    await page.locator('#f-owner-cnic').fill('521011234567');
    await page.locator('#f-owner-address').fill('House 12, Mulla Band, Gwadar');
    await page.locator('#f-lengthOverallM').fill('14.5');
    await page.locator('#f-grossTonnageGt').fill('18.25');
    await page.locator('#f-engine-make').fill('Cummins 6BT');
    await page.locator('#f-engine-powerHp').fill('210');
    await page.getByRole('checkbox', { name: 'Gillnet' }).check();
    await page.locator('#f-maxCrew').fill('12');
    await page.getByTestId('register-submit').click();
    await page.locator('[data-field="owner/cnic"] [data-testid="error-owner/cnic"]').waitFor();
    await expect(page.locator('#f-name').inputValue()).resolves.toBe('Sabz Paree');
    await capture(page, 'fisheries-register');

    await page.locator('#f-owner-cnic').fill('5210112345673');
    await page.getByTestId('register-submit').click();
    await page.locator('[data-testid="boat"][data-status="ACTIVE"]').waitFor();
    number = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');
    expect(number).toMatch(/^GWD-\d{4}-\d{5}$/);
    await expect(page.getByTestId('serial').textContent()).resolves.toBe(`${number}/1`);
    await capture(page, 'fisheries-boat');

    await page.getByTestId('change-suspend').click();
    await page.locator('#f-reason').fill('Carried passengers to Oman.');
    await page.getByTestId('send-suspend').click();
    await page.locator('[data-testid="boat"][data-status="SUSPENDED"]').waitFor();

    await page.getByTestId('change-reinstate').click();
    await page.locator('#f-note').fill('Fine paid at the Fisheries office.');
    await page.getByTestId('send-reinstate').click();
    await page.locator('[data-testid="boat"][data-status="ACTIVE"]').waitFor();
    await expect(page.getByTestId('serial').textContent()).resolves.toBe(`${number}/2`);
    await page
      .getByTestId('history')
      .getByText(/REINSTATE/)
      .waitFor();
    const actions = await page.getByTestId('history').locator('tbody tr td:nth-child(2)').allTextContents();
    expect(actions.join(' ')).toMatch(/SUSPEND/);

    await page.getByTestId('print-certificate').click();
    const text = await page
      .getByTestId('print-view')
      .evaluate((node) => node.querySelector('.print-host')?.shadowRoot?.textContent ?? '');
    expect(text).toContain('Sabz Paree');

    await page.getByTestId('nav-find').click();
    await page.locator(`tr[data-number="${number}"]`).waitFor();
    await capture(page, 'fisheries-find');
    await page.context().close();
  });
});

describe('the Ministry of Interior analyst', () => {
  it('sees on the chart the crossings a post recorded through POST /crossings, and downloads them as CSV', async () => {
    const pass = await issuePass(p, '5210100005051', 'Jalal Baloch');
    const post = await p.login('checkpoint-officer', 'fc-gabd-2', { checkpoint: 'GBD' });
    const now = Date.now();
    const record = (direction: 'OUT' | 'IN', at: number) => ({
      id: ulid(at),
      credential: pass.qrText,
      kind: 'bp',
      checkpoint: 'GBD',
      direction,
      at: new Date(at).toISOString(),
      officer: 'fc-gabd-2',
      device: 'post-gbd-phone',
      verdict: 'VALID',
    });
    // Out, out again with no return (an anomaly), then back in.
    const sent = await p.api('POST', '/crossings', {
      token: post,
      body: {
        records: [
          record('OUT', now - 3_600_000),
          record('OUT', now - 1_800_000),
          record('IN', now - 600_000),
        ],
      },
    });
    expect(sent.status).toBe(200);
    expect(sent.json.results.map((r: { result: string }) => r.result)).toEqual([
      'stored',
      'stored',
      'stored',
    ]);

    const page = await freshPage(1280);
    await logIn(page, 'moi-analyst', 'moi-analyst-1');
    const chart = page.locator('[data-testid="crossings-chart"][data-total="3"]');
    await chart.waitFor();
    await expect(chart.getAttribute('data-series')).resolves.toBe('GBD');
    await chart.locator('canvas').waitFor();
    // Summed over the rows: near midnight in Pakistan the three crossings fall on two days.
    const rows = page.locator('[data-testid="crossing-counts"] tr[data-checkpoint="GBD"]');
    const sum = async (cell: string) =>
      (await rows.locator(cell).allTextContents()).reduce((total, n) => total + Number(n), 0);
    await expect(sum('[data-out]')).resolves.toBe(2);
    await expect(sum('[data-in]')).resolves.toBe(1);
    await page.locator('[data-testid="anomalies"] tr[data-type="DOUBLE_OUT"]').waitFor();
    // The feed's health, read-only: redriving stays with FIA supervisors.
    await page.getByTestId('feed-waiting').waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid^="csv-crossings-"]').click(),
    ]);
    const file = join(work, 'crossings.csv');
    await download.saveAs(file);
    const csv = readFileSync(file, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/date/);
    const gbd = csv
      .split('\r\n')
      .filter((line) => line.includes(',GBD,'))
      .map((line) => line.split(','));
    expect(gbd.reduce((total, cells) => total + Number(cells[2]) + Number(cells[3]), 0)).toBe(3);
    await capture(page, 'ministry');
    await page.context().close();
  });

  it('a supervisor sees the feed health', async () => {
    const page = await freshPage(1280);
    await logIn(page, 'fia-supervisor', 'supervisor-office-feed');
    await page.getByTestId('nav-feed').click();
    await page.getByTestId('feed-waiting').waitFor();
    await capture(page, 'fia-feed');
    await page.context().close();
  });
});
