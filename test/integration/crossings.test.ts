// Crossing records on DynamoDB Local through the local server: batches stored once, per-record results, every
// anomaly produced by a crossing sequence, and none by clean journeys (a property over random ones).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnicSeries, karachiDay, passCrossingAt } from '../support/data.ts';
import { vesselBody } from '../support/fleet.ts';
import { applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
let officer: string;
let supervisor: string;
let fisheries: string;
let taftan: string;
let mashkel: string;
let gwadar: string;
let rajay: string;
let jiwani: string;
let analyst: string;

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.login('fia-officer', 'officer-1');
  supervisor = await p.login('fia-supervisor', 'supervisor-1');
  fisheries = await p.login('fisheries-officer', 'fisheries-gwd-1', { port: 'GWD' });
  taftan = await p.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
  mashkel = await p.login('checkpoint-officer', 'fc-mashkel-1', { checkpoint: 'MSK' });
  gwadar = await p.login('checkpoint-officer', 'cg-gwadar-1', { checkpoint: 'GWD' });
  rajay = await p.login('checkpoint-officer', 'fc-rajay-1', { checkpoint: 'RJY' });
  jiwani = await p.login('checkpoint-officer', 'cg-jiwani-1', { checkpoint: 'JWN' });
  analyst = await p.login('moi-analyst', 'analyst-1');
});
afterAll(() => p.close());

const freshCnic = cnicSeries('55', 1);
const freshOwner = cnicSeries('56', 3);
const crewCnic = cnicSeries('57', 5);
let boats = 0;

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await p.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300)
    throw new Error(`${method} ${path} failed while preparing: ${res.status} ${res.text}`);
  return res.json;
}

/** A new pass for TFT and RJY: its number and the QR text a checkpoint scans. */
async function newPass(): Promise<{ no: string; qrText: string }> {
  const app = await call('POST', '/applications', officer, applicationFor(freshCnic()));
  const approved = await call('POST', `/applications/${app.id}/approve`, officer);
  const shown = await call('GET', `/passes/${approved.pass.number}`, officer);
  return { no: approved.pass.number, qrText: shown.qrText };
}

/** A new Gwadar boat with a crew limit of 12: its official number and certificate QR text. */
async function newBoat(): Promise<{ no: string; qrText: string }> {
  boats += 1;
  const owner = { name: 'Karim Bakhsh', fatherName: 'Dad Muhammad', cnic: freshOwner(), address: 'Gwadar' };
  const registered = await call(
    'POST',
    '/vessels',
    fisheries,
    vesselBody(karachiDay(), { name: `Crossing Star ${boats}`, owner }),
  );
  return { no: registered.officialNumber, qrText: registered.certificate.qrText };
}

/** Crossing times a second apart from now on, so every record of a test is later than the one before. */
let tick = 0;
const nextAt = () => new Date(Date.now() + ++tick * 1000).toISOString();

const passCrossing = (qrText: string, overrides: Record<string, unknown> = {}) =>
  passCrossingAt(qrText, nextAt(), overrides);

function boatCrossing(
  qrText: string,
  crew: { count: number; cnics: string[] },
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: ulid(),
    credential: qrText,
    kind: 'vr',
    checkpoint: 'GWD',
    direction: 'OUT',
    at: nextAt(),
    officer: 'cg-gwadar-1',
    device: 'gwadar-laptop-1',
    verdict: 'VALID',
    crew,
    ...overrides,
  };
}

async function post(records: unknown[], token = taftan) {
  return p.api('POST', '/crossings', { token, body: { records } });
}

/** The stored results of a batch that must be accepted as a whole. */
async function postOk(records: unknown[], token = taftan) {
  const res = await post(records, token);
  expect(res.status, res.text).toBe(200);
  return res.json.results as { id: string; result: string; anomalies?: string[]; reason?: string }[];
}

/** A credential's whole history, page after page. */
async function history(no: string, token = officer) {
  const items: Record<string, unknown>[] = [];
  let path: string | undefined = `/crossings?credential=${encodeURIComponent(no)}&limit=100`;
  while (path) {
    const res = await p.api('GET', path, { token });
    expect(res.status, res.text).toBe(200);
    items.push(...res.json.items);
    path = res.json.next;
  }
  return items;
}

async function anomalyItems(pk: string) {
  const out = await p.table.client.send(
    new QueryCommand({
      TableName: p.table.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :a)',
      ExpressionAttributeValues: { ':pk': pk, ':a': 'A#' },
    }),
  );
  return out.Items ?? [];
}

const crewOf = (count: number) => ({ count, cnics: Array.from({ length: count }, () => crewCnic()) });

describe('POST /crossings stores each record once', () => {
  it('stores a departure and a return, with the server verdict beside the device one, and no anomaly', async () => {
    const pass = await newPass();
    const out = passCrossing(pass.qrText);
    const back = passCrossing(pass.qrText, { direction: 'IN' });

    const results = await postOk([out, back]);

    expect(results).toEqual([
      { id: out.id, result: 'stored', anomalies: [] },
      { id: back.id, result: 'stored', anomalies: [] },
    ]);
    const items = await history(pass.no);
    expect(items.map((i) => [i.id, i.direction, i.deviceVerdict, i.serverVerdict])).toEqual([
      [out.id, 'OUT', 'VALID', 'VALID'],
      [back.id, 'IN', 'VALID', 'VALID'],
    ]);
    expect(items[0]).toMatchObject({
      credential: pass.no,
      credentialKind: 'bp',
      checkpoint: 'TFT',
      postedBy: { sub: 'fc-taftan-1', role: 'checkpoint-officer' },
      anomalies: [],
    });
  });

  it('answers a replayed batch with duplicate for each record and stores nothing twice', async () => {
    const pass = await newPass();
    const batch = [passCrossing(pass.qrText), passCrossing(pass.qrText, { direction: 'IN' })];
    await postOk(batch);

    const again = await postOk(batch);
    const itemsBefore = (await p.items()).length;
    const thrice = await postOk([batch[1], batch[0]]);

    expect(again.map((r) => r.result)).toEqual(['duplicate', 'duplicate']);
    expect(thrice.map((r) => r.result)).toEqual(['duplicate', 'duplicate']);
    expect((await p.items()).length).toBe(itemsBefore);
    expect(await history(pass.no)).toHaveLength(2);
  });

  it('counts the same id twice in one batch as one crossing', async () => {
    const pass = await newPass();
    const record = passCrossing(pass.qrText);

    const results = await postOk([record, record]);

    expect(results.map((r) => r.result)).toEqual(['stored', 'duplicate']);
    expect(await history(pass.no)).toHaveLength(1);
  });

  it('stores the good records of a batch and rejects the bad ones one by one, saying why', async () => {
    const pass = await newPass();
    const token = (await call('GET', `/passes/${pass.no}`, officer)).token as string;
    const [header, , signature] = token.split('.');
    const claims = Buffer.from(JSON.stringify({ sub: pass.no, n: 'Someone Else' })).toString('base64url');
    const forged = `${header}.${claims}.${signature}`;
    const good = passCrossing(pass.qrText);
    const batch = [
      good,
      passCrossing(pass.qrText, { direction: 'SIDEWAYS' }),
      passCrossing(pass.qrText, { checkpoint: 'RJY' }),
      passCrossing(forged),
      { ...passCrossing(pass.qrText), id: 'not-a-ulid' },
      passCrossing(pass.qrText, { crew: crewOf(2) }),
      passCrossing(pass.qrText, { at: new Date(Date.now() + 3 * 86400_000).toISOString() }),
      'not a record',
    ];

    const results = await postOk(batch);

    expect(results.map((r) => r.result)).toEqual([
      'stored',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(results[1]?.reason).toContain('direction: Must be OUT or IN.');
    expect(results[2]?.reason).toBe('Recorded at RJY; this account posts only for TFT.');
    expect(results[3]?.reason).toMatch(/^The credential does not verify \(INVALID_SIGNATURE\)/);
    expect(results[4]?.reason).toContain('id: Must be a ULID made on the device.');
    expect(results[5]?.reason).toContain('crew: Only a boat has a crew.');
    expect(results[6]?.reason).toContain('device clock is wrong');
    expect(results[7]?.reason).toMatch(/^Invalid record/);
    const items = await history(pass.no);
    expect(items.map((i) => i.id)).toEqual([good.id]);
  });

  it('files a boat under its official number, so its history spans its certificates', async () => {
    const boat = await newBoat();
    const crew = crewOf(3);
    const results = await postOk([boatCrossing(boat.qrText, crew)], gwadar);

    expect(results[0]).toMatchObject({ result: 'stored', anomalies: [] });
    const items = await history(`${boat.no}/1`, analyst);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ credential: `${boat.no}/1`, credentialKind: 'vr', crew });
  });
});

describe('POST /crossings refuses what is not a batch', () => {
  it.each([
    ['a bare array', [{}]],
    ['an object without records', { crossings: [] }],
    ['an empty batch', { records: [] }],
    ['records that are not a list', { records: 'many' }],
    ['a batch with another field', { records: [{}], device: 'x' }],
  ])('answers 400 to %s', async (_name, body) => {
    const res = await p.api('POST', '/crossings', { token: taftan, body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.type).toBe('urn:rahdari:problem:invalid-request');
  });

  it('answers 400 to more than 500 records, judging none of them', async () => {
    const pass = await newPass();
    const records = [passCrossing(pass.qrText), ...Array.from({ length: 500 }, () => ({}))];
    const res = await p.api('POST', '/crossings', { token: taftan, body: { records } });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ field: 'records', message: 'Send at most 500 records per request.' }]);
    expect(await history(pass.no)).toEqual([]);
  });

  it('answers 400 to text that is not JSON and 415 to a body that is not JSON at all', async () => {
    const bad = await p.api('POST', '/crossings', {
      token: taftan,
      rawBody: '{"records": [',
      headers: { 'content-type': 'application/json' },
    });
    const form = await p.api('POST', '/crossings', {
      token: taftan,
      rawBody: 'records=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toBe('The body is not valid JSON.');
    expect(form.status).toBe(415);
  });
});

describe('GET /crossings', () => {
  it('pages through a credential history in time order', async () => {
    const pass = await newPass();
    const records = [
      passCrossing(pass.qrText),
      passCrossing(pass.qrText, { direction: 'IN' }),
      passCrossing(pass.qrText),
    ];
    await postOk(records);

    const seen: string[] = [];
    let path: string | undefined = `/crossings?credential=${pass.no}&limit=2`;
    while (path) {
      const res = await p.api('GET', path, { token: analyst });
      expect(res.status).toBe(200);
      seen.push(...res.json.items.map((i: { id: string }) => i.id));
      path = res.json.next;
    }
    expect(seen).toEqual(records.map((r) => r.id));
  });

  it.each([
    ['no credential', '/crossings'],
    ['a number that is no credential', '/crossings?credential=XX-1'],
    ['a limit of 0', '/crossings?credential=BP-2026-000001&limit=0'],
    ['a cursor it never returned', '/crossings?credential=BP-2026-000001&cursor=e30'],
    ['an unknown parameter', '/crossings?credential=BP-2026-000001&checkpoint=TFT'],
  ])('answers 400 to %s', async (_name, path) => {
    const res = await p.api('GET', path, { token: officer });
    expect(res.status).toBe(400);
    expect(res.json.type).toBe('urn:rahdari:problem:invalid-request');
  });

  it('answers an empty list for a credential never seen', async () => {
    const res = await p.api('GET', '/crossings?credential=BP-2020-999999', { token: officer });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ credential: 'BP-2020-999999', items: [] });
  });
});

describe('anomalies derived on write', () => {
  it('two OUTs with no IN between', async () => {
    const pass = await newPass();
    const results = await postOk([passCrossing(pass.qrText), passCrossing(pass.qrText)]);
    expect(results.map((r) => r.anomalies)).toEqual([[], ['DOUBLE_OUT']]);
  });

  it('two OUTs posted in separate batches, and in reverse order inside one', async () => {
    const pass = await newPass();
    const first = passCrossing(pass.qrText);
    const second = passCrossing(pass.qrText);
    await postOk([first]);
    expect((await postOk([second]))[0]?.anomalies).toEqual(['DOUBLE_OUT']);

    const other = await newPass();
    const a = passCrossing(other.qrText);
    const b = passCrossing(other.qrText, { direction: 'IN' });
    const c = passCrossing(other.qrText);
    const results = await postOk([c, b, a]);
    expect(results.map((r) => r.anomalies)).toEqual([[], [], []]);
  });

  it('a crossing at a point not on the pass, let through on override', async () => {
    const pass = await newPass();
    const record = passCrossing(pass.qrText, {
      checkpoint: 'MSK',
      officer: 'fc-mashkel-1',
      verdict: 'NOT_VALID_HERE',
      override: { reason: 'Medical emergency, escorted.' },
    });
    const results = await postOk([record], mashkel);
    expect(results[0]?.anomalies?.sort()).toEqual(['OVERRIDE', 'POINT_NOT_ON_PASS']);
    const stored = await history(pass.no);
    expect(stored[0]).toMatchObject({ serverVerdict: 'NOT_VALID_HERE', deviceVerdict: 'NOT_VALID_HERE' });
  });

  it('a device verdict the server does not share, judged as of the crossing time', async () => {
    const pass = await newPass();
    const before = passCrossing(pass.qrText, { at: new Date(Date.now() - 60_000).toISOString() });
    await call('POST', `/passes/${pass.no}/revoke`, supervisor, { reason: 'Reported stolen.' });
    // The device had not heard of the revocation yet; the server had.
    const after = passCrossing(pass.qrText, {
      direction: 'IN',
      at: new Date(Date.now() + 60_000).toISOString(),
    });

    const results = await postOk([before, after]);

    expect(results.map((r) => r.anomalies)).toEqual([[], ['VERDICT_MISMATCH']]);
    const stored = await history(pass.no);
    expect(stored.map((c) => c.serverVerdict)).toEqual(['VALID', 'REVOKED']);
  });

  it('a boat with more crew than its certificate allows', async () => {
    const boat = await newBoat();
    const results = await postOk([boatCrossing(boat.qrText, crewOf(13))], gwadar);
    expect(results[0]?.anomalies).toEqual(['CREW_ABOVE_LIMIT']);
  });

  it('a boat returning with another crew than it left with', async () => {
    const boat = await newBoat();
    const crew = crewOf(3);
    const swapped = { count: 3, cnics: [crew.cnics[0] as string, crew.cnics[1] as string, crewCnic()] };
    const results = await postOk(
      [
        boatCrossing(boat.qrText, crew),
        boatCrossing(boat.qrText, swapped, { direction: 'IN' }),
        boatCrossing(boat.qrText, crew),
        boatCrossing(boat.qrText, crewOf(4), { direction: 'IN' }),
      ],
      gwadar,
    );
    expect(results.map((r) => r.anomalies)).toEqual([[], ['CREW_CHANGED'], [], ['CREW_CHANGED']]);
  });

  it('a crew CNIC on the watchlist, kept on the anomaly item for FIA', async () => {
    const boat = await newBoat();
    const crew = crewOf(2);
    const listed = crew.cnics[1] as string;
    await call('PUT', `/watchlist/${listed}`, supervisor, {
      reason: 'known smuggler',
      category: 'smuggling',
    });

    const results = await postOk([boatCrossing(boat.qrText, crew)], gwadar);

    expect(results[0]?.anomalies).toEqual(['CREW_ON_WATCHLIST']);
    const items = await anomalyItems(`VESSEL#${boat.no}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      type: 'CREW_ON_WATCHLIST',
      cnics: [listed],
      credential: `${boat.no}/1`,
    });
  });

  it('stores each anomaly as an item beside the crossing and on it', async () => {
    const pass = await newPass();
    await postOk([
      passCrossing(pass.qrText),
      passCrossing(pass.qrText, { override: { reason: 'Told to.' } }),
    ]);
    const items = await anomalyItems(`PASS#${pass.no}`);
    expect(items.map((i) => i.type).sort()).toEqual(['DOUBLE_OUT', 'OVERRIDE']);
    const stored = await history(pass.no);
    expect(((stored[1]?.anomalies ?? []) as { type: string }[]).map((a) => a.type).sort()).toEqual([
      'DOUBLE_OUT',
      'OVERRIDE',
    ]);
  });
});

describe('clean journeys', () => {
  it('produce no anomaly, however they are split into batches and ordered within them', async () => {
    const passes = await Promise.all([newPass(), newPass(), newPass()]);
    const vessels = await Promise.all([newBoat(), newBoat()]);
    const credentials = [
      ...passes.map((c) => ({ ...c, kind: 'bp' })),
      ...vessels.map((c) => ({ ...c, kind: 'vr' })),
    ];
    // Each post and the token of its officer; a pass lists TFT and RJY, a boat is checked at GWD and JWN.
    const posts = { TFT: taftan, RJY: rajay, GWD: gwadar, JWN: jiwani } as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(credentials.length - 1), fc.boolean()), { minLength: 1, maxLength: 24 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        async (steps, batchSize, crewCount, reverse) => {
          // Each credential alternates OUT, IN from where its stored history left off; a boat keeps its crew.
          const syncs: { post: keyof typeof posts; records: Record<string, unknown>[] }[] = [];
          const directions = new Map<number, 'OUT' | 'IN'>();
          const crews = new Map<number, { count: number; cnics: string[] }>();
          for (const [index, other] of steps) {
            const credential = credentials[index] as (typeof credentials)[number];
            const stored = directions.has(index) ? [] : await history(credential.no);
            const last = directions.get(index) ?? (stored.at(-1)?.direction as 'OUT' | 'IN' | undefined);
            const direction = last === 'OUT' ? 'IN' : 'OUT';
            directions.set(index, direction);
            let post: keyof typeof posts;
            let record: Record<string, unknown>;
            if (credential.kind === 'bp') {
              post = other ? 'RJY' : 'TFT';
              record = passCrossing(credential.qrText, { direction, checkpoint: post });
            } else {
              post = other ? 'JWN' : 'GWD';
              const crew =
                crews.get(index) ??
                (stored.at(-1)?.crew as { count: number; cnics: string[] } | undefined) ??
                crewOf(crewCount);
              crews.set(index, crew);
              record = boatCrossing(credential.qrText, crew, { direction, checkpoint: post });
            }
            const current = syncs.at(-1);
            if (current?.post === post && current.records.length < batchSize) current.records.push(record);
            else syncs.push({ post, records: [record] });
          }
          // A post syncs what it recorded before the journey goes on elsewhere: each batch in any order inside.
          for (const { post, records } of syncs) {
            const results = await postOk(reverse ? records.reverse() : records, posts[post]);
            for (const result of results) expect(result).toMatchObject({ result: 'stored', anomalies: [] });
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);
});
