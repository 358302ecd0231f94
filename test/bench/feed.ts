// Ministry feed on DynamoDB Local: a day of crossings queued (the crossing items as the store writes them, put with
// BatchWriteItem), delivered as signed batches to a loopback receiver, beside reading the very same items raw (the
// pending Query and the holders' BatchGetItem) and beside a plain loop of the very same HTTP POSTs; projected to a
// day of 1,000,000; and the time from a crossing stored to it arriving while checkpoints keep syncing, with the
// deliverer woken by the stream poller.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { BATCH_CONCURRENCY } from '../../functions/limits.ts';
import { claimFor } from '../../functions/services/crossing-content.ts';
import { deliverFeed } from '../../functions/services/feed.ts';
import { httpTransport } from '../../functions/services/feed-transport.ts';
import { batchGetAll, inParallel } from '../../functions/store/batch-get.ts';
import { documentClient } from '../../functions/store/client.ts';
import type { ClaimedCrossing, Crossing } from '../../functions/store/crossings.ts';
import { FEED_PENDING } from '../../functions/store/feed.ts';
import { createStore, type Store } from '../../functions/store/store.ts';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { ensureTable } from '../../local/ensure-table.ts';
import { startLocalFeed } from '../../local/feed.ts';
import { CountingMetrics } from '../../local/metrics.ts';
import { feedSigningFromConfig } from '../../signing/feed-key.ts';
import { seedFeedDay } from '../support/feed-day.ts';
import { type BenchRow, quantile } from './harness.ts';

/**
 * Crossings queued, then drained: 10,000 keeps the suite inside its 10 minutes on a shared two-core machine;
 * BENCH_FEED_RECORDS=100000 for the larger run.
 */
const RECORDS = Number(process.env.BENCH_FEED_RECORDS ?? '10000');
const DAY = '2026-06-02';
/** Crossings posted while the latency is measured: 20 syncs of 50 records, one every 250 ms. */
const SYNCS = 20;
const SYNC_RECORDS = 50;
const HOLDERS = 2_000;

async function freshStore(endpoint: string, name: string): Promise<Store> {
  const raw = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(raw, name);
  raw.destroy();
  return createStore(documentClient({ endpoint }), name);
}

/** A crossing with the claim of its id, as the crossings service writes it. */
const claimed = (crossing: Crossing): ClaimedCrossing => ({ crossing, claim: claimFor(crossing).claim });

function crossing(i: number, at: Date): Crossing {
  const holder = i % HOLDERS;
  const no = `BP-2026-${String(holder + 1).padStart(6, '0')}`;
  return {
    id: ulid(at.getTime()),
    credentialPk: `PASS#${no}`,
    credential: no,
    credentialKind: 'bp',
    checkpoint: 'TFT',
    direction: Math.floor(i / HOLDERS) % 2 ? 'IN' : 'OUT',
    at: at.toISOString(),
    officer: 'fc-taftan-1',
    device: 'taftan-phone-1',
    deviceVerdict: 'VALID',
    serverVerdict: 'VALID',
    anomalies: [],
    postedBy: { sub: 'fc-taftan-1', role: 'checkpoint-officer' },
    receivedAt: new Date().toISOString(),
  };
}

/**
 * DynamoDB Local (not DynamoDB) gives up on a transaction that waits too long for its lock, with a 500 that says
 * "this request will succeed in actual DynamoDB API"; a busy two-core machine meets it now and then while the
 * checkpoints sync beside the deliverer. The write is conditioned on each record being new, so sending it again
 * stores nothing twice.
 */
async function withLockRetries<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const lock = error instanceof Error && /waiting for a lock/.test(error.message);
      if (!lock || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

interface Receiver {
  url: string;
  bodies: string[];
  /** When each record id arrived (first time). */
  arrived: Map<string, number>;
  records: number;
  server: Server;
}

async function receiver(keep: boolean): Promise<Receiver> {
  const r: Receiver = { url: '', bodies: [], arrived: new Map(), records: 0, server: createServer() };
  r.server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const payload = Buffer.from(body.split('.')[1] ?? '', 'base64url').toString('utf8');
      const now = performance.now();
      for (const line of payload.split('\n')) {
        if (line === '') continue;
        r.records++;
        if (keep) {
          const id = (JSON.parse(line) as { id: string }).id;
          if (!r.arrived.has(id)) r.arrived.set(id, now);
        }
      }
      if (keep) r.bodies.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', () => resolve()));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/feed`;
  return r;
}

export async function benchFeed(): Promise<BenchRow[]> {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  const keyDir = mkdtempSync(join(tmpdir(), 'rahdari-bench-feed-'));
  const rows: BenchRow[] = [];
  try {
    const signing = feedSigningFromConfig({ keyDir });
    // Throughput: RECORDS crossings queued, then drained to the receiver.
    const store = await freshStore(dynamodb.endpoint, 'rahdari-bench-feed');
    const seeded = performance.now();
    await seedFeedDay(store.table, { day: DAY, crossings: RECORDS, holders: HOLDERS });
    const seedSeconds = (performance.now() - seeded) / 1000;
    // The same items read raw: every page of the pending index, and each page's holders a hundred at a time.
    const rawStarted = performance.now();
    let rawItems = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await store.table.db.send(
        new QueryCommand({
          TableName: store.table.name,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :p',
          ExpressionAttributeValues: { ':p': FEED_PENDING },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const items = out.Items ?? [];
      rawItems += items.length;
      const passes = [...new Set(items.map((item) => item.credentialPk as string))];
      const chunks = Array.from({ length: Math.ceil(passes.length / 100) }, (_, i) =>
        passes.slice(i * 100, i * 100 + 100),
      );
      await inParallel(chunks, BATCH_CONCURRENCY, async (chunk) => {
        await batchGetAll(
          store.table,
          chunk.map((pk) => ({ PK: pk, SK: 'PASS' })),
          { ProjectionExpression: 'PK, cnic, #n, fatherName', ExpressionAttributeNames: { '#n': 'name' } },
        );
      });
      start = out.LastEvaluatedKey;
    } while (start);
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    const sink = await receiver(true);
    const started = performance.now();
    let delivered = 0;
    for (;;) {
      const outcome = await deliverFeed(
        {
          outbox: store.feed,
          signer: signing.signer,
          transport: httpTransport({
            endpoint: sink.url,
            credential: async () => 'bench',
            timeoutMs: 10_000,
          }),
          clock: () => new Date(),
          metrics: new CountingMetrics('deliverer'),
        },
        60_000,
      );
      delivered += outcome.delivered;
      if (outcome.batchesSent === 0) break;
    }
    const deliverySeconds = (performance.now() - started) / 1000;
    // The same bodies, POSTed in a plain loop: what HTTP alone costs on this machine.
    const plain = await receiver(false);
    const loopStarted = performance.now();
    for (const body of sink.bodies) {
      const res = await fetch(plain.url, {
        method: 'POST',
        headers: { 'content-type': 'application/jose', authorization: 'Bearer bench' },
        body,
      });
      await res.arrayBuffer();
    }
    const loopSeconds = (performance.now() - loopStarted) / 1000;
    sink.server.close();
    plain.server.close();
    const rate = delivered / deliverySeconds;
    const once = sink.arrived.size === RECORDS ? 'yes' : `no (${sink.arrived.size})`;
    rows.push({
      name: `feed delivery of ${RECORDS.toLocaleString('en-US')} crossings (${sink.bodies.length} signed batches)`,
      value: rate,
      unit: 'records/s',
      baseline: {
        name: 'raw pending Query + holders BatchGetItem of the same items',
        value: rawItems / rawSeconds,
      },
      note: `every record once: ${once}; seeded by BatchWriteItem in ${seedSeconds.toFixed(0)} s`,
    });
    rows.push({
      name: 'feed delivery, the same batches',
      value: rate,
      unit: 'records/s',
      baseline: { name: 'plain loop of the same POSTs', value: plain.records / loopSeconds },
    });
    rows.push({
      name: 'a day of 1,000,000 crossings drained, projected',
      value: 1_000_000 / rate / 3600,
      unit: 'h',
      baseline: { name: 'a day', value: 24 },
      note: `at this run's rate, one drain at a time (reserved concurrency 1), on DynamoDB Local`,
    });

    // Latency: checkpoints syncing while the local deliverer runs, woken by the stream poller.
    const live = await freshStore(dynamodb.endpoint, 'rahdari-bench-feed-live');
    const watcher = await receiver(true);
    const feed = await startLocalFeed(
      {
        store: live,
        clock: () => new Date(),
        signing,
        dynamodbEndpoint: dynamodb.endpoint,
        tableName: live.table.name,
      },
      {
        endpoint: watcher.url,
        outboxDir: join(keyDir, 'outbox'),
        intervalMs: 5_000,
        requestTimeoutMs: 10_000,
      },
    );
    const stored = new Map<string, number>();
    for (let s = 0; s < SYNCS; s++) {
      const list = Array.from({ length: SYNC_RECORDS }, (_, k) => crossing(s * SYNC_RECORDS + k, new Date()));
      await withLockRetries(() => live.crossings.recordAll(list.map(claimed)));
      const now = performance.now();
      for (const c of list) stored.set(c.id, now);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const deadline = Date.now() + 60_000;
    while (watcher.arrived.size < stored.size && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await feed.stop();
    watcher.server.close();
    const latencies = [...stored]
      .map(([id, at]) => (watcher.arrived.get(id) ?? Number.NaN) - at)
      .filter((ms) => !Number.isNaN(ms))
      .sort((a, b) => a - b);
    const note = `${latencies.length} of ${stored.size} crossings (${SYNCS} syncs of ${SYNC_RECORDS}, every 250 ms), stream poller wake-up`;
    rows.push({ name: 'stored → delivered, p50', value: quantile(latencies, 0.5), unit: 'ms', note });
    rows.push({ name: 'stored → delivered, p95', value: quantile(latencies, 0.95), unit: 'ms', note });
  } finally {
    await dynamodb.stop();
    rmSync(keyDir, { recursive: true, force: true });
  }
  return rows;
}
