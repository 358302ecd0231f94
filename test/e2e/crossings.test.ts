// Crossings recorded in the checkpoint app at a post with no signal reach the platform once each: through a
// reload, a page closed mid-sync and the server killed mid-batch, in real Chromium against DynamoDB Local.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { monotonicFactory } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { karachiDay } from '../support/data.ts';
import { testTable } from '../support/dynamodb.ts';
import { vesselBody } from '../support/fleet.ts';
import { apiClient } from '../support/platform.ts';
import {
  artifactPath,
  buildCheckpointApp,
  type E2ePlatform,
  freePort,
  type IssuedPass,
  issuePass,
  launchChromium,
  type PlatformProcess,
  pakistanDayOf,
  platformProcess,
  provision,
  type QueuedRow,
  queueDeviceId,
  readQueue,
  revokePass,
  seedQueue,
  typeQr,
  untilOfflineReady,
  verdictAfter,
} from './support.ts';

/** Jiwani checks both people (a sea crossing) and boats (a port). */
const POST = 'JWN';
const OFFICER = 'cg-jiwani-7';

let app: { dir: string; remove: () => void };
let table: Awaited<ReturnType<typeof testTable>>;
let server: PlatformProcess;
let p: E2ePlatform;
let port: number;
const work = mkdtempSync(join(tmpdir(), 'rahdari-e2e-crossings-'));
const keyDir = join(work, 'keys');
let browser: Browser;
let context: BrowserContext;
let page: Page;

let passes: IssuedPass[];
let revoked: IssuedPass;
let boat: { qrText: string; officialNumber: string; maxCrew: number };

async function startServer(): Promise<void> {
  server = await platformProcess({ table: table.tableName, keyDir, port, appDir: app.dir });
  const api = apiClient(server.url);
  p = {
    url: server.url,
    keyDir,
    api,
    async login(role, sub, bound = {}) {
      const res = await api('POST', '/dev/login', { body: { role, sub, ...bound } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
      return res.json.token as string;
    },
    close: () => server.kill(),
  };
}

beforeAll(async () => {
  app = buildCheckpointApp();
  table = await testTable();
  port = await freePort();
  await startServer();
  passes = await Promise.all(
    [
      ['5210100000113', 'Mehrab Gichki'],
      ['5210100000123', 'Allah Bakhsh Dashti Baloch son of Noor Muhammad Kalmati'],
      ['5210100000133', 'Shah Jahan Rind'],
      ['5210100000143', 'Bibi Gul Naz Hoth'],
    ].map(([cnic, name]) => issuePass(p, cnic as string, name as string)),
  );
  revoked = await issuePass(p, '5210100000153', 'Dad Karim Sanjrani');
  await revokePass(p, revoked.number);
  const fisheries = await p.login('fisheries-officer', 'fisheries-gwd-crossings', { port: 'GWD' });
  const registered = await p.api('POST', '/vessels', { token: fisheries, body: vesselBody(karachiDay()) });
  expect(registered.status).toBe(201);
  boat = {
    qrText: registered.json.certificate.qrText,
    officialNumber: registered.json.officialNumber,
    maxCrew: registered.json.maxCrew,
  };
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await provision(page, p.url, OFFICER, POST);
  await untilOfflineReady(page);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  table?.raw.destroy();
  app?.remove();
  rmSync(work, { recursive: true, force: true });
});

type Local = {
  id: string;
  state: string;
  day: string;
  number: string;
  direction: string;
  reason?: string;
  anomalies?: string[];
  crew?: { count: number; cnics: string[] };
  override?: { reason: string };
};

async function localCrossings(on: Page = page): Promise<Local[]> {
  return (await readQueue(on)).map((c) => ({
    id: c.record.id,
    state: c.state,
    day: c.day,
    number: c.number,
    direction: c.record.direction,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.anomalies ? { anomalies: c.anomalies } : {}),
    ...(c.record.crew ? { crew: c.record.crew } : {}),
    ...(c.record.override ? { override: c.record.override } : {}),
  }));
}

const ulid = monotonicFactory();

/** Queues records as the app does, with the device's id and this officer, for the tests of sending many. */
async function seed(
  records: { credential: string; number: string; direction: 'OUT' | 'IN'; at: number; checkpoint?: string }[],
  on: Page = page,
): Promise<string[]> {
  const device = await queueDeviceId(on);
  const rows: QueuedRow[] = records.map((r) => ({
    record: {
      id: ulid(r.at),
      credential: r.credential,
      kind: 'bp',
      checkpoint: r.checkpoint ?? POST,
      direction: r.direction,
      at: new Date(r.at).toISOString(),
      officer: OFFICER,
      device,
      verdict: 'VALID',
    },
    state: 'queued',
    day: pakistanDayOf(r.at),
    name: 'seeded',
    number: r.number,
  }));
  await seedQueue(on, rows);
  return rows.map((r) => r.record.id);
}

/** Alternating OUT and IN of the four passes, spread over the past `days`, oldest first. */
function journeys(count: number, days: number, startMs = Date.now() - days * 24 * 3600_000) {
  const step = Math.floor((days * 24 * 3600_000) / count);
  return Array.from({ length: count }, (_, i) => {
    const pass = passes[i % passes.length] as IssuedPass;
    return {
      credential: pass.qrText,
      number: pass.number,
      direction: Math.floor(i / passes.length) % 2 === 0 ? ('OUT' as const) : ('IN' as const),
      at: startMs + i * step,
    };
  });
}

/** Every crossing the server holds for a credential, by id, through the FIA's history route. */
async function serverIds(credential: string): Promise<string[]> {
  const fia = await p.login('fia-officer', 'fia-crossings-check');
  const ids: string[] = [];
  let path: string | undefined = `/crossings?credential=${encodeURIComponent(credential)}&limit=100`;
  while (path) {
    const res = await p.api('GET', path, { token: fia });
    expect(res.status).toBe(200);
    ids.push(...(res.json.items as { id: string }[]).map((item) => item.id));
    path = res.json.next;
  }
  return ids;
}

async function allServerIds(): Promise<string[]> {
  const numbers = [...passes.map((x) => x.number), revoked.number, boat.officialNumber];
  return (await Promise.all(numbers.map(serverIds))).flat();
}

/** Crossings in the table, read from DynamoDB Local directly (the server may be dead). */
async function storedCount(): Promise<number> {
  let count = 0;
  for (const pass of passes) {
    let start: Record<string, unknown> | undefined;
    do {
      const res = await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :x)',
          ExpressionAttributeValues: { ':pk': `PASS#${pass.number}`, ':x': 'X#' },
          Select: 'COUNT',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += res.Count ?? 0;
      start = res.LastEvaluatedKey;
    } while (start);
  }
  return count;
}

async function waiting(on: Page = page): Promise<number> {
  return Number(await on.getByTestId('queue').getAttribute('data-waiting'));
}

async function untilWaiting(n: number, on: Page = page, timeout = 60_000): Promise<void> {
  await on.locator(`[data-testid="queue"][data-waiting="${n}"]`).waitFor({ timeout });
}

/** Exactly once: every id the device holds is on the server once, and the server holds no other. */
async function expectExactlyOnce(local: Local[]): Promise<void> {
  const held = await allServerIds();
  expect(new Set(held).size).toBe(held.length);
  expect(new Set(held)).toEqual(new Set(local.map((c) => c.id)));
}

/** The same person again within minutes: the app shows what it has just recorded, and another crossing is asked for. */
async function anotherCrossing(): Promise<void> {
  if ((await page.getByTestId('recorded').count()) > 0) await page.getByTestId('record-another').click();
}

async function recordPass(pass: IssuedPass, direction: 'OUT' | 'IN', overrideReason?: string) {
  const shown = await verdictAfter(page, () => typeQr(page, pass.qrText));
  await anotherCrossing();
  if (overrideReason) {
    expect(shown.verdict).not.toBe('VALID');
    // Refused credentials are never one tap: the buttons wait behind the override and its reason.
    await page.getByTestId('override').locator('summary').click();
    await expect(page.getByTestId(`record-${direction}`).isDisabled()).resolves.toBe(true);
    await page.getByTestId('override-reason').fill(overrideReason);
  } else expect(shown.verdict).toBe('VALID');
  await page.getByTestId(`record-${direction}`).click();
  await page.getByTestId('recorded').waitFor();
}

const CREW_TYPED = ['52101-7654321-1', '5210176543225'];

async function recordBoat(direction: 'OUT' | 'IN') {
  const shown = await verdictAfter(page, () => typeQr(page, boat.qrText));
  expect(shown.verdict).toBe('VALID');
  await anotherCrossing();
  await page.getByTestId(`record-${direction}`).click();
  await page.getByTestId('crew-form').waitFor();
  await expect(page.getByTestId('crew-limit').textContent()).resolves.toContain(String(boat.maxCrew));
  const list = page.getByTestId('crew-list').locator('li');
  if (direction === 'OUT') {
    await page.getByTestId('crew-count').fill('3');
    for (const cnic of CREW_TYPED) {
      await page.getByTestId('crew-cnic').fill(cnic);
      await page.getByTestId('crew-cnic').press('Enter');
    }
    // The third is scanned from the crew member's own pass, without leaving the screen.
    await typeQr(page, (passes[0] as IssuedPass).qrText);
    await page.locator('[data-testid="crew-list"] li[data-cnic="5210100000113"]').waitFor();
    await expect(list.count()).resolves.toBe(3);
  } else {
    // The return starts from the departure's crew.
    await expect(list.count()).resolves.toBe(3);
  }
  await page.getByTestId('crew-save').click();
  await page.getByTestId('recorded').waitFor();
}

describe('a post with no signal', () => {
  it('records 200 crossings of passes and a boat, some on override, and keeps them through a reload', async () => {
    await context.setOffline(true);
    const turn = new Map<string, 'OUT' | 'IN'>();
    const next = (number: string) => {
      const direction = turn.get(number) === 'OUT' ? 'IN' : 'OUT';
      turn.set(number, direction);
      return direction;
    };
    for (let i = 0; i < 200; i++) {
      const slot = i % 10;
      if (slot < 8) {
        const pass = passes[i % passes.length] as IssuedPass;
        await recordPass(pass, next(pass.number));
      } else if (slot === 8) await recordBoat(next(boat.officialNumber));
      else
        await recordPass(revoked, next(revoked.number), 'Card lost at sea; identity confirmed by the Levies');
    }
    await untilWaiting(200);
    await page.screenshot({
      path: artifactPath('screenshots', 'crossings-queued-en-1280.png'),
      fullPage: true,
    });

    await page.reload();
    await page.getByTestId('status').waitFor();
    await untilWaiting(200);
    const local = await localCrossings();
    expect(local).toHaveLength(200);
    expect(local.every((c) => c.state === 'queued')).toBe(true);
    expect(local.filter((c) => c.override)).toHaveLength(20);
    // The day's counts are the records of the (Pakistan) day, which may have turned while they were recorded.
    const today = page.getByTestId('today');
    // The lists are read from IndexedDB once the page has settled.
    await page.locator('[data-testid="today"][data-out]').waitFor();
    const day = await today.getAttribute('data-day');
    const ofDay = local.filter((c) => c.day === day);
    await expect(today.getAttribute('data-out')).resolves.toBe(
      String(ofDay.filter((c) => c.direction === 'OUT').length),
    );
    await expect(today.getAttribute('data-in')).resolves.toBe(
      String(ofDay.filter((c) => c.direction === 'IN').length),
    );
    expect(ofDay.length).toBeGreaterThan(0);
    const boatOut = local.find((c) => c.number === boat.officialNumber && c.direction === 'OUT');
    expect(boatOut?.crew).toEqual({ count: 3, cnics: ['5210176543211', '5210176543225', '5210100000113'] });
    // Nothing reached the server while the post was offline.
    await expect(allServerIds()).resolves.toEqual([]);
  }, 240_000);

  it('sends them when the network returns: each stored once, with the answers on screen', async () => {
    await context.setOffline(false);
    await untilWaiting(0);
    const local = await localCrossings();
    expect(local.map((c) => c.state).sort()).toEqual(Array(200).fill('stored'));
    expect(local.filter((c) => c.anomalies?.includes('OVERRIDE'))).toHaveLength(20);
    await expectExactlyOnce(local);
    await expect(page.getByTestId('crossing-sync').getAttribute('data-outcome')).resolves.toBe('synced');
    await expect(page.getByTestId('crossing-sync').textContent()).resolves.toContain('200 stored');
    await page.locator('.today [data-state="stored"]').first().waitFor();
    for (const [lang, width] of [
      ['en', 360],
      ['ur', 360],
      ['ur', 1280],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      if ((await page.locator('html').getAttribute('lang')) !== lang) await page.getByTestId('lang').click();
      await page.getByTestId('queue').scrollIntoViewIfNeeded();
      await page.screenshot({ path: artifactPath('screenshots', `crossings-sent-${lang}-${width}.png`) });
    }
    await page.getByTestId('lang').click();
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);
});

describe('a sync cut short', () => {
  it('a page closed while the server answers: reopened, it sends again and nothing is doubled', async () => {
    const ids = await seed(journeys(300, 2));
    let release: (route: Route) => void = () => {};
    const answered = new Promise<Route>((done) => {
      release = done;
    });
    await page.route('**/crossings', async (route) => {
      // The server takes the batch and answers; the page never sees the answer.
      await route.fetch();
      release(route);
    });
    await page.getByTestId('send-crossings').click();
    await answered;
    await page.close();

    page = await context.newPage();
    await page.goto(`${p.url}/checkpoint/`);
    await page.getByTestId('status').waitFor();
    await untilWaiting(0);
    const local = await localCrossings();
    const resent = local.filter((c) => ids.includes(c.id));
    expect(resent.map((c) => c.state)).toEqual(Array(300).fill('duplicate'));
    await expectExactlyOnce(local);
  }, 120_000);

  it('the server killed mid-batch and started again: nothing lost, nothing doubled', async () => {
    // A week offline at a busy post: three batches.
    const ids = await seed(journeys(1500, 7));
    const before = await storedCount();
    let killed: Promise<void> | undefined;
    await page.route('**/crossings', async (route) => {
      if (killed) return route.continue().catch(() => {});
      // The server takes the batch and is killed as soon as its first transaction lands: whatever it wrote, and
      // whether or not it had answered, the page never hears back.
      killed = (async () => {
        while ((await storedCount()) === before) await new Promise((done) => setTimeout(done, 10));
        await server.kill();
      })();
      route.fetch().catch(() => {});
      await killed;
      await route.abort('connectionreset');
    });
    await page.getByTestId('send-crossings').click();
    await expect.poll(() => killed !== undefined, { timeout: 10_000 }).toBe(true);
    await killed;
    await page.unroute('**/crossings');
    await page.locator('[data-testid="crossing-sync"][data-outcome="offline"]').waitFor({ timeout: 20_000 });
    expect(await waiting()).toBe(1500);

    await startServer();
    const partial = (await allServerIds()).filter((id) => ids.includes(id)).length;
    // Some or all of the first batch, none of the others.
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThanOrEqual(500);
    await page.getByTestId('send-crossings').click();
    await untilWaiting(0);
    const local = await localCrossings();
    const sent = local.filter((c) => ids.includes(c.id));
    expect(sent).toHaveLength(1500);
    expect(sent.filter((c) => c.state === 'duplicate')).toHaveLength(partial);
    expect(sent.filter((c) => c.state === 'stored')).toHaveLength(1500 - partial);
    await expectExactlyOnce(local);
  }, 180_000);
});

describe('a batch with good and bad records', () => {
  it('stores the good and shows each bad one refused with its reason', async () => {
    const now = Date.now();
    const good = journeys(10, 0.01, now - 60_000);
    const ids = await seed([
      ...good,
      // A phone whose date was set two days ahead.
      { ...(good[0] as (typeof good)[number]), direction: 'OUT', at: now + 2 * 24 * 3600_000 },
      // Queued under an earlier posting at another checkpoint.
      { ...(good[1] as (typeof good)[number]), direction: 'OUT', at: now - 30_000, checkpoint: 'GBD' },
    ]);
    await page.getByTestId('send-crossings').click();
    // The screen said 0 waiting before the seeded records were counted: wait on the records themselves.
    await expect
      .poll(
        async () => (await localCrossings()).filter((c) => ids.includes(c.id) && c.state === 'queued').length,
        {
          timeout: 60_000,
        },
      )
      .toBe(0);
    await untilWaiting(0);
    const local = (await localCrossings()).filter((c) => ids.includes(c.id));
    expect(local.filter((c) => c.state === 'stored')).toHaveLength(10);
    const refused = local.filter((c) => c.state === 'rejected');
    expect(refused.map((c) => c.reason).sort()).toEqual([
      'Recorded at GBD; this account posts only for JWN.',
      'Recorded more than a day after the server time: the device clock is wrong.',
    ]);
    const shown = page.getByTestId('refused').getByTestId('reject-reason');
    await expect(shown.allTextContents()).resolves.toEqual(
      expect.arrayContaining([
        expect.stringContaining('posts only for JWN'),
        expect.stringContaining('device clock is wrong'),
      ]),
    );
    await page
      .getByTestId('refused')
      .screenshot({ path: artifactPath('screenshots', 'crossings-refused-en.png') });
    // Refused records are never sent again.
    let posts = 0;
    await page.route('**/crossings', (route) => {
      posts++;
      return route.continue();
    });
    await page.getByTestId('send-crossings').click();
    await page.waitForTimeout(500);
    await page.unroute('**/crossings');
    expect(posts).toBe(0);
    expect((await localCrossings()).filter((c) => c.state === 'rejected')).toHaveLength(2);
  }, 60_000);
});
