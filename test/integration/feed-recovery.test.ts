// The feed when things go wrong for good: batches dead-lettered after the retry limit and redriven through the
// route and the CLI, and a deliverer abandoned mid-delivery whose successor resends the same batch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CliIo, main } from '../../cli/main.ts';
import { type Platform, startPlatform } from '../../local/platform.ts';
import { cnicSeries } from '../support/data.ts';
import { testTable } from '../support/dynamodb.ts';
import { type FiaReceiver, startFiaReceiver } from '../support/fia-receiver.ts';
import { apiClient, applicationFor } from '../support/platform.ts';

const freshCnic = cnicSeries('63', 1);
const dirs: string[] = [];
const open: { close(): Promise<void> }[] = [];

afterAll(async () => {
  for (const thing of open.reverse()) await thing.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function stack(
  tableName: string,
  keyDir: string,
  receiver: FiaReceiver,
  feed: { requestTimeoutMs: number; policy: Record<string, number> },
) {
  const platform = await startPlatform({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tableName,
    keyDir,
    port: 0,
    feed: {
      endpoint: receiver.url,
      outboxDir: join(keyDir, '..', 'outbox'),
      requestTimeoutMs: feed.requestTimeoutMs,
      policy: feed.policy,
      intervalMs: 100,
    },
  });
  const api = apiClient(platform.url);
  const login = async (role: string, sub: string, bound: Record<string, string> = {}) =>
    (await api('POST', '/dev/login', { body: { role, sub, ...bound } })).json.token as string;
  return { platform, api, login };
}

type Stack = Awaited<ReturnType<typeof stack>>;

/** `count` crossings of one fresh pass at Taftan, stored through the API: their ids. */
async function crossingsStored(s: Stack, count: number): Promise<string[]> {
  const officer = await s.login('fia-officer', 'officer-1');
  const taftan = await s.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
  const app = await s.api('POST', '/applications', { token: officer, body: applicationFor(freshCnic()) });
  const approved = await s.api('POST', `/applications/${app.json.id}/approve`, { token: officer });
  const shown = await s.api('GET', `/passes/${approved.json.pass.number}`, { token: officer });
  const start = Date.now() - 3600_000;
  const records = Array.from({ length: count }, (_, i) => ({
    id: ulid(),
    credential: shown.json.qrText,
    kind: 'bp',
    checkpoint: 'TFT',
    direction: i % 2 ? 'IN' : 'OUT',
    at: new Date(start + i * 1000).toISOString(),
    officer: 'fc-taftan-1',
    device: 'taftan-phone-1',
    verdict: 'VALID',
  }));
  const posted = await s.api('POST', '/crossings', { token: taftan, body: { records } });
  expect(posted.status).toBe(200);
  return records.map((r) => r.id);
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function cliIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    readStdin: async () => '',
    now: () => new Date(),
  };
}

function tempKeys(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rahdari-feed-'));
  dirs.push(dir);
  return join(dir, 'keys');
}

describe('dead letters', () => {
  let s: Stack;
  let receiver: FiaReceiver;
  let tableName: string;
  let supervisor: string;
  let ids: string[];

  beforeAll(async () => {
    let jwksUrl = '';
    receiver = await startFiaReceiver(() => jwksUrl);
    open.push(receiver);
    await receiver.setMode({ kind: 'flaky', failShare: 1, seed: 1 });
    tableName = (await testTable()).tableName;
    s = await stack(tableName, tempKeys(), receiver, {
      requestTimeoutMs: 2_000,
      policy: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 40, batchEntries: 7 },
    });
    open.push(s.platform);
    jwksUrl = `${s.platform.url}/feed/jwks.json`;
    supervisor = await s.login('fia-supervisor', 'supervisor-1');
    ids = await crossingsStored(s, 20);
  }, 60_000);

  it('dead-letters every batch after the retry limit, with its last error, a metric and the status figures', async () => {
    await until('every entry in a dead batch', async () => {
      const status = await s.api('GET', '/feed/status', { token: supervisor });
      return status.json.pending === 0 && status.json.openBatches === 0;
    });
    const status = (await s.api('GET', '/feed/status', { token: supervisor })).json;
    // 20 crossings and the pass issued, at most 7 entries a batch (how many batches depends on when the
    // deliverer woke), each batch tried 3 times.
    const batches = status.deadBatches.length;
    expect(batches).toBeGreaterThanOrEqual(3);
    expect(status.deadBatches.reduce((sum: number, d: { records: number }) => sum + d.records, 0)).toBe(21);
    for (const dead of status.deadBatches) {
      expect(dead.attempts).toBe(3);
      expect(dead.lastError).toBe('the receiver answered HTTP 500');
    }
    expect(status.oldestUndeliveredAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(s.platform.feed?.metrics.count('FeedBatchDeadLettered')).toBe(batches);
    expect(receiver.posts.filter((p) => p.answered === 500)).toHaveLength(3 * batches);
    expect(receiver.deliveries).toEqual([]);
    const cli = cliIo();
    const endpoint = inject('dynamodbEndpoint');
    expect(await main(['feed', 'status', '--table', tableName, '--endpoint', endpoint, '--json'], cli)).toBe(
      0,
    );
    expect(JSON.parse(cli.out[0] ?? '{}').deadBatches).toHaveLength(batches);
  });

  it('refuses to redrive a batch that is not dead, on the route and the CLI', async () => {
    const unknown = ulid();
    expect((await s.api('POST', `/feed/dead/${unknown}/redrive`, { token: supervisor })).status).toBe(404);
    expect((await s.api('POST', '/feed/dead/not-a-ulid/redrive', { token: supervisor })).status).toBe(404);
    const endpoint = inject('dynamodbEndpoint');
    const cli = cliIo();
    expect(await main(['feed', 'redrive', unknown, '--table', tableName, '--endpoint', endpoint], cli)).toBe(
      1,
    );
    expect(cli.err).toHaveLength(1);
    const bad = cliIo();
    expect(await main(['feed', 'redrive', 'BP-2026-000001', '--table', tableName], bad)).toBe(2);
    const noTable = cliIo();
    expect(await main(['feed', 'status', '--table', 'no-such-table', '--endpoint', endpoint], noTable)).toBe(
      2,
    );
    expect(noTable.err[0]).toMatch(/^rahdari: cannot read the feed from table no-such-table: /);
  });

  it('delivers everything once redriven through the route and the CLI, under the same delivery ids', async () => {
    await receiver.setMode({ kind: 'up' });
    const before = (await s.api('GET', '/feed/status', { token: supervisor })).json;
    const [first, ...rest] = before.deadBatches.map((d: { deliveryId: string }) => d.deliveryId) as string[];
    const routed = await s.api('POST', `/feed/dead/${first}/redrive`, { token: supervisor });
    expect(routed.status).toBe(202);
    await until('the redriven batch', () => receiver.deliveries.some((d) => d.deliveryId === first));
    const cli = cliIo();
    const endpoint = inject('dynamodbEndpoint');
    expect(await main(['feed', 'redrive', '--table', tableName, '--endpoint', endpoint], cli)).toBe(0);
    expect(cli.out).toHaveLength(rest.length);
    await until('the rest', async () => {
      const status = (await s.api('GET', '/feed/status', { token: supervisor })).json;
      return status.deadBatches.length === 0 && status.openBatches === 0;
    });
    expect(receiver.deliveries.map((d) => d.deliveryId).sort()).toEqual([first, ...rest].sort());
    const received = receiver.deliveries.flatMap((d) => d.ids);
    expect(new Set(received).size).toBe(received.length);
    for (const id of ids) expect(received).toContain(id);
    const after = (await s.api('GET', '/feed/status', { token: supervisor })).json;
    expect(after).toEqual({ pending: 0, openBatches: 0, deadBatches: [] });
  });
});

describe('a deliverer stopped in the middle of a delivery', () => {
  it('loses nothing: its successor on the same table resends the held batch under the same delivery id', async () => {
    // Prepare: the receiver takes the first batch and never answers, as if the connection died with the process.
    let jwksUrl = '';
    const receiver = await startFiaReceiver(() => jwksUrl);
    open.push(receiver);
    await receiver.setMode({ kind: 'hold' });
    const { tableName } = await testTable();
    const keyDir = tempKeys();
    const policy = { leaseMs: 1_500, baseDelayMs: 20, maxDelayMs: 100, batchEntries: 5 };
    const first = await stack(tableName, keyDir, receiver, { requestTimeoutMs: 60_000, policy });
    open.push(first.platform);
    jwksUrl = `${first.platform.url}/feed/jwks.json`;
    const ids = await crossingsStored(first, 12);
    await until('a batch held at the receiver', () => receiver.posts.length >= 1);
    const held = receiver.posts[0]?.deliveryId as string;

    // Act: the first stack is abandoned (its drain stays stuck in the held request); a new one starts on the
    // same table and keys, and the receiver answers again.
    await receiver.setMode({ kind: 'up' });
    const second: Platform = (await stack(tableName, keyDir, receiver, { requestTimeoutMs: 2_000, policy }))
      .platform;
    open.push(second);
    await until('the feed to drain', async () => {
      const status = await second.store.feed.status();
      return status.pending === 0 && status.openBatches === 0;
    });

    // Assert: the held batch arrived again under its delivery id, and every record arrived exactly once.
    expect(receiver.deliveries.map((d) => d.deliveryId)).toContain(held);
    expect(receiver.posts.filter((p) => p.deliveryId === held).length).toBeGreaterThanOrEqual(2);
    const received = receiver.deliveries.flatMap((d) => d.ids);
    expect(new Set(received).size).toBe(received.length);
    for (const id of ids) expect(received).toContain(id);
    receiver.release();
  }, 60_000);
});
