// FIA's desk on the office pages in real Chromium against the local platform: a resident applies and, on a new
// device, finds the application with its reference and prints its receipt on one page; FIA and the Ministry find
// the person by CNIC, reference, pass number and a name as another clerk spelt it, and read the decision with its
// author; a second active pass is refused with the pass named; every page in English and Urdu at 360 and 1280 px,
// checked with axe-core.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { karachiDate, karachiDatePlus } from '../../shared/domain/pass-types.ts';
import { artifactPath, checkpointPlatform, type E2ePlatform, launchChromium } from './support.ts';

// Every page is photographed four times and checked with axe twice, on a machine shared with other runs.
vi.setConfig({ testTimeout: 240_000 });

let work: string;
let p: E2ePlatform;
let browser: Browser;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rahdari-e2e-desk-'));
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/office/vite.config.ts', '--logLevel', 'warn'],
    {
      env: { ...process.env, RAHDARI_OFFICE_OUT: join(work, 'office') },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (!existsSync(join(work, 'office', 'index.html'))) throw new Error('the office build made no index.html');
  p = await checkpointPlatform(join(work, 'checkpoint'));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const SIZES = [
  { width: 360, height: 740 },
  { width: 1280, height: 800 },
] as const;

async function freshPage(size: { width: number; height: number } = SIZES[0]): Promise<Page> {
  const context = await browser.newContext({ viewport: { ...size } });
  return context.newPage();
}

async function logIn(page: Page, role: string, sub: string, cnic?: string) {
  await page.goto(`${p.url}/office/`);
  await page.locator('#f-role').selectOption(role);
  await page.locator('#f-sub').fill(sub);
  if (cnic) await page.locator('#f-cnic').fill(cnic);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('logout').waitFor();
}

/** Screenshots in English and Urdu at 360 and 1280 px, axe-core in both: no serious or critical violation. */
async function capture(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? SIZES[0];
  const startLang = await page.evaluate(() => document.documentElement.lang);
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
    for (const viewport of SIZES) {
      await page.setViewportSize(viewport);
      // Nothing but a scrolling region that says so may be wider than the screen.
      const wide = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return [];
        return [...document.querySelectorAll('main *')]
          .filter((node) => !node.closest('.table-wrap') || node.classList.contains('table-wrap'))
          .filter((node) => {
            const box = node.getBoundingClientRect();
            return box.right > width + 1 || box.left < -1;
          })
          .map(
            (node) => `${node.tagName.toLowerCase()}.${node.className} "${node.textContent?.slice(0, 30)}"`,
          )
          .slice(-3);
      });
      expect(wide, `${name}/${lang}/${viewport.width} scrolls sideways`).toEqual([]);
      await page.screenshot({
        path: artifactPath('screenshots', `desk-${name}-${lang}-${viewport.width}.png`),
        fullPage: true,
      });
    }
  }
  await page.setViewportSize(size);
  if ((await page.evaluate(() => document.documentElement.lang)) !== startLang)
    await page.getByTestId('lang').click();
}

/** Asks the search box at the head of the page and waits for the answer to that question. */
async function search(page: Page, q: string, narrow: { fatherName?: string } = {}) {
  await page.locator('#f-search-q').fill(q);
  if (narrow.fatherName) {
    await page.locator('[data-testid="search-box"] summary').click();
    await page.locator('#f-search-fatherName').fill(narrow.fatherName);
  }
  await page.getByTestId('search-submit').click();
  // The answer to this question, not the last one still on screen while the page moves on.
  await page.locator(`[data-testid="search-summary"][data-q="${q}"]`).waitFor();
}

const hitCnics = (page: Page) =>
  page.getByTestId('hit').evaluateAll((items) => items.map((i) => i.getAttribute('data-cnic')));

const RESIDENT = {
  cnic: '52101-0001901-3',
  sub: 'resident-desk-1',
  name: 'Muhammad Hafeezullah Tareen',
  father: 'Abdul Wahid Tareen',
};
const OFFICER = 'officer-desk-1';
const FISHERIES = 'fisheries-gwd-desk';

/** Fills the application form as a resident of Gwadar would. */
async function fillApplication(page: Page, person: { cnic?: string; name: string; father: string }) {
  if (person.cnic) await page.locator('#f-cnic').fill(person.cnic);
  await page.locator('#f-name').fill(person.name);
  await page.locator('#f-fatherName').fill(person.father);
  await page.locator('#f-district').selectOption('GWADAR');
  await page.getByRole('checkbox', { name: /GBD/ }).check();
}

const PDF_PAGES = /\/Type\s*\/Page(?![s\w])/g;

describe('FIA’s desk', () => {
  let reference: string;
  let applicationId: string;
  let passNumber: string;

  it('a resident applies and reads the short reference of the application', async () => {
    const page = await freshPage();
    await logIn(page, 'applicant', RESIDENT.sub, RESIDENT.cnic);
    await fillApplication(page, { name: RESIDENT.name, father: RESIDENT.father });
    await page.getByTestId('apply-submit').click();
    const card = page.getByTestId('application').first();
    await card.getByText('Pending').waitFor();
    applicationId = (await card.getAttribute('data-id')) ?? '';
    reference = (await card.getByTestId('reference').textContent()) ?? '';
    expect(reference).toMatch(/^RA-\d{4}-\d{6}$/);
    await expect(page.getByTestId('notice').textContent()).resolves.toContain(reference);
    await page.context().close();
  });

  it('on a new device (nothing stored) the resident sees the application with its reference, and the receipt prints on one page', async () => {
    const page = await freshPage();
    await page.goto(`${p.url}/office/`);
    await page.evaluate(() => {
      localStorage.clear();
      sessionStorage.clear();
    });
    await logIn(page, 'applicant', RESIDENT.sub, RESIDENT.cnic);
    await page.getByTestId('nav-status').click();
    const card = page.locator(`[data-testid="application"][data-id="${applicationId}"]`);
    await expect(card.getByTestId('reference').textContent()).resolves.toBe(reference);
    await capture(page, 'resident-mine');

    await card.getByTestId('show-receipt').click();
    const receipt = card.getByTestId('receipt');
    const text = (await receipt.textContent()) ?? '';
    for (const shown of [reference, RESIDENT.name, RESIDENT.cnic, 'Rahdari']) expect(text).toContain(shown);
    await capture(page, 'resident-receipt');
    // The whole page, as printed without the receipt's button, takes more than one A5 sheet.
    const whole = (await page.pdf({ format: 'A5', printBackground: true })).toString('latin1');
    expect(whole.match(PDF_PAGES)?.length).toBeGreaterThan(1);
    // Printing is the page's own: window.print only opens the dialog, which a headless browser has not.
    await page.evaluate(() => {
      window.print = () => undefined;
    });
    for (const format of ['A5', 'A4'] as const) {
      // Making a PDF fires afterprint, which ends the receipt's printing state: each sheet is asked for anew.
      await receipt.getByTestId('receipt-print').click();
      await page.waitForFunction(() => document.body.classList.contains('printing-receipt'));
      const pdf = (await page.pdf({ format, printBackground: true })).toString('latin1');
      expect(pdf.match(PDF_PAGES)?.length, `${format} pages`).toBe(1);
    }
    await receipt.getByTestId('receipt-print').click();
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: artifactPath('screenshots', 'desk-receipt-print.png'), fullPage: true });
    await page.context().close();
  });

  it('an FIA officer finds the application by its reference, approves it, and its history names who did what', async () => {
    const page = await freshPage(SIZES[1]);
    await logIn(page, 'fia-officer', OFFICER);
    await search(page, reference.toLowerCase().replaceAll('-', ' '));
    await expect(page.getByTestId('search-summary').getAttribute('data-kind')).resolves.toBe('application');
    await expect(hitCnics(page)).resolves.toEqual([RESIDENT.cnic]);
    await page.goto(`${p.url}/office/#/application/${applicationId}`);
    await page.getByTestId('approve').click();
    await page.locator('[data-testid="application-detail"][data-status="APPROVED"]').waitFor();
    passNumber = (await page.getByTestId('pass-number').textContent()) ?? '';
    expect(passNumber).toMatch(/^BP-\d{4}-\d{6}$/);
    const approved = page.locator('[data-testid="record-history"] li[data-action="APPLICATION_APPROVED"]');
    await approved.waitFor();
    await expect(approved.textContent()).resolves.toContain(OFFICER);
    await expect(
      page.locator('[data-testid="record-history"] li[data-action="APPLICATION_SUBMITTED"]').textContent(),
    ).resolves.toContain(RESIDENT.sub);
    await capture(page, 'fia-application-history');
    await page.context().close();
  });

  it('Gabd records 22 crossings of the pass, more than the person page shows at once', async () => {
    const officer = await p.login('fia-officer', OFFICER);
    const pass = await p.api('GET', `/passes/${passNumber}`, { token: officer });
    const post = await p.login('checkpoint-officer', 'fc-gabd-desk', { checkpoint: 'GBD' });
    const start = Date.now() - 22 * 3_600_000;
    const records = Array.from({ length: 22 }, (_, i) => ({
      id: ulid(start + i * 3_600_000),
      credential: pass.json.qrText,
      kind: 'bp',
      checkpoint: 'GBD',
      direction: i % 2 === 0 ? 'OUT' : 'IN',
      at: new Date(start + i * 3_600_000).toISOString(),
      officer: 'fc-gabd-desk',
      device: 'post-gbd-desk',
      verdict: 'VALID',
    }));
    const sent = await p.api('POST', '/crossings', { token: post, body: { records } });
    expect(sent.status).toBe(200);
    expect(sent.json.results.every((r: { result: string }) => r.result === 'stored')).toBe(true);
  });

  it('Gwadar’s Fisheries office registers a boat the person owns', async () => {
    const fisheries = await p.login('fisheries-officer', FISHERIES, { port: 'GWD' });
    const today = karachiDate(new Date());
    const registered = await p.api('POST', '/vessels', {
      token: fisheries,
      body: {
        name: 'Tareen Noor',
        type: 'LAUNCH',
        homePort: 'GWD',
        owner: {
          name: RESIDENT.name,
          fatherName: RESIDENT.father,
          cnic: RESIDENT.cnic,
          address: 'Ward 2, Pishukan, Gwadar',
        },
        lengthOverallM: 12,
        grossTonnageGt: 14.5,
        engine: { make: 'Yanmar 6CH', powerHp: 180 },
        hullMaterial: 'WOOD_GRP',
        fishingGear: ['GILLNET'],
        maxCrew: 8,
        licenceValidFrom: today,
        licenceValidUntil: karachiDatePlus(new Date(), 364),
      },
    });
    expect(registered.status, registered.text).toBe(201);
  });

  it('a second application for the same pass type is refused, naming the active pass, on the resident’s form', async () => {
    const page = await freshPage();
    await logIn(page, 'applicant', RESIDENT.sub, RESIDENT.cnic);
    await fillApplication(page, { name: RESIDENT.name, father: RESIDENT.father });
    await page.getByTestId('apply-submit').click();
    const failure = page.locator('[data-testid="failure"][data-kind="conflict"]');
    await failure.waitFor();
    await expect(failure.getByTestId('active-pass').textContent()).resolves.toContain(passNumber);
    await expect(page.locator('#f-name').inputValue()).resolves.toBe(RESIDENT.name);
    await capture(page, 'resident-second-pass');
    await page.context().close();
  });

  it('and on the counter’s form', async () => {
    const page = await freshPage();
    await logIn(page, 'fia-officer', OFFICER);
    await page.getByTestId('nav-counter').click();
    await fillApplication(page, { ...RESIDENT, cnic: RESIDENT.cnic.replaceAll('-', '') });
    await page.getByTestId('apply-submit').click();
    const failure = page.locator('[data-testid="failure"][data-kind="conflict"]');
    await failure.waitFor();
    await expect(failure.getByTestId('active-pass').textContent()).resolves.toContain(passNumber);
    await capture(page, 'counter-second-pass');
    await page.context().close();
  });

  for (const role of ['fia-officer', 'fia-supervisor', 'moi-analyst'] as const) {
    for (const size of SIZES) {
      it(`a ${role} at ${size.width} px finds the person by CNIC, pass number and a name as heard, and reads the decision with its author`, async () => {
        const page = await freshPage(size);
        await logIn(page, role, `${role}-desk-${size.width}`);
        await page.getByTestId('search-box').waitFor();

        await search(page, RESIDENT.cnic.replaceAll('-', ''));
        await expect(page.getByTestId('search-summary').getAttribute('data-kind')).resolves.toBe('cnic');
        await expect(hitCnics(page)).resolves.toEqual([RESIDENT.cnic]);

        await search(page, passNumber.toLowerCase());
        await expect(page.getByTestId('search-summary').getAttribute('data-kind')).resolves.toBe('pass');
        await expect(hitCnics(page)).resolves.toEqual([RESIDENT.cnic]);

        await search(page, 'mohd hafizullah tarin', { fatherName: 'abdul wahid' });
        await expect(page.getByTestId('search-summary').getAttribute('data-kind')).resolves.toBe('name');
        const found = await hitCnics(page);
        expect(found[0]).toBe(RESIDENT.cnic);
        const hit = page.locator(`[data-testid="hit"][data-cnic="${RESIDENT.cnic}"]`);
        await expect(hit.textContent()).resolves.toContain(passNumber);
        if (size.width === 360) await capture(page, `${role}-search`);

        await hit.getByTestId('hit-open').click();
        const person = page.locator(`[data-testid="person"][data-cnic="${RESIDENT.cnic}"]`);
        await person.waitFor();
        const decision = person.locator('[data-testid="person-application"] [data-testid="decision"]');
        await expect(decision.textContent()).resolves.toContain(OFFICER);
        await expect(person.getByTestId('reference').textContent()).resolves.toBe(reference);
        await expect(person.getByTestId('person-passes').textContent()).resolves.toContain(passNumber);
        // The watchlist is FIA's: the Ministry's analyst is not shown whether the person is on it.
        await expect(person.getByTestId('person-watch').count()).resolves.toBe(
          role === 'moi-analyst' ? 0 : 1,
        );
        const rows = person.locator('[data-testid="person-crossings"] tbody tr');
        await expect(rows.count()).resolves.toBe(20);
        await person.getByTestId('more-crossings').click();
        await person.locator('[data-testid="person-crossings"] tbody tr:nth-child(22)').waitFor();
        await expect(person.getByTestId('more-crossings').count()).resolves.toBe(0);
        if (role !== 'moi-analyst') {
          // Who registered the boat, read when asked for.
          const boat = person.getByTestId('boat-history');
          await boat.locator('summary').click();
          await expect(boat.locator('li[data-action="VESSEL_REGISTERED"]').textContent()).resolves.toContain(
            FISHERIES,
          );
        }
        if (size.width === 360) await capture(page, `${role}-person`);
        await page.context().close();
      });
    }
  }

  it('a CNIC with no records says so plainly', async () => {
    const page = await freshPage();
    await logIn(page, 'fia-officer', OFFICER);
    await page.goto(`${p.url}/office/#/person/5210199999993`);
    await page.getByTestId('person-none').waitFor();
    await capture(page, 'person-none');
    await page.context().close();
  });

  it('the queue’s find box filters the whole queue on the server and the total is the server’s', async () => {
    // More approved applications than one page holds.
    const officer = await p.login('fia-officer', OFFICER);
    for (let i = 0; i < 26; i++) {
      const cnic = `52101-00031${String(i).padStart(2, '0')}-1`;
      const applicant = await p.login('applicant', `resident-queue-${i}`, { cnic });
      const applied = await p.api('POST', '/applications', {
        token: applicant,
        body: {
          passType: 'RAHDARI',
          cnic,
          name: `Karim Bakhsh Baloch ${String.fromCharCode(65 + (i % 26))}`,
          fatherName: 'Dad Muhammad',
          district: 'GWADAR',
          crossingPoints: ['GBD'],
          validFrom: karachiDate(new Date()),
          validUntil: karachiDatePlus(new Date(), 30),
        },
      });
      expect(applied.status, applied.text).toBe(201);
      const approved = await p.api('POST', `/applications/${applied.json.id}/approve`, { token: officer });
      expect(approved.status).toBe(201);
    }

    const page = await freshPage(SIZES[1]);
    await logIn(page, 'fia-officer', OFFICER);
    await page.locator('#f-status').selectOption('APPROVED');
    const count = page.getByTestId('queue-count');
    await page.locator('[data-testid="queue-count"][data-total="27"]').waitFor();
    await expect(count.getAttribute('data-count')).resolves.toBe('25');
    // On a page of the queue without the person: the filter is asked there.
    if ((await page.locator(`tr[data-id="${applicationId}"]`).count()) > 0) {
      await page.getByTestId('next-page').click();
      await page.locator('[data-testid="queue-count"][data-count="2"]').waitFor();
    }
    await expect(page.locator(`tr[data-id="${applicationId}"]`).count()).resolves.toBe(0);

    await page.locator('#f-queue-q').fill('mohd hafizullah tarin');
    await page.getByTestId('queue-find-submit').click();
    await page.locator(`tr[data-id="${applicationId}"]`).waitFor();
    await expect(
      page.locator('[data-testid="queue"] tbody tr').first().getAttribute('data-id'),
    ).resolves.toBe(applicationId);
    await expect(count.getAttribute('data-total')).resolves.toBe('27');
    await capture(page, 'fia-queue-filtered');

    await page.locator('#f-queue-q').fill(RESIDENT.cnic.replaceAll('-', '').slice(0, 9));
    await page.getByTestId('queue-find-submit').click();
    await page.locator('[data-testid="queue-count"][data-count="1"]').waitFor();
    await expect(page.locator(`tr[data-id="${applicationId}"]`).count()).resolves.toBe(1);
    await page.getByTestId('queue-clear').click();
    await page.locator('[data-testid="queue-count"][data-count="25"]').waitFor();
    await page.context().close();
  });

  it('a pass shows who issued it, and the keyboard reaches the search and the crossings region', async () => {
    const page = await freshPage();
    await logIn(page, 'fia-supervisor', 'supervisor-desk-keys');
    await page.goto(`${p.url}/office/#/pass/${passNumber}`);
    const issued = page.locator('[data-testid="record-history"] li[data-action="PASS_ISSUED"]');
    await issued.waitFor();
    await expect(issued.textContent()).resolves.toContain(OFFICER);
    await capture(page, 'fia-pass-history');

    await page.goto(`${p.url}/office/#/queue`);
    await page.getByTestId('queue-count').waitFor();
    await page.locator('#f-search-q').focus();
    await page.keyboard.type(RESIDENT.cnic);
    await page.keyboard.press('Enter');
    await page.getByTestId('hit-open').focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="person"][data-cnic="${RESIDENT.cnic}"]`).waitFor();
    await page.context().close();
  });
});
