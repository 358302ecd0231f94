// The crossings route group through its Lambda handler: who may post and read, bad input, the body limit, replays
// and what is written for a crossing with and without anomalies.
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { CROSSINGS_MAX_BODY_BYTES, createCrossingsHandler } from '../../../functions/api/crossings.ts';
import type { HttpHandler } from '../../../functions/http/event.ts';
import { claimFor } from '../../../functions/services/crossing-content.ts';
import { type PassClaims, signCredential, type VesselClaims } from '../../../shared/credential.ts';
import { toQrText } from '../../../shared/qr-text.ts';
import type { Role } from '../../../shared/roles.ts';
import { httpEvent, invoke, signedInAs, type TokenHolder } from './events.ts';
import { NOW, transactionCancelled } from './records.ts';
import { handlerTestbed, type UnitDependencies, writesOf } from './testbed.ts';

let handler: HttpHandler;
let built: UnitDependencies;
const { dynamo } = await handlerTestbed((deps) => {
  built = deps;
  handler = createCrossingsHandler(deps);
});

const taftan = signedInAs('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
const gwadar = signedInAs('checkpoint-officer', 'cg-gwadar-1', { checkpoint: 'GWD' });
const NOW_S = NOW.getTime() / 1000;

async function passQr(sub = 'BP-2026-000123'): Promise<string> {
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

async function boatQr(sub = 'GWD-2026-00042/1'): Promise<string> {
  const claims: VesselClaims = {
    sub,
    exp: NOW_S + 365 * 86400,
    n: 'Al-Noor 786',
    o: 'Abdul Ghafoor Sanjrani',
    c: 5210112345673,
    h: 'GWD',
    m: 12,
  };
  return toQrText(await signCredential(await built.signing.pass(), 'vr', claims));
}

const record = (credential: string, overrides: Record<string, unknown> = {}) => ({
  id: ulid(),
  credential,
  kind: 'bp',
  checkpoint: 'TFT',
  direction: 'OUT',
  at: new Date(NOW.getTime() - 3600_000).toISOString(),
  officer: 'fc-taftan-1',
  device: 'taftan-phone-1',
  verdict: 'VALID',
  ...overrides,
});

/** Every item of every TransactWriteItems sent, in order. */
const transactionItems = () =>
  dynamo.commandCalls(TransactWriteCommand).flatMap((c) => c.args[0].input.TransactItems ?? []);

const post = (records: unknown, as: TokenHolder | undefined = taftan) =>
  invoke(handler, httpEvent('POST /crossings', { ...(as ? { as } : {}), body: { records } }));

const ROLES: Role[] = [
  'applicant',
  'fia-officer',
  'fia-supervisor',
  'fisheries-officer',
  'checkpoint-officer',
  'moi-analyst',
];

describe('who may call the crossings routes', () => {
  it.each(ROLES)('POST /crossings answers a %s as its role allows', async (role) => {
    const as = signedInAs(role, `${role}-1`, role === 'checkpoint-officer' ? { checkpoint: 'TFT' } : {});
    const reply = await post([record(await passQr())], as);
    expect(reply.status).toBe(role === 'checkpoint-officer' ? 200 : 403);
  });

  it.each(ROLES)('GET /crossings answers a %s as its role allows', async (role) => {
    const reply = await invoke(
      handler,
      httpEvent('GET /crossings', { as: signedInAs(role), query: { credential: 'BP-2026-000123' } }),
    );
    expect(reply.status).toBe(['fia-officer', 'fia-supervisor', 'moi-analyst'].includes(role) ? 200 : 403);
  });

  it('answers 401 to both routes without a token', async () => {
    const body = { records: [record(await passQr())] };
    expect((await invoke(handler, httpEvent('POST /crossings', { body }))).status).toBe(401);
    expect(
      (await invoke(handler, httpEvent('GET /crossings', { query: { credential: 'BP-2026-000123' } })))
        .status,
    ).toBe(401);
  });

  it('refuses a checkpoint officer whose account names no checkpoint, writing nothing', async () => {
    const reply = await post([record(await passQr())], signedInAs('checkpoint-officer', 'fc-nowhere-1'));
    expect(reply.status).toBe(403);
    expect(reply.json.detail).toBe('Your account is bound to no checkpoint, so it may record no crossing.');
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it("rejects a record of another checkpoint and stores the officer's own", async () => {
    const qr = await passQr();
    const reply = await post([record(qr, { checkpoint: 'RJY' }), record(qr)]);
    expect(reply.json.results.map((r: { result: string }) => r.result)).toEqual(['rejected', 'stored']);
    // The officer's own crossing and the claim of its id.
    expect(writesOf(transactionItems()).filter((w) => w.op === 'Put')).toHaveLength(2);
  });
});

describe('POST /crossings bad input', () => {
  it('answers 413 to a body over the limit, before reading it', async () => {
    const reply = await post(['x'.repeat(CROSSINGS_MAX_BODY_BYTES)]);
    expect(reply.status).toBe(413);
    expect(reply.json.detail).toBe(`The body must be at most ${CROSSINGS_MAX_BODY_BYTES} bytes.`);
  });

  it('takes a realistic batch of 500 boat crossings with full crews within the limit', async () => {
    const qr = await boatQr();
    const crew = {
      count: 12,
      cnics: Array.from({ length: 12 }, (_, i) => `42101${String(1000000 + i)}3`),
    };
    const records = Array.from({ length: 500 }, (_, i) =>
      record(qr, {
        kind: 'vr',
        checkpoint: 'GWD',
        officer: 'cg-gwadar-officer-01',
        device: 'gwadar-phone-0001',
        direction: i % 2 === 0 ? 'OUT' : 'IN',
        at: new Date(NOW.getTime() - (500 - i) * 60_000).toISOString(),
        crew,
      }),
    );
    const bytes = Buffer.byteLength(JSON.stringify({ records }));
    dynamo.on(GetCommand).resolves({});

    const reply = await post(records, gwadar);

    expect(bytes).toBeLessThan(CROSSINGS_MAX_BODY_BYTES);
    expect(reply.status).toBe(200);
    expect(reply.json.results).toHaveLength(500);
  });

  it.each([
    ['a body that is not JSON', '{"records":'],
    ['a list instead of a batch', '[]'],
    ['no records', '{"records":[]}'],
  ])('answers 400 to %s', async (_name, body) => {
    const reply = await invoke(handler, httpEvent('POST /crossings', { as: taftan, body }));
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
  });

  it('answers 415 to a body that is not JSON by type', async () => {
    const reply = await invoke(
      handler,
      httpEvent('POST /crossings', {
        as: taftan,
        body: '{"records":[]}',
        headers: { 'content-type': 'text/plain' },
      }),
    );
    expect(reply.status).toBe(415);
  });

  it('rejects a record whose credential does not verify, naming the verdict', async () => {
    const qr = await passQr();
    const reply = await post([record(`${qr.slice(0, -4)}0000`)]);
    expect(reply.json.results[0]).toMatchObject({ result: 'rejected' });
    expect(reply.json.results[0].reason).toMatch(
      /^The credential does not verify \((MALFORMED|INVALID_SIGNATURE)\)/,
    );
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});

describe('what a crossing writes', () => {
  it('a clean crossing is one conditional put under the pass, indexed by checkpoint and Pakistan day', async () => {
    const crossing = record(await passQr(), { direction: 'IN' });
    await post([crossing]);

    const [put] = transactionItems();
    expect(put?.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
    expect(put?.Put?.Item).toMatchObject({
      PK: 'PASS#BP-2026-000123',
      SK: `X#${crossing.at}#${crossing.id}`,
      GSI3PK: 'CP#TFT#2026-03-10',
      kind: 'CROSSING',
      serverVerdict: 'VALID',
      deviceVerdict: 'VALID',
      anomalies: [],
    });
    expect(JSON.stringify(put?.Put?.Item)).not.toContain('rhd:/');
  });

  it('a crossing with anomalies is written with each anomaly item, all conditioned', async () => {
    const crossing = record(await passQr(), { override: { reason: 'Funeral across the border.' } });
    await post([crossing]);

    expect(writesOf(transactionItems())).toEqual([
      { op: 'Put', key: `PASS#BP-2026-000123 X#${crossing.at}#${crossing.id}`, conditioned: true },
      // The claim of the id: whatever a resend changes, the id is stored once.
      { op: 'Put', key: `CROSSING#${crossing.id} CROSSING`, conditioned: true },
      { op: 'Put', key: `PASS#BP-2026-000123 A#${crossing.at}#${crossing.id}#OVERRIDE`, conditioned: true },
      // The day's counter at the post and the pass's trip, in the same transaction.
      { op: 'Update', key: 'XCOUNT#2026-03 2026-03-10#TFT#00', conditioned: false },
      { op: 'Update', key: 'PASS#BP-2026-000123 TRIP', conditioned: true },
    ]);
  });

  it('writes a batch a hundred items per transaction, never splitting a crossing from its anomalies', async () => {
    const qr = await passQr();
    // 99 clean INs (a crossing and its claim each), then an OUT on override (three items). A transaction also
    // carries the day's counter and the pass's trip: 49 INs fill each of the first two; the last IN and the OUT
    // with its claim and anomaly go into the next whole.
    const records = [
      ...Array.from({ length: 99 }, (_, i) =>
        record(qr, { direction: 'IN', at: new Date(NOW.getTime() - (200 - i) * 60_000).toISOString() }),
      ),
      record(qr, { override: { reason: 'Told to.' } }),
    ];

    await post(records);

    const sizes = dynamo.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.length);
    expect(sizes).toEqual([100, 100, 7]);
  });

  it('answers the crossings a transaction finds already stored as duplicates and writes the others again', async () => {
    const qr = await passQr();
    const first = record(qr, { direction: 'IN' });
    const second = record(qr, { direction: 'IN', at: new Date(NOW.getTime() - 60_000).toISOString() });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCancelled(['ConditionalCheckFailed', 'None']))
      .resolves({});

    const reply = await post([first, second]);

    expect(reply.json.results).toEqual([
      { id: first.id, result: 'duplicate' },
      { id: second.id, result: 'stored', anomalies: [] },
    ]);
    const retried = dynamo.commandCalls(TransactWriteCommand)[1]?.args[0].input.TransactItems ?? [];
    expect(writesOf(retried)).toEqual([
      { op: 'Put', key: `PASS#BP-2026-000123 X#${second.at}#${second.id}`, conditioned: true },
      { op: 'Put', key: `CROSSING#${second.id} CROSSING`, conditioned: true },
      { op: 'Update', key: 'XCOUNT#2026-03 2026-03-10#TFT#00', conditioned: false },
      { op: 'Update', key: 'PASS#BP-2026-000123 TRIP', conditioned: true },
    ]);
  });

  it('reads the revocation list once, then only the head while it stays at the same version', async () => {
    dynamo.on(GetCommand, { Key: { PK: 'REVOCATIONS', SK: 'HEAD' } }).resolves({ Item: { version: 1 } });
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'REVOCATIONS' } }).resolves({
      Items: [{ SK: 'V#000000000001', number: 'BP-2026-000123', at: NOW.toISOString() }],
    });
    const qr = await passQr();

    const before = await post([record(qr, { direction: 'IN' })]);
    const after = await post([
      record(qr, { direction: 'IN', at: new Date(NOW.getTime() + 60_000).toISOString() }),
    ]);

    const revocationQueries = dynamo
      .commandCalls(QueryCommand)
      .filter((c) => c.args[0].input.ExpressionAttributeValues?.[':pk'] === 'REVOCATIONS');
    expect(revocationQueries).toHaveLength(1);
    expect(before.json.results[0]).toMatchObject({ result: 'stored', anomalies: [] });
    expect(after.json.results[0]).toMatchObject({ result: 'stored', anomalies: ['VERDICT_MISMATCH'] });
  });
});

describe('a resend of a claimed id', () => {
  /** The claim item a stored crossing of `sent` left, as the table holds it. */
  const claimItem = (sent: ReturnType<typeof record>) => ({
    PK: `CROSSING#${sent.id}`,
    SK: 'CROSSING',
    kind: 'CROSSING_CLAIM',
    ...claimFor({
      id: sent.id,
      credential: 'BP-2026-000123',
      credentialPk: 'PASS#BP-2026-000123',
      credentialKind: 'bp',
      checkpoint: sent.checkpoint,
      direction: sent.direction as 'OUT' | 'IN',
      at: sent.at,
      officer: sent.officer,
      device: sent.device,
      deviceVerdict: 'VALID',
    }).claim,
  });

  it('answers the very content as a duplicate, judging and writing nothing', async () => {
    const sent = record(await passQr());
    dynamo.on(BatchGetCommand).resolves({ Responses: { [built.store.table.name]: [claimItem(sent)] } });

    const reply = await post([sent]);

    expect(reply.json.results).toEqual([{ id: sent.id, result: 'duplicate' }]);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('refuses other content and files one conflict anomaly with its feed entry, both conditioned', async () => {
    const sent = record(await passQr());
    dynamo.on(BatchGetCommand).resolves({ Responses: { [built.store.table.name]: [claimItem(sent)] } });
    const moved = { ...sent, at: new Date(Date.parse(sent.at) + 1).toISOString() };

    const reply = await post([moved, moved]);

    expect(reply.json.results.map((r: { result: string }) => r.result)).toEqual(['rejected', 'rejected']);
    const calls = dynamo.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const written = writesOf(calls[0]?.args[0].input.TransactItems ?? []);
    expect(written).toEqual([
      {
        op: 'Put',
        key: expect.stringMatching(
          new RegExp(`^PASS#BP-2026-000123 A#${sent.at}#${sent.id}#CONFLICTING_RESEND#[\\w-]{16}$`),
        ),
        conditioned: true,
      },
      {
        op: 'Put',
        key: expect.stringMatching(
          new RegExp(`^FEED#anomaly#${sent.id}:CONFLICTING_RESEND:[\\w-]{16} FEED$`),
        ),
        conditioned: true,
      },
    ]);
    expect(built.metrics.count('CrossingsConflicting')).toBe(2);
  });
});
