// The reports route group through its Lambda handler: who may read, bad input, what each report queries and
// answers (JSON and CSV), CNICs for FIA only, and what a crossing's write adds for the reports.
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { createCrossingsHandler } from '../../../functions/api/crossings.ts';
import { createReportsHandler } from '../../../functions/api/reports.ts';
import type { HttpHandler } from '../../../functions/http/event.ts';
import { type PassClaims, signCredential } from '../../../shared/credential.ts';
import { toQrText } from '../../../shared/qr-text.ts';
import type { Role } from '../../../shared/roles.ts';
import { httpEvent, invoke, signedInAs, type TokenHolder } from './events.ts';
import { NOW, transactionCancelled } from './records.ts';
import { handlerTestbed, type UnitDependencies } from './testbed.ts';

let handler: HttpHandler;
let built: UnitDependencies;
const { dynamo } = await handlerTestbed((deps) => {
  built = deps;
  handler = createReportsHandler(deps);
});

const analyst = signedInAs('moi-analyst', 'analyst-1');
const officer = signedInAs('fia-officer', 'officer-1');

/** A GET as `as` (null: no token at all), with an Accept header when given. */
const get = (
  route: string,
  query: Record<string, string> = {},
  as: TokenHolder | null = analyst,
  accept?: string,
) =>
  invoke(
    handler,
    httpEvent(`GET ${route}`, {
      query,
      ...(as ? { as } : {}),
      ...(accept ? { headers: { accept } } : {}),
    }),
  );

const ROUTES: [string, Record<string, string>][] = [
  ['/reports/crossings', { from: '2026-03-01', to: '2026-03-10' }],
  ['/reports/anomalies', { from: '2026-03-01', to: '2026-03-10' }],
  ['/reports/overstays', {}],
  ['/reports/vessels-at-sea', {}],
];

describe('who may read the reports', () => {
  const allowed: Role[] = ['moi-analyst', 'fia-officer', 'fia-supervisor'];
  const refused: Role[] = ['applicant', 'fisheries-officer', 'checkpoint-officer'];

  for (const [route, query] of ROUTES) {
    it.each(allowed)(`answers ${route} to a %s`, async (role) => {
      const res = await get(route, query, signedInAs(role));
      expect(res.status, res.body).toBe(200);
    });

    it.each(refused)(`refuses ${route} to a %s with 403 and reads nothing`, async (role) => {
      const res = await get(route, query, signedInAs(role));
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
    });

    it(`refuses ${route} without a token with 401`, async () => {
      const res = await get(route, query, null);
      expect(res.status).toBe(401);
    });
  }
});

describe('bad query parameters', () => {
  it.each([
    ['a day that does not exist', { from: '2026-02-30', to: '2026-03-01' }, 'from'],
    ['a time instead of a day', { from: '2026-03-01T00:00:00Z', to: '2026-03-02' }, 'from'],
    ['an end before the start', { from: '2026-03-10', to: '2026-03-01' }, 'to'],
    ['more than 366 days', { from: '2026-01-01', to: '2027-01-02' }, 'to'],
    ['no start', { to: '2026-03-01' }, 'from'],
    ['an unknown checkpoint', { from: '2026-03-01', to: '2026-03-02', checkpoint: 'XXX' }, 'checkpoint'],
    ['an unknown parameter', { from: '2026-03-01', to: '2026-03-02', post: 'TFT' }, 'post'],
  ])('refuses %s on /reports/crossings, naming the field, and reads nothing', async (_, query, field) => {
    const res = await get('/reports/crossings', query);
    expect(res.status, res.body).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('takes a year of counts, the 366 days of a leap year included, and no day more', async () => {
    expect((await get('/reports/crossings', { from: '2028-01-01', to: '2028-12-31' })).status).toBe(200);
    expect((await get('/reports/crossings', { from: '2026-01-01', to: '2027-01-01' })).status).toBe(200);
    expect((await get('/reports/crossings', { from: '2026-01-01', to: '2027-01-02' })).status).toBe(400);
  });

  it('takes 92 days of anomalies and no day more', async () => {
    expect((await get('/reports/anomalies', { from: '2026-01-01', to: '2026-04-03' })).status).toBe(400);
    expect((await get('/reports/anomalies', { from: '2026-01-01', to: '2026-04-02' })).status).toBe(200);
  });

  it.each([
    ['an unknown anomaly type', { type: 'SMUGGLING' }, 'type'],
    ['a limit of 0', { limit: '0' }, 'limit'],
    ['a cursor that is not one', { cursor: 'not-a-cursor' }, 'cursor'],
    [
      'a cursor for a day outside the range',
      { cursor: Buffer.from(JSON.stringify({ day: '2025-01-01' })).toString('base64url') },
      'cursor',
    ],
  ])('refuses %s on /reports/anomalies, naming it', async (_, extra, field) => {
    const res = await get('/reports/anomalies', { from: '2026-03-01', to: '2026-03-10', ...extra });
    expect(res.status, res.body).toBe(400);
    expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });

  it('refuses an asOf that is no time', async () => {
    const res = await get('/reports/overstays', { asOf: 'tomorrow' });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].field).toBe('asOf');
  });
});

describe('GET /reports/crossings', () => {
  it('sums the shards of each day and checkpoint, reading one partition per month', async () => {
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'XCOUNT#2026-02' } }).resolves({
      Items: [{ date: '2026-02-28', checkpoint: 'TFT', out: 2, in: 1 }],
    });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'XCOUNT#2026-03' } }).resolves({
      Items: [
        { date: '2026-03-01', checkpoint: 'TFT', out: 3, in: 0 },
        { date: '2026-03-01', checkpoint: 'TFT', out: 1, in: 4 },
        { date: '2026-03-01', checkpoint: 'RJY', in: 2 },
      ],
    });
    const res = await get('/reports/crossings', { from: '2026-02-27', to: '2026-03-02' });
    expect(res.json.days).toEqual([
      { date: '2026-02-28', checkpoint: 'TFT', out: 2, in: 1 },
      { date: '2026-03-01', checkpoint: 'RJY', out: 0, in: 2 },
      { date: '2026-03-01', checkpoint: 'TFT', out: 4, in: 4 },
    ]);
    const partitions = dynamo
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk'])
      .sort();
    expect(partitions).toEqual(['XCOUNT#2026-02', 'XCOUNT#2026-03']);
  });

  it('answers a CSV file to Accept: text/csv, with the same rows', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ date: '2026-03-01', checkpoint: 'TFT', out: 3, in: 1 }] });
    const res = await get(
      '/reports/crossings',
      { from: '2026-03-01', to: '2026-03-01' },
      analyst,
      'text/csv',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="crossings-2026-03-01-2026-03-01.csv"',
    );
    expect(res.body).toBe('date,checkpoint,out,in\r\n2026-03-01,TFT,3,1\r\n');
  });
});

describe('GET /reports/anomalies', () => {
  const anomaly = {
    type: 'OVERRIDE',
    detail: '=HYPERLINK("http://x") let through',
    crossingId: '01JNZ8X2Q4R5S6T7V8W9X0Y1Z2',
    credential: 'BP-2026-000123',
    checkpoint: 'TFT',
    at: '2026-03-01T19:30:00.000Z',
    cnics: ['5410112345673'],
  };

  it('shows the watchlisted CNICs to FIA and not to the Ministry analyst', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [anomaly] });
    const fia = await get('/reports/anomalies', { from: '2026-03-02', to: '2026-03-02' }, officer);
    const moi = await get('/reports/anomalies', { from: '2026-03-02', to: '2026-03-02' }, analyst);
    expect(fia.json.items[0]).toMatchObject({ cnics: ['5410112345673'], date: '2026-03-02' });
    expect(moi.json.items[0]).not.toHaveProperty('cnics');
    expect(moi.body).not.toContain('5410112345673');
  });

  it('guards a cell a spreadsheet would run', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [anomaly] });
    const res = await get(
      '/reports/anomalies',
      { from: '2026-03-02', to: '2026-03-02' },
      analyst,
      'text/csv',
    );
    expect(res.body).toContain(`"'=HYPERLINK(""http://x"") let through"`);
  });

  it('filters by type in the query of each day, and links the next page when one is full', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [anomaly],
      LastEvaluatedKey: { GSI1PK: 'ANOMALY#2026-03-02', GSI1SK: 'k', PK: 'PASS#BP-2026-000123', SK: 'A#k' },
    });
    const res = await get('/reports/anomalies', {
      from: '2026-03-02',
      to: '2026-03-03',
      type: 'OVERRIDE',
      limit: '1',
    });
    const input = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      IndexName: 'GSI1',
      FilterExpression: '#t = :t',
      ExpressionAttributeValues: { ':pk': 'ANOMALY#2026-03-02', ':t': 'OVERRIDE' },
      // The filter applies after the read: a few hundred items read at once, not one round trip per item wanted.
      Limit: 500,
    });
    expect(res.json.next).toMatch(
      /^\/reports\/anomalies\?from=2026-03-02&to=2026-03-03&type=OVERRIDE&limit=1&cursor=/,
    );
  });
});

describe('GET /reports/overstays and /reports/vessels-at-sea', () => {
  const trip = {
    PK: 'PASS#BP-2026-000123',
    SK: 'TRIP',
    credential: 'BP-2026-000123',
    credentialKind: 'bp',
    checkpoint: 'TFT',
    at: '2026-01-05T08:00:00.000Z',
    crossingId: '01JNZ8X2Q4R5S6T7V8W9X0Y1Z2',
  };
  const pass = (exp: number) => ({
    PK: 'PASS#BP-2026-000123',
    SK: 'PASS',
    number: 'BP-2026-000123',
    name: 'Abdul Ghafoor Sanjrani',
    cnic: '5410112345673',
    exp,
  });

  it('lists an open trip whose pass expired, with the CNIC for FIA only', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [trip] });
    dynamo.on(GetCommand).resolves({ Item: pass(NOW.getTime() / 1000 - 60) });
    const fia = await get('/reports/overstays', {}, officer);
    expect(fia.json.items).toEqual([
      {
        pass: 'BP-2026-000123',
        name: 'Abdul Ghafoor Sanjrani',
        cnic: '5410112345673',
        checkpoint: 'TFT',
        outAt: trip.at,
        expiredAt: new Date(NOW.getTime() - 60_000).toISOString(),
      },
    ]);
    const moi = await get('/reports/overstays', {}, analyst);
    expect(moi.json.items[0]).not.toHaveProperty('cnic');
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'GSI1',
      ExpressionAttributeValues: { ':pk': 'TRIP#PASS' },
    });
  });

  it('leaves out a pass still valid, until an asOf past its expiry', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [trip] });
    dynamo.on(GetCommand).resolves({ Item: pass(NOW.getTime() / 1000 + 86400) });
    expect((await get('/reports/overstays', {}, officer)).json.items).toEqual([]);
    const later = await get('/reports/overstays', { asOf: '2026-03-12' }, officer);
    expect(later.json.items).toHaveLength(1);
    expect(later.json.asOf).toBe('2026-03-12T18:59:59.999Z');
  });

  it('lists the boats at sea with their crew', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        {
          PK: 'VESSEL#GWD-2026-00042',
          SK: 'TRIP',
          credential: 'GWD-2026-00042/1',
          credentialKind: 'vr',
          checkpoint: 'GWD',
          at: '2026-03-09T03:00:00.000Z',
          crossingId: '01JNZ8X2Q4R5S6T7V8W9X0Y1Z2',
          crewCount: 7,
        },
      ],
    });
    const res = await get('/reports/vessels-at-sea');
    expect(res.json.items).toEqual([
      {
        vessel: 'GWD-2026-00042',
        certificate: 'GWD-2026-00042/1',
        checkpoint: 'GWD',
        outAt: '2026-03-09T03:00:00.000Z',
        crew: 7,
      },
    ]);
    const csv = await get('/reports/vessels-at-sea', {}, analyst, 'text/csv');
    expect(csv.body).toBe(
      'vessel,certificate,checkpoint,outAt,crew\r\nGWD-2026-00042,GWD-2026-00042/1,GWD,2026-03-09T03:00:00.000Z,7\r\n',
    );
  });
});

describe('what a crossing write adds for the reports', () => {
  const taftan = signedInAs('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
  const NOW_S = NOW.getTime() / 1000;

  async function passQr(sub: string): Promise<string> {
    const claims: PassClaims = {
      sub,
      nbf: NOW_S - 86400,
      exp: NOW_S + 90 * 86400,
      n: 'Abdul Ghafoor Sanjrani',
      f: 'Haji Muhammad Hassan',
      c: 5410112345673,
      p: 'TFT RJY',
    };
    return toQrText(await signCredential(await built.signing.pass(), 'bp', claims));
  }

  const record = (credential: string, direction: 'OUT' | 'IN', minutesAgo: number) => ({
    id: ulid(),
    credential,
    kind: 'bp',
    checkpoint: 'TFT',
    direction,
    at: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
    officer: 'fc-taftan-1',
    device: 'taftan-phone-1',
    verdict: 'VALID',
  });

  const post = (records: unknown[]) =>
    invoke(createCrossingsHandler(built), httpEvent('POST /crossings', { as: taftan, body: { records } }));

  const updates = (n = 1) =>
    (dynamo.commandCalls(TransactWriteCommand)[n - 1]?.args[0].input.TransactItems ?? []).flatMap((item) =>
      item.Update ? [item.Update] : [],
    );

  it('adds the batch to its day counter once and moves the trip to the latest crossing only', async () => {
    const qr = await passQr('BP-2026-000123');
    const res = await post([record(qr, 'OUT', 120), record(qr, 'IN', 60), record(qr, 'OUT', 30)]);
    expect(res.status, res.body).toBe(200);
    const [counter, trip, ...rest] = updates();
    expect(rest).toEqual([]);
    expect(counter?.Key).toMatchObject({
      PK: 'XCOUNT#2026-03',
      SK: expect.stringMatching(/^2026-03-10#TFT#\d\d$/),
    });
    expect(counter?.UpdateExpression).toMatch(/^ADD /);
    expect(Object.values(counter?.ExpressionAttributeValues ?? {})).toEqual(expect.arrayContaining([2, 1]));
    expect(trip?.Key).toEqual({ PK: 'PASS#BP-2026-000123', SK: 'TRIP' });
    expect(trip?.ConditionExpression).toBe('attribute_not_exists(#last) OR #last < :last');
    expect(trip?.ExpressionAttributeValues).toMatchObject({
      ':last': expect.stringContaining(new Date(NOW.getTime() - 30 * 60_000).toISOString()),
    });
    expect(Object.values(trip?.ExpressionAttributeValues ?? {})).toContain('TRIP#PASS');
  });

  it('takes an IN off the open-trip index', async () => {
    const qr = await passQr('BP-2026-000124');
    await post([record(qr, 'IN', 10)]);
    const trip = updates().find((u) => u.Key?.SK === 'TRIP');
    expect(trip?.UpdateExpression).toMatch(/REMOVE #n\d+, #n\d+/);
    expect(Object.values(trip?.ExpressionAttributeNames ?? {})).toEqual(
      expect.arrayContaining(['GSI1PK', 'GSI1SK']),
    );
    expect(Object.values(trip?.ExpressionAttributeValues ?? {})).not.toContain('TRIP#PASS');
  });

  it('writes a crossing whose trip item holds a later one without moving the trip', async () => {
    const qr = await passQr('BP-2026-000125');
    // The crossing put, the claim of its id, its counter, then its trip update, which finds a later crossing stored.
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCancelled(['None', 'None', 'None', 'ConditionalCheckFailed']))
      .resolves({});
    const res = await post([record(qr, 'OUT', 300)]);
    expect(res.json.results[0].result).toBe('stored');
    const second = updates(2);
    expect(second.map((u) => u.Key?.SK)).toEqual([expect.stringMatching(/^2026-03-10#TFT#/)]);
  });

  it('counts a replay nowhere: the retried transaction carries neither it nor its counter share', async () => {
    const qr = await passQr('BP-2026-000126');
    const replay = record(qr, 'OUT', 50);
    const fresh = record(qr, 'IN', 40);
    dynamo
      .on(TransactWriteCommand)
      // The replay's put and claim, the fresh crossing's put and claim, the counter, the trip.
      .rejectsOnce(transactionCancelled(['ConditionalCheckFailed', 'None', 'None', 'None', 'None', 'None']))
      .resolves({});
    const res = await post([replay, fresh]);
    expect(res.json.results.map((r: { result: string }) => r.result)).toEqual(['duplicate', 'stored']);
    const [counter] = updates(2);
    const values = Object.values(counter?.ExpressionAttributeValues ?? {});
    // One IN and no OUT: the ADD carries 0 and 1.
    expect(values.filter((v) => typeof v === 'number').sort()).toEqual([0, 1]);
  });
});
