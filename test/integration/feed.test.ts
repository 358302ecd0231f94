// The Ministry feed end to end on DynamoDB Local: passes, a revocation, a boat and crossings posted through the
// API reach a loopback receiver through an outage, 500s and late answers, each record once, each batch verified
// with the published feed JWKS (and one with PyJWT).
import { execFileSync } from 'node:child_process';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnicSeries, karachiDay } from '../support/data.ts';
import { type FiaReceiver, startFiaReceiver } from '../support/fia-receiver.ts';
import { vesselBody } from '../support/fleet.ts';
import { applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

const PYTHON = '/usr/bin/python3';

const SECRET = 'loopback-receiver-secret';
const REQUEST_TIMEOUT_MS = 400;

let p: TestPlatform;
let receiver: FiaReceiver;
let officer: string;
let supervisor: string;
let fisheries: string;
let taftan: string;
const freshCnic = cnicSeries('61', 1);
const ownerCnic = cnicSeries('62', 3);

beforeAll(async () => {
  // The receiver verifies with the JWKS the API publishes, read when the first batch arrives.
  let jwksUrl = '';
  receiver = await startFiaReceiver(() => jwksUrl, SECRET);
  await receiver.setMode({ kind: 'down' });
  p = await testPlatform({
    feed: {
      endpoint: receiver.url,
      credential: SECRET,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      policy: { baseDelayMs: 40, maxDelayMs: 300, leaseMs: 2_000, maxAttempts: 1_000, batchEntries: 9 },
      intervalMs: 150,
    },
  });
  jwksUrl = `${p.url}/feed/jwks.json`;
  officer = await p.login('fia-officer', 'officer-1');
  supervisor = await p.login('fia-supervisor', 'supervisor-1');
  fisheries = await p.login('fisheries-officer', 'fisheries-gwd-1', { port: 'GWD' });
  taftan = await p.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
});
afterAll(async () => {
  await p?.close();
  await receiver?.close();
});

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await p.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300)
    throw new Error(`${method} ${path} failed while preparing: ${res.status} ${res.text}`);
  return res.json;
}

async function newPass(): Promise<{ no: string; qrText: string }> {
  const app = await call('POST', '/applications', officer, applicationFor(freshCnic()));
  const approved = await call('POST', `/applications/${app.id}/approve`, officer);
  const shown = await call('GET', `/passes/${approved.pass.number}`, officer);
  return { no: approved.pass.number, qrText: shown.qrText };
}

let tick = 0;
const nextAt = () => new Date(Date.now() - 3600_000 + ++tick * 1000).toISOString();

function crossing(qrText: string, direction: 'OUT' | 'IN') {
  return {
    id: ulid(),
    credential: qrText,
    kind: 'bp',
    checkpoint: 'TFT',
    direction,
    at: nextAt(),
    officer: 'fc-taftan-1',
    device: 'taftan-phone-1',
    verdict: 'VALID',
  };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function status() {
  const res = await p.api('GET', '/feed/status', { token: supervisor });
  expect(res.status).toBe(200);
  return res.json;
}

describe('delivery to the Ministry through an outage', () => {
  const expected = new Set<string>();
  const crossingIds: string[] = [];

  it('queues every stored change and delivers each record exactly once once the receiver recovers', async () => {
    // Prepare: three passes, one revoked, a boat, and 40 crossings (two OUTs in a row give DOUBLE_OUT anomalies),
    // all while the receiver refuses connections.
    const passes = [await newPass(), await newPass(), await newPass()];
    for (const pass of passes) expected.add(`${pass.no}:issued`);
    const revoked = passes[2] as { no: string };
    await call('POST', `/passes/${revoked.no}/revoke`, supervisor, {
      reason: 'Holder reported the card stolen.',
    });
    expected.add(`${revoked.no}:revoked`);
    const owner = { name: 'Karim Bakhsh', fatherName: 'Dad Muhammad', cnic: ownerCnic(), address: 'Gwadar' };
    const boat = await call(
      'POST',
      '/vessels',
      fisheries,
      vesselBody(karachiDay(), { name: 'Feed Star', owner }),
    );
    const records = [];
    for (let i = 0; i < 20; i++) {
      for (const pass of passes.slice(0, 2))
        records.push(crossing(pass.qrText, i % 3 === 2 ? 'OUT' : i % 2 ? 'IN' : 'OUT'));
    }
    const posted = await call('POST', '/crossings', taftan, { records });
    expect(posted.results.filter((r: { result: string }) => r.result !== 'stored')).toEqual([]);
    for (const r of records) {
      expected.add(r.id);
      crossingIds.push(r.id);
    }
    // A replay is answered as a duplicate and queues nothing more.
    const replay = await call('POST', '/crossings', taftan, { records: records.slice(0, 5) });
    expect(replay.results.every((r: { result: string }) => r.result === 'duplicate')).toBe(true);

    await until(
      'a failed attempt while the receiver is down',
      () => (p.platform.feed?.metrics.count('FeedBatchFailed') ?? 0) > 0,
    );
    const down = await status();
    expect(down.pending + down.openBatches).toBeGreaterThan(0);
    expect(down.oldestUndeliveredAgeSeconds).toBeGreaterThanOrEqual(0);

    // Act: 500 at random, then answers later than the deliverer waits, then well.
    await receiver.setMode({ kind: 'flaky', failShare: 0.5, seed: 12 });
    await until('some 500s', () => receiver.posts.filter((x) => x.answered === 500).length >= 2);
    await receiver.setMode({ kind: 'slow', delayMs: REQUEST_TIMEOUT_MS * 3 });
    await until(
      'a late answer',
      () => receiver.posts.length > 0 && receiver.posts.some((x) => x.answered === 'none'),
    );
    await new Promise((r) => setTimeout(r, REQUEST_TIMEOUT_MS * 4));
    await receiver.setMode({ kind: 'up' });
    await until(
      'the feed to drain',
      async () => {
        const s = await status();
        return s.pending === 0 && s.openBatches === 0 && s.deadBatches.length === 0;
      },
      60_000,
    );

    // Assert: every record arrived once by id, in batches whose delivery ids were dropped when repeated.
    const ids = receiver.deliveries.flatMap((d) => d.ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of expected) expect(ids).toContain(id);
    const vesselChanges = receiver.deliveries
      .flatMap((d) => d.records)
      .filter((r) => r.type === 'vessel-change');
    expect(vesselChanges.map((r) => r.officialNumber)).toContain(boat.officialNumber);
    const crossingsIn = receiver.deliveries.flatMap((d) => d.records).filter((r) => r.type === 'crossing');
    expect(crossingsIn.map((r) => r.id).sort()).toEqual([...crossingIds].sort());
    // Each crossing's anomalies arrive as their own records.
    const anomalyIds = new Set(
      receiver.deliveries
        .flatMap((d) => d.records)
        .filter((r) => r.type === 'anomaly')
        .map((r) => r.id),
    );
    const announced = crossingsIn.flatMap((r) => (r.anomalies as string[]).map((kind) => `${r.id}:${kind}`));
    expect(announced.length).toBeGreaterThan(0);
    expect([...anomalyIds].sort()).toEqual(announced.sort());
    // A pass crossing carries its holder's CNIC for FIA registration.
    expect(crossingsIn[0]?.cnic).toMatch(/^\d{13}$/);
    expect(receiver.rejected).toEqual([]);
    expect(receiver.repeats).toBeGreaterThan(0);
  }, 120_000);

  it('a batch verifies in PyJWT with the published feed JWKS', async () => {
    const jwks = (await p.api('GET', '/feed/jwks.json')).text;
    const batch = receiver.deliveries[0];
    expect(batch).toBeDefined();
    const script = `
import json, sys, jwt
token, jwks = sys.argv[1], json.loads(sys.argv[2])
header = jwt.get_unverified_header(token)
key = jwt.PyJWK([k for k in jwks["keys"] if k["kid"] == header["kid"]][0]).key
decoded = jwt.api_jws.PyJWS().decode_complete(token, key, algorithms=["ES256"])
lines = [json.loads(l) for l in decoded["payload"].decode().splitlines() if l]
print(json.dumps({"typ": header["typ"], "delivery": header["delivery"], "ids": [l["id"] for l in lines]}))
`;
    const out = JSON.parse(
      execFileSync(PYTHON, ['-c', script, batch?.jws ?? '', jwks], { encoding: 'utf8' }),
    );
    expect(out).toEqual({ typ: 'rahdari-feed+jws', delivery: batch?.deliveryId, ids: batch?.ids });
  });
});
