// A pilgrim group at the checkpoint in real Chromium against the local platform: 50 pilgrims approved through the
// API (held for a watchlisted member until a supervisor approves), the roster downloaded while there is signal,
// then with no signal the group's departure recorded in group mode by 50 scans of a wedge scanner and no other tap,
// the list of those not yet scanned shrinking name by name, 48 returns, and the 98 crossings on the server once
// the network is back; the two who stayed are named against the leader after the return date.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnicSeries, dayAfter, karachiDay } from '../support/data.ts';
import { applicationFor } from '../support/platform.ts';
import {
  applyForGroup,
  type GroupPlatform,
  groupPlatform,
  type IssuedMember,
  issuedGroup,
  type Leader,
  pilgrims,
  serverCrossings,
} from './group-support.ts';
import {
  artifactPath,
  buildCheckpointApp,
  launchChromium,
  provision,
  readQueue,
  typeQr,
  untilOfflineReady,
  verdictAfter,
} from './support.ts';

const POST = 'TFT';
const OFFICER = 'fc-taftan-groups';
const SIZE = 50;
/** What group mode lists by name (web/checkpoint/src/group-panels.ts); the rest it counts. */
const LISTED = 25;

const cnic = cnicSeries('42301');
const LEADER: Leader = {
  cnic: cnicSeries('42302')(),
  name: 'Syed Zulfiqar Ali Naqvi',
  fatherName: 'Syed Haider Ali Naqvi',
  phone: '03001234567',
  organization: 'Karwan-e-Zainab Travels',
};
const PILGRIMS = pilgrims(SIZE, () => cnic());
const WATCHED = PILGRIMS[17]?.cnic as string;
const departOn = karachiDay();
const returnBy = dayAfter(departOn, 30);

let app: { dir: string; remove: () => void };
let p: GroupPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;

let groupNo: string;
let groupPass: string;
/** The members' passes in the roster's order, as the post downloads it. */
let roster: IssuedMember[];
/** A resident's own rahdari, valid at Taftan, of no group. */
let loner: { number: string; qrText: string };

beforeAll(async () => {
  app = buildCheckpointApp();
  p = await groupPlatform(app.dir);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
  app?.remove();
});

/** The members scanned in an order of their own (17 and 50 share no factor), not the roster's. */
const scanOrder = Array.from({ length: SIZE }, (_, i) => (i * 17) % SIZE);

/** Screenshots in English and Urdu at 360 and 1280 px, and axe-core in both: no serious or critical violation. */
async function shots(name: string): Promise<void> {
  for (const lang of ['en', 'ur'] as const) {
    if ((await page.locator('html').getAttribute('lang')) !== lang) await page.getByTestId('lang').click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await page.evaluate(() => document.fonts.ready);
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      bad.map((v) => `${name}/${lang}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      // From the top, where group mode's bar sits before the page is scrolled.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({
        path: artifactPath('screenshots', `groups-${name}-${lang}-${width}.png`),
        fullPage: true,
      });
    }
  }
  await page.getByTestId('lang').click();
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Scans a member's pass with the wedge scanner and waits for group mode to have taken it; no tap. */
async function scanInMode(member: IssuedMember, done: number): Promise<void> {
  const shown = await verdictAfter(page, () => typeQr(page, member.qrText));
  expect(shown.verdict).toBe('VALID');
  await page.locator(`[data-testid="group-mode"][data-done="${done}"]`).waitFor();
  await expect(page.getByTestId('recorded').textContent()).resolves.toContain(member.name);
}

/** Who group mode lists as not yet scanned, and how many more it only counts. */
async function listedWaiting(): Promise<{ passes: string[]; names: string[]; more: string | null }> {
  const items = page.getByTestId('group-waiting').locator('li');
  const more = page.getByTestId('group-waiting-more');
  return {
    passes: await items.evaluateAll((li) => li.map((item) => item.getAttribute('data-pass') ?? '')),
    names: await items.locator('.who').allTextContents(),
    more: (await more.count()) > 0 ? await more.textContent() : null,
  };
}

function expectWaiting(
  listed: Awaited<ReturnType<typeof listedWaiting>>,
  scanned: ReadonlySet<string>,
): void {
  const waiting = roster.filter((m) => !scanned.has(m.pass));
  const first = waiting.slice(0, LISTED);
  expect(listed.passes).toEqual(first.map((m) => m.pass));
  expect(listed.names).toEqual(first.map((m) => m.name));
  if (waiting.length > LISTED) expect(listed.more).toContain(String(waiting.length - LISTED));
  else expect(listed.more).toBeNull();
}

async function waitingCount(): Promise<number> {
  return Number(await page.getByTestId('queue').getAttribute('data-waiting'));
}

describe('a pilgrim group crossing at Taftan', () => {
  it('is held for its watchlisted member until a supervisor approves it: 50 passes and the group pass', async () => {
    const supervisor = await p.login('fia-supervisor', 'supervisor-groups-e2e');
    const listed = await p.api('PUT', `/watchlist/${WATCHED}`, {
      token: supervisor,
      body: { reason: 'Wanted for questioning', category: 'other' },
    });
    expect(listed.status, listed.text).toBe(201);
    groupNo = await applyForGroup(p, LEADER, { crossingPoint: POST, departOn, returnBy, members: PILGRIMS });

    const officer = await p.login('fia-officer', 'officer-groups-e2e');
    const held = await p.api('GET', `/groups/${groupNo}`, { token: officer });
    expect(held.json.status).toBe('NEEDS_REVIEW');
    const refused = await p.api('POST', `/groups/${groupNo}/approve`, { token: officer });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const approved = await p.api('POST', `/groups/${groupNo}/approve`, { token: supervisor });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json.status).toBe('APPROVED');

    const issued = await issuedGroup(p, groupNo);
    expect(issued.members).toHaveLength(SIZE);
    groupPass = issued.groupPass;
    // The roster as the post gets it sets the order the app lists members in.
    const post = await p.login('checkpoint-officer', 'fc-taftan-roster-check', { checkpoint: POST });
    const rosters = await p.api('GET', '/rosters', { token: post });
    expect(rosters.status, rosters.text).toBe(200);
    const ours = (rosters.json.groups as { number: string; members: { pass: string }[] }[]).find(
      (g) => g.number === groupNo,
    );
    const byPass = new Map(issued.members.map((m) => [m.pass, m]));
    roster = (ours?.members ?? []).map((m) => byPass.get(m.pass) as IssuedMember);
    expect(roster.map((m) => m.pass).sort()).toEqual([...byPass.keys()].sort());

    const resident = cnicSeries('54101', 5)();
    const applicant = await p.login('applicant', `resident-${resident}`, { cnic: resident });
    const applied = await p.api('POST', '/applications', {
      token: applicant,
      body: applicationFor(resident, { name: 'Dad Karim Sanjrani', crossingPoints: ['TFT'] }),
    });
    expect(applied.status, applied.text).toBe(201);
    const pass = await p.api('POST', `/applications/${applied.json.id}/approve`, { token: officer });
    expect(pass.status, pass.text).toBe(201);
    const number = pass.json.pass.number as string;
    loner = { number, qrText: (await p.api('GET', `/passes/${number}`, { token: officer })).json.qrText };
  }, 120_000);

  it('the post downloads the roster with its trust data and keeps it with no signal', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await provision(page, p.url, OFFICER, POST);
    await untilOfflineReady(page);
    await page.locator('[data-testid="rosters"][data-groups="1"]').waitFor({ timeout: 30_000 });

    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('status').waitFor();
    await page.locator('[data-testid="rosters"][data-groups="1"]').waitFor();
  }, 120_000);

  it("the leader's group pass shows the group and its roster, and offers no OUT or IN", async () => {
    const shown = await verdictAfter(page, () => typeQr(page, groupPass));
    expect(shown.verdict).toBe('VALID');
    expect(shown.text).toContain(LEADER.name);
    const group = page.locator('[data-testid="group"][data-group-pass="true"]');
    await expect(group.getAttribute('data-group')).resolves.toBe(groupNo);
    await expect(group.getByTestId('group-leader').textContent()).resolves.toContain(LEADER.organization);
    await group.getByTestId('group-pass-note').waitFor();
    for (const id of ['record-OUT', 'record-IN', 'group-start-OUT', 'group-start-IN', 'override'])
      await expect(page.getByTestId(id).count(), id).resolves.toBe(0);

    await group.getByTestId('group-roster').locator('summary').click();
    const rows = group.getByTestId('group-roster').locator('li');
    // Drawn once opened: the details' toggle event comes after the click.
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(SIZE);
    await expect(rows.evaluateAll((li) => li.map((r) => r.getAttribute('data-state')))).resolves.toEqual(
      Array(SIZE).fill('NONE'),
    );
    await expect(rows.evaluateAll((li) => li.map((r) => r.getAttribute('data-pass')))).resolves.toEqual(
      roster.map((m) => m.pass),
    );
    await shots('group-pass');
  });

  it("records the group's departure in group mode: 50 scans, no tap but the one that starts it", async () => {
    const first = roster[scanOrder[0] as number] as IssuedMember;
    const shown = await verdictAfter(page, () => typeQr(page, first.qrText));
    expect(shown.verdict).toBe('VALID');
    const group = page.getByTestId('group');
    await expect(group.getAttribute('data-group')).resolves.toBe(groupNo);
    await expect(group.getByTestId('group-leader').textContent()).resolves.toContain(LEADER.name);
    await expect(group.getByTestId('group-counts').getAttribute('data-out')).resolves.toBe('0');
    await shots('member');

    await page.getByTestId('group-start-OUT').click();
    await page.locator('[data-testid="group-mode"][data-done="1"]').waitFor();
    await page.getByTestId('recorded').waitFor();
    const scanned = new Set([first.pass]);
    expectWaiting(await listedWaiting(), scanned);

    for (let k = 1; k < SIZE; k++) {
      const member = roster[scanOrder[k] as number] as IssuedMember;
      await scanInMode(member, k + 1);
      scanned.add(member.pass);
      if ([10, 30, 45, 48].includes(k + 1)) expectWaiting(await listedWaiting(), scanned);
      if (k + 1 === 30) {
        await shots('departure');
        // A phone scrolled down to the record: group mode's bar stays in sight over it.
        await page.setViewportSize({ width: 360, height: 740 });
        await page.getByTestId('recorded').scrollIntoViewIfNeeded();
        await page.screenshot({ path: artifactPath('screenshots', 'groups-departure-scrolled-en-360.png') });
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    }
    await page.getByTestId('group-all-done').waitFor();
    await expect(page.getByTestId('group-waiting').count()).resolves.toBe(0);

    const queued = await readQueue(page);
    expect(queued).toHaveLength(SIZE);
    expect(queued.every((c) => c.record.direction === 'OUT' && c.state === 'queued')).toBe(true);
    expect(new Set(queued.map((c) => c.number))).toEqual(new Set(roster.map((m) => m.pass)));
    await expect.poll(waitingCount).toBe(SIZE);
  }, 180_000);

  it('in group mode records nothing twice, nor a pass that is not valid, of no group, or the group pass', async () => {
    const again = roster[3] as IssuedMember;
    await verdictAfter(page, () => typeQr(page, again.qrText));
    await expect(page.getByTestId('group-already').textContent()).resolves.toContain(again.name);
    await expect(page.getByTestId('record-OUT').count()).resolves.toBe(0);

    const ordinary = await verdictAfter(page, () => typeQr(page, loner.qrText));
    expect(ordinary.verdict).toBe('VALID');
    await expect(page.getByTestId('group-skipped').getAttribute('data-why')).resolves.toBe('notMember');
    // The officer's own one-tap record is still there for an ordinary pass.
    await page.getByTestId('record-OUT').waitFor();

    await verdictAfter(page, () => typeQr(page, groupPass));
    await expect(page.getByTestId('group-skipped').getAttribute('data-why')).resolves.toBe('groupPass');
    const unreadable = await verdictAfter(page, () => typeQr(page, 'rhd:/12345'));
    expect(unreadable.verdict).toBe('MALFORMED');
    await expect(page.getByTestId('group-skipped').getAttribute('data-why')).resolves.toBe('notValid');

    expect(await readQueue(page)).toHaveLength(SIZE);
    await expect(page.getByTestId('group-mode').getAttribute('data-done')).resolves.toBe(String(SIZE));
    await page.getByTestId('group-mode-end').click();
    await expect(page.getByTestId('group-mode').count()).resolves.toBe(0);
  });

  it('records 48 returns the same way; the two who stayed are the ones named as not yet back', async () => {
    const stayed = [scanOrder[20], scanOrder[41]].map((i) => roster[i as number] as IssuedMember);
    const returning = scanOrder
      .map((i) => roster[i] as IssuedMember)
      .filter((m) => !stayed.includes(m))
      .reverse();
    const first = returning[0] as IssuedMember;
    await verdictAfter(page, () => typeQr(page, first.qrText));
    await expect(page.getByTestId('group-counts').getAttribute('data-out')).resolves.toBe(String(SIZE));
    await page.getByTestId('group-start-IN').click();
    await page.locator('[data-testid="group-mode"][data-direction="IN"][data-done="1"]').waitFor();
    // A return recorded by mistake and undone waits again, and is recorded when scanned again.
    const second = returning[1] as IssuedMember;
    await scanInMode(second, 2);
    await page.getByTestId('undo').click();
    await page.locator('[data-testid="group-mode"][data-done="1"]').waitFor();
    const scanned = new Set([first.pass]);
    expectWaiting(await listedWaiting(), scanned);
    for (let k = 1; k < returning.length; k++) {
      const member = returning[k] as IssuedMember;
      await scanInMode(member, k + 1);
      scanned.add(member.pass);
      if (k + 1 === 20) {
        expectWaiting(await listedWaiting(), scanned);
        // The phone reloads the page mid-return: group mode goes on where it was, with no new tap.
        await page.reload();
        await page.locator('[data-testid="group-mode"][data-direction="IN"][data-done="20"]').waitFor();
        await expect(page.getByTestId('group-mode').getAttribute('data-group')).resolves.toBe(groupNo);
        expectWaiting(await listedWaiting(), scanned);
      }
    }
    await page.locator('[data-testid="group-mode"][data-waiting="2"]').waitFor();
    const left = await listedWaiting();
    expect(left.names.sort()).toEqual(stayed.map((m) => m.name).sort());
    expect(left.passes.sort()).toEqual(stayed.map((m) => m.pass).sort());
    await shots('return');
    await expect.poll(waitingCount).toBe(SIZE + 48);
  }, 180_000);

  it('sends the 98 crossings when the network returns: the server holds 50 OUT and 48 IN', async () => {
    await context.setOffline(false);
    await page.locator('[data-testid="queue"][data-waiting="0"]').waitFor({ timeout: 60_000 });
    const local = await readQueue(page);
    expect(local.map((c) => c.state)).toEqual(Array(SIZE + 48).fill('stored'));

    const fia = await p.login('fia-officer', 'officer-groups-check');
    const held = (await Promise.all(roster.map((m) => serverCrossings(p, fia, m.pass)))).flat();
    expect(held.filter((c) => c.direction === 'OUT')).toHaveLength(SIZE);
    expect(held.filter((c) => c.direction === 'IN')).toHaveLength(48);
    expect(new Set(held.map((c) => c.id))).toEqual(new Set(local.map((c) => c.record.id)));
    const group = await p.api('GET', `/groups/${groupNo}`, { token: fia });
    expect(group.json.counts).toEqual({ notDeparted: 0, out: 2, back: 48 });
  }, 120_000);

  it('after the return date the two still abroad are named against the leader', async () => {
    const stayed = [scanOrder[20], scanOrder[41]].map((i) => roster[i as number] as IssuedMember);
    // The server's clock moves two days past the promised return; the device's does not.
    p.setClockAhead(Date.parse(`${returnBy}T00:00:00+05:00`) - Date.now() + 2 * 86400_000);
    const fia = await p.login('fia-officer', 'officer-groups-overdue');
    const group = await p.api('GET', `/groups/${groupNo}`, { token: fia });
    expect(group.json.state).toBe('OVERDUE');
    expect(group.json.leader.name).toBe(LEADER.name);
    expect((group.json.missing as { pass: string }[]).map((m) => m.pass).sort()).toEqual(
      stayed.map((m) => m.pass).sort(),
    );
    p.setClockAhead(0);
  });

  it('a device without the roster still shows the group from the pass and says the roster is not there', async () => {
    const other = await browser.newContext({ viewport: { width: 360, height: 900 } });
    const fresh = await other.newPage();
    // A post set up where the rosters could not be fetched.
    await fresh.route('**/rosters', (route) => route.abort('internetdisconnected'));
    await provision(fresh, p.url, 'fc-taftan-groups-2', POST);
    await fresh.getByTestId('rosters').waitFor();
    await expect(fresh.getByTestId('rosters').getAttribute('data-groups')).resolves.toBeNull();
    const member = roster[0] as IssuedMember;
    page = fresh;
    await verdictAfter(fresh, () => typeQr(fresh, member.qrText));
    await expect(fresh.getByTestId('group').getAttribute('data-group')).resolves.toBe(groupNo);
    await fresh.getByTestId('group-no-roster').waitFor();
    await fresh.getByTestId('group-start-OUT').waitFor();
    await shots('no-roster');
    await other.close();
  });
});
