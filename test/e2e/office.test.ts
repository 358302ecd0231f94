// The office pages in real Chromium against the local platform: a resident applies, FIA decides, the pass verifies
// offline with the CLI; watchlist holds, counter applications, boats, field errors, the Ministry's reports, and
// every page in English and Urdu at phone and desk widths, checked with axe-core.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, main } from '../../cli/main.ts';
import { artifactPath, checkpointPlatform, type E2ePlatform, launchChromium } from './support.ts';

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
