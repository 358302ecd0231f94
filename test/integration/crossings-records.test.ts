// The rules a crossing record meets on DynamoDB Local through the local server: an id stored once whatever a resend
// changes (a changed one refused and filed for FIA), the anomalies of what the device knew and said, the oldest
// time taken, blank text refused, and the posting account in the Ministry feed.
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../functions/services/feed.ts';
import type { CrossingFeedRecord, FeedRecord } from '../../shared/feed-records.ts';
import { cnicSeries, karachiDay, passCrossingAt } from '../support/data.ts';
import { feedEntriesOfDay } from '../support/feed-day.ts';
import { applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
let officer: string;
let supervisor: string;
let taftan: string;
let taftanRelief: string;
let analyst: string;

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.login('fia-officer', 'officer-1');
  supervisor = await p.login('fia-supervisor', 'supervisor-1');
  taftan = await p.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
  taftanRelief = await p.login('checkpoint-officer', 'fc-taftan-2', { checkpoint: 'TFT' });
  analyst = await p.login('moi-analyst', 'analyst-1');
});
afterAll(() => p.close());

const freshCnic = cnicSeries('71', 1);

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await p.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300)
    throw new Error(`${method} ${path} failed while preparing: ${res.status} ${res.text}`);
  return res.json;
}

/** A new pass for TFT and RJY: its number, the QR text a checkpoint scans and when it becomes valid (epoch s). */
async function newPass(): Promise<{ no: string; qrText: string; nbf: number }> {
  const app = await call('POST', '/applications', officer, applicationFor(freshCnic()));
  const approved = await call('POST', `/applications/${app.id}/approve`, officer);
  const shown = await call('GET', `/passes/${approved.pass.number}`, officer);
  // A pass is valid from the start of its first day in Pakistan (UTC+5).
  const nbf = Date.parse(`${shown.validFrom}T00:00:00+05:00`) / 1000;
  return { no: approved.pass.number, qrText: shown.qrText, nbf };
}

/**
 * Crossing times a second apart from two minutes ago, in increasing order: never before a pass issued today by more
 * than the clock tolerance (five minutes), even just after midnight in Pakistan.
 */
let tick = 0;
const nextAt = () => new Date(Date.now() - 120_000 + ++tick * 1000).toISOString();

const passCrossing = (qrText: string, overrides: Record<string, unknown> = {}) =>
  passCrossingAt(qrText, nextAt(), overrides);

type Result = { id: string; result: string; anomalies?: string[]; reason?: string };

async function post(records: unknown[], token = taftan): Promise<Result[]> {
  const res = await p.api('POST', '/crossings', { token, body: { records } });
  expect(res.status, res.text).toBe(200);
  return res.json.results as Result[];
}

/** The crossing items stored under a credential, as the table holds them. */
async function storedCrossings(no: string) {
  const out = await p.table.client.send(
    new QueryCommand({
      TableName: p.table.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :x)',
      ExpressionAttributeValues: { ':pk': `PASS#${no}`, ':x': 'X#' },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

/** The anomaly items stored under a credential. */
async function anomalyItems(no: string) {
  const out = await p.table.client.send(
    new QueryCommand({
      TableName: p.table.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :a)',
      ExpressionAttributeValues: { ':pk': `PASS#${no}`, ':a': 'A#' },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

async function claimOf(id: string) {
  const out = await p.table.client.send(
    new GetCommand({
      TableName: p.table.tableName,
      Key: { PK: `CROSSING#${id}`, SK: 'CROSSING' },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

/** Today's Ministry feed records (Pakistan day), as the deliverer and the export build them. */
async function feedToday(): Promise<FeedRecord[]> {
  const store = p.platform.store;
  return recordsOf(store.feed, await feedEntriesOfDay(store.feed, karachiDay()));
}

/** Today's anomalies of one type from the report, every page. */
async function reportedToday(type: string) {
  const day = karachiDay();
  const items: Record<string, unknown>[] = [];
  let path: string | undefined = `/reports/anomalies?from=${day}&to=${day}&type=${type}&limit=100`;
  while (path) {
    const res = await p.api('GET', path, { token: analyst });
    expect(res.status, res.text).toBe(200);
    items.push(...res.json.items);
    path = res.json.next;
  }
  return items;
}

describe('a record id is stored once, whatever a resend changes', () => {
  it('refuses a resend whose time moved by a millisecond, keeps the first, and files the conflict for FIA', async () => {
    const pass = await newPass();
    const first = passCrossing(pass.qrText);
    await post([first]);
    const moved = { ...first, at: new Date(Date.parse(first.at as string) + 1).toISOString() };

    const [result] = await post([moved]);

    expect(result).toMatchObject({ id: first.id, result: 'rejected' });
    expect(result?.reason).toContain('recorded before with other content (changed: at)');
    expect(result?.reason).toContain('CONFLICTING_RESEND');
    const stored = await storedCrossings(pass.no);
    expect(stored.map((c) => [c.id, c.at])).toEqual([[first.id, first.at]]);
    const anomalies = await anomalyItems(pass.no);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({
      type: 'CONFLICTING_RESEND',
      crossingId: first.id,
      credential: pass.no,
      checkpoint: 'TFT',
      resend: { fields: ['at'], postedBy: { sub: 'fc-taftan-1', role: 'checkpoint-officer' } },
    });
    expect(anomalies[0]?.detail).toContain(`at ${first.at} -> ${moved.at}`);
  });

  it('files a resend under another credential against the crossing stored first, never the other holder', async () => {
    const pass = await newPass();
    const other = await newPass();
    const first = passCrossing(pass.qrText);
    await post([first]);

    const [result] = await post([{ ...first, credential: other.qrText, direction: 'IN' }]);

    expect(result).toMatchObject({ result: 'rejected' });
    expect(result?.reason).toContain('(changed: credential, direction)');
    expect(await storedCrossings(other.no)).toEqual([]);
    expect(await anomalyItems(other.no)).toEqual([]);
    const [anomaly] = await anomalyItems(pass.no);
    expect(anomaly).toMatchObject({ type: 'CONFLICTING_RESEND', credential: pass.no, crossingId: first.id });
    expect(anomaly?.detail).toContain(`credential ${pass.no} -> ${other.no}`);
    expect(anomaly?.detail).toContain('direction OUT -> IN');
  });

  it('files one anomaly per distinct content resent, however often each is retried, and by whom', async () => {
    const pass = await newPass();
    const first = passCrossing(pass.qrText);
    await post([first]);
    const otherOfficer = { ...first, officer: 'someone else' };
    const otherVerdict = { ...first, verdict: 'EXPIRED', override: { reason: 'Known to the post.' } };

    const answers = [
      ...(await post([otherOfficer])),
      ...(await post([otherOfficer, otherVerdict])),
      ...(await post([otherVerdict], taftanRelief)),
      ...(await post([otherOfficer, first])),
    ];

    expect(answers.map((a) => a.result)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'duplicate',
    ]);
    const anomalies = await anomalyItems(pass.no);
    expect(anomalies.map((a) => (a.resend as { fields: string[] }).fields).sort()).toEqual([
      ['officer'],
      ['verdict', 'override'],
    ]);
    expect(await storedCrossings(pass.no)).toHaveLength(1);
    const feed = (await feedToday()).filter((r) => r.type === 'anomaly' && r.crossingId === first.id);
    expect(feed).toHaveLength(2);
    expect(feed.every((r) => r.type === 'anomaly' && r.kind === 'CONFLICTING_RESEND')).toBe(true);
    expect(new Set(feed.map((r) => r.id)).size).toBe(2);
  });

  it('answers an identical resend as a duplicate and files nothing', async () => {
    const pass = await newPass();
    const first = passCrossing(pass.qrText);
    await post([first]);
    const itemsBefore = (await p.items()).length;

    const [again] = await post([{ ...first, officer: ' fc-taftan-1 ' }]);

    expect(again).toEqual({ id: first.id, result: 'duplicate' });
    expect((await p.items()).length).toBe(itemsBefore);
  });

  it('stores the first of one id sent twice in a batch and refuses the later one as the conflict', async () => {
    const pass = await newPass();
    const first = passCrossing(pass.qrText);
    const later = { ...first, direction: 'IN' };

    const results = await post([first, later, first]);

    expect(results.map((r) => r.result)).toEqual(['stored', 'rejected', 'duplicate']);
    const stored = await storedCrossings(pass.no);
    expect(stored.map((c) => [c.id, c.direction])).toEqual([[first.id, 'OUT']]);
    expect((await anomalyItems(pass.no)).map((a) => a.type)).toEqual(['CONFLICTING_RESEND']);
  });

  it('stores one of two conflicting posts of one id that race, and refuses the other', async () => {
    const pass = await newPass();
    const first = passCrossing(pass.qrText);
    const other = { ...first, direction: 'IN' };

    const [a, b] = await Promise.all([post([first]), post([other], taftanRelief)]);

    expect([a[0]?.result, b[0]?.result].sort()).toEqual(['rejected', 'stored']);
    expect(await storedCrossings(pass.no)).toHaveLength(1);
    expect((await anomalyItems(pass.no)).map((x) => x.type)).toEqual(['CONFLICTING_RESEND']);
  });

  it('lists the conflict in the anomalies report and its CSV, on the day it was seen', async () => {
    const pass = await newPass();
    const first = passCrossing(pass.qrText);
    await post([first]);
    await post([{ ...first, device: 'taftan-phone-2' }]);

    const rows = (await reportedToday('CONFLICTING_RESEND')).filter((r) => r.crossingId === first.id);
    const csv = await p.api(
      'GET',
      `/reports/anomalies?from=${karachiDay()}&to=${karachiDay()}&type=CONFLICTING_RESEND&limit=100`,
      { token: analyst, headers: { accept: 'text/csv' } },
    );

    expect(rows).toEqual([
      expect.objectContaining({ type: 'CONFLICTING_RESEND', credential: pass.no, checkpoint: 'TFT' }),
    ]);
    expect(rows[0]?.date).toBe(karachiDay());
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(`CONFLICTING_RESEND,TFT,${pass.no},${first.id}`);
  });

  it('keeps a crossing stored before ids were claimed from being stored again by an exact resend', async () => {
    const pass = await newPass();
    const first = passCrossing(pass.qrText, { direction: 'IN' });
    await post([first]);
    // As the table held it before this change: the crossing without the claim of its id.
    await p.table.client.send(
      new DeleteCommand({
        TableName: p.table.tableName,
        Key: { PK: `CROSSING#${first.id}`, SK: 'CROSSING' },
      }),
    );

    const [again] = await post([first]);

    expect(again).toEqual({ id: first.id, result: 'duplicate' });
    expect(await storedCrossings(pass.no)).toHaveLength(1);
  });

  it('claims no id for a record it refuses, so the corrected record is stored under the same id', async () => {
    const pass = await newPass();
    const blank = passCrossing(pass.qrText, { officer: '   ' });

    const [refused] = await post([blank]);
    const [corrected] = await post([{ ...blank, officer: 'fc-taftan-1' }]);

    expect(refused).toMatchObject({ result: 'rejected' });
    expect(corrected).toMatchObject({ result: 'stored' });
    expect(await claimOf(blank.id as string)).toMatchObject({ id: blank.id, credential: pass.no });
  });
});

describe('anomalies of what the device knew and said', () => {
  it('a device verdict that was not VALID, recorded without an override', async () => {
    const pass = await newPass();
    const [result] = await post([passCrossing(pass.qrText, { verdict: 'REVOKED' })]);
    expect(result).toMatchObject({ result: 'stored' });
    expect(result?.anomalies?.sort()).toEqual(['NOT_VALID_WITHOUT_OVERRIDE', 'VERDICT_MISMATCH']);
  });

  it('none of that kind when the officer gave an override and a reason', async () => {
    const pass = await newPass();
    const [result] = await post([
      passCrossing(pass.qrText, { verdict: 'EXPIRED', override: { reason: 'Renewal seen on paper.' } }),
    ]);
    expect(result?.anomalies?.sort()).toEqual(['OVERRIDE', 'VERDICT_MISMATCH']);
  });

  it('a record dated before the credential was valid, beyond the clock tolerance, and none within it', async () => {
    const pass = await newPass();
    const before = passCrossing(pass.qrText, { at: new Date((pass.nbf - 600) * 1000).toISOString() });
    const within = passCrossing(pass.qrText, {
      direction: 'IN',
      at: new Date((pass.nbf - 240) * 1000).toISOString(),
    });

    const results = await post([before, within]);

    expect(results.map((r) => r.result)).toEqual(['stored', 'stored']);
    // The server finds the pass not yet valid then too, so the device's VALID is a mismatch as well.
    expect(results[0]?.anomalies?.sort()).toEqual(['BEFORE_VALIDITY', 'VERDICT_MISMATCH']);
    expect(results[1]?.anomalies).toEqual([]);
  });

  it('a record dated before a revocation its device already held, or called VALID after it', async () => {
    const pass = await newPass();
    const beforeRevocation = new Date(Date.now() - 60_000).toISOString();
    await call('POST', `/passes/${pass.no}/revoke`, supervisor, { reason: 'Reported stolen.' });
    const version = await p.platform.store.revocations.version();
    const afterRevocation = new Date(Date.now() + 60_000).toISOString();
    const records = [
      // Held the revocation, yet dated before it: dated back.
      passCrossing(pass.qrText, { at: beforeRevocation, trustVersion: version, verdict: 'VALID' }),
      // Held it, and still said VALID after it.
      passCrossing(pass.qrText, { direction: 'IN', at: afterRevocation, trustVersion: version + 3 }),
      // Had not received it: the mismatch alone.
      passCrossing(pass.qrText, {
        at: new Date(Date.parse(afterRevocation) + 1000).toISOString(),
        trustVersion: version - 1,
      }),
      // Held it and said so, let through on override: an override, nothing hidden.
      passCrossing(pass.qrText, {
        direction: 'IN',
        at: new Date(Date.parse(afterRevocation) + 2000).toISOString(),
        trustVersion: version,
        verdict: 'REVOKED',
        override: { reason: 'Escorted to the FIA office.' },
      }),
    ];

    const results = await post(records);

    expect(results.map((r) => r.anomalies?.filter((a) => a !== 'DOUBLE_OUT').sort())).toEqual([
      ['AFTER_KNOWN_REVOCATION'],
      ['AFTER_KNOWN_REVOCATION', 'VERDICT_MISMATCH'],
      ['VERDICT_MISMATCH'],
      ['OVERRIDE'],
    ]);
    const [stored] = await storedCrossings(pass.no);
    expect(stored).toMatchObject({ trustVersion: version });
  });
});

describe('the oldest time taken', () => {
  it('refuses a record over 400 days old or from year 0001, and takes one just inside', async () => {
    const pass = await newPass();
    const day = 86400_000;
    const records = [
      passCrossing(pass.qrText, { at: new Date(Date.now() - 401 * day).toISOString() }),
      passCrossing(pass.qrText, { at: '0001-01-01T00:00:00.000Z' }),
      passCrossing(pass.qrText, { at: new Date(Date.now() - 399 * day).toISOString() }),
    ];

    const results = await post(records);

    expect(results.map((r) => r.result)).toEqual(['rejected', 'rejected', 'stored']);
    expect(results[0]?.reason).toContain('more than 400 days before the server time');
    expect(results[1]?.reason).toContain('the device clock is wrong');
    expect(results[2]?.anomalies).toContain('BEFORE_VALIDITY');
    expect((await storedCrossings(pass.no)).map((c) => c.id)).toEqual([records[2]?.id]);
  });
});

describe('text that names no one is refused', () => {
  it.each([
    ['an officer of spaces', { officer: '   ' }, 'officer: Must not be empty or only spaces.'],
    ['a device of spaces', { device: ' \u3000 ' }, 'device: Must not be empty or only spaces.'],
    [
      'an override reason of spaces',
      { verdict: 'EXPIRED', override: { reason: '    ' } },
      'override/reason: Give a reason; it must not be empty or only spaces.',
    ],
    [
      'an override reason too short once trimmed',
      { verdict: 'EXPIRED', override: { reason: '  ok  ' } },
      'override/reason: Give a reason of at least 3 characters.',
    ],
  ])('%s', async (_name, overrides, message) => {
    const pass = await newPass();
    const record = passCrossing(pass.qrText, overrides);

    const [result] = await post([record]);

    expect(result).toMatchObject({ id: record.id, result: 'rejected' });
    expect(result?.reason).toContain(message);
    expect(await storedCrossings(pass.no)).toEqual([]);
    expect(await claimOf(record.id as string)).toBeUndefined();
  });

  it('stores officer, device and reason without their surrounding space', async () => {
    const pass = await newPass();
    const record = passCrossing(pass.qrText, {
      officer: '  fc-taftan-1 ',
      device: ' taftan-phone-1',
      verdict: 'EXPIRED',
      override: { reason: ' Renewal seen on paper. ' },
    });
    await post([record]);
    const [stored] = await storedCrossings(pass.no);
    expect(stored).toMatchObject({
      officer: 'fc-taftan-1',
      device: 'taftan-phone-1',
      override: { reason: 'Renewal seen on paper.' },
    });
  });
});

describe('the Ministry feed', () => {
  it('carries the account that posted a crossing beside the officer text the device sent', async () => {
    const pass = await newPass();
    const record = passCrossing(pass.qrText, { officer: 'Havildar Karim', trustVersion: 0 });
    await post([record], taftanRelief);

    const crossing = (await feedToday()).find(
      (r): r is CrossingFeedRecord => r.type === 'crossing' && r.id === record.id,
    );

    expect(crossing).toMatchObject({
      officer: 'Havildar Karim',
      postedBy: { sub: 'fc-taftan-2', role: 'checkpoint-officer' },
      trustVersion: 0,
    });
  });
});
