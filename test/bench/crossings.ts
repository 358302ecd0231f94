// Crossing sync on DynamoDB Local: a week offline at a busy post (10,000 records) posted in batches of 500 through
// the crossings handler, beside a raw BatchWriteItem of the very items it stored, on the same engine in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulid';
import { createCrossingsHandler } from '../../functions/api/crossings.ts';
import { documentClient } from '../../functions/store/client.ts';
import { createStore, type Store } from '../../functions/store/store.ts';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { ensureTable } from '../../local/ensure-table.ts';
import { toHttpApiEvent } from '../../local/http-event.ts';
import { CountingMetrics } from '../../local/metrics.ts';
import { signCredential } from '../../shared/credential.ts';
import { toQrText } from '../../shared/qr-text.ts';
import { initKeyDir } from '../../signing/key-dir.ts';
import { signingFromConfig } from '../../signing/signing.ts';
import type { BenchRow } from './harness.ts';

const RECORDS = Number(process.env.BENCH_CROSSINGS ?? '10000');
const BATCH = 500;
/** Holders of the week: each crosses out and back a few times, so a batch holds some of them more than once. */
const HOLDERS = Math.max(1, Math.round(RECORDS / 8));
const WEEK_MS = 7 * 86400_000;
/** Parallel BatchWriteItem calls of the baseline: as many as the handler judges credentials at once. */
const BASELINE_CONCURRENCY = 48;

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

const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

async function allItems(store: Store): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await store.table.db.send(
      new ScanCommand({ TableName: store.table.name, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Writes items 25 at a time, BASELINE_CONCURRENCY calls at once, until DynamoDB has taken every one. */
async function batchWrite(store: Store, items: Record<string, unknown>[]): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let requests = (chunks[next++] as Record<string, unknown>[]).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const out = await store.table.db.send(
          new BatchWriteCommand({ RequestItems: { [store.table.name]: requests } }),
        );
        requests = (out.UnprocessedItems?.[store.table.name] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: BASELINE_CONCURRENCY }, worker));
}

export async function benchCrossings(): Promise<BenchRow[]> {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  const keyDir = mkdtempSync(join(tmpdir(), 'rahdari-bench-crossings-'));
  try {
    await initKeyDir(keyDir);
    const signing = signingFromConfig({ keyDir, passKeyIds: [] });
    const signer = await signing.pass();
    const start = Date.now() - WEEK_MS;
    const nbf = Math.floor(start / 1000) - 86400;
    const credentials = await Promise.all(
      Array.from({ length: HOLDERS }, async (_, i) =>
        toQrText(
          await signCredential(signer, 'bp', {
            sub: `BP-2026-${String(i + 1).padStart(6, '0')}`,
            nbf,
            exp: nbf + 90 * 86400,
            n: 'Abdul Ghafoor Sanjrani',
            f: 'Haji Muhammad Hassan',
            c: 5410100000001 + i * 2,
            p: 'TFT RJY',
          }),
        ),
      ),
    );
    // The week in time order, as the device queued it: each holder alternates OUT and IN at Taftan.
    const directions = new Map<number, 'OUT' | 'IN'>();
    const records = Array.from({ length: RECORDS }, (_, i) => {
      const holder = (i * 7919) % HOLDERS;
      const direction = directions.get(holder) === 'OUT' ? 'IN' : 'OUT';
      directions.set(holder, direction);
      return {
        id: ulid(),
        credential: credentials[holder] as string,
        kind: 'bp',
        checkpoint: 'TFT',
        direction,
        at: new Date(start + Math.floor((i * WEEK_MS) / RECORDS)).toISOString(),
        officer: 'fc-taftan-1',
        device: 'taftan-phone-1',
        verdict: 'VALID',
      };
    });

    const handled = await freshStore(dynamodb.endpoint, 'rahdari-bench-crossings');
    const handler = createCrossingsHandler({
      store: handled,
      clock: () => new Date(),
      signing,
      logger: new Logger({ serviceName: 'crossings', logLevel: 'ERROR' }),
      metrics: new CountingMetrics('crossings'),
    });
    let stored = 0;
    const t0 = performance.now();
    for (let i = 0; i < records.length; i += BATCH) {
      const body = JSON.stringify({ records: records.slice(i, i + BATCH) });
      const event = toHttpApiEvent({
        routeKey: 'POST /crossings',
        method: 'POST',
        path: '/crossings',
        headers: { 'content-type': 'application/json' },
        body: new TextEncoder().encode(body),
        claims: { sub: 'fc-taftan-1', 'cognito:groups': '[checkpoint-officer]', 'custom:checkpoint': 'TFT' },
        requestId: `bench-${i}`,
        at: Date.now(),
      });
      const result = await handler(event, context);
      if (result.statusCode !== 200) throw new Error(`POST /crossings answered ${result.statusCode}`);
      const { results } = JSON.parse(result.body ?? '{}') as { results: { result: string }[] };
      stored += results.filter((r) => r.result === 'stored').length;
    }
    const handlerMs = performance.now() - t0;
    if (stored !== RECORDS) throw new Error(`stored ${stored} of ${RECORDS} crossings`);

    // Baseline: the same items the handler stored (crossings and anomaly items), written blind.
    const items = await allItems(handled);
    const raw = await freshStore(dynamodb.endpoint, 'rahdari-bench-crossings-raw');
    const t1 = performance.now();
    await batchWrite(raw, items);
    const rawMs = performance.now() - t1;

    return [
      {
        name: `POST /crossings, ${RECORDS.toLocaleString('en-US')} records in batches of ${BATCH}`,
        value: (RECORDS * 1000) / handlerMs,
        unit: 'records/s',
        baseline: {
          name: `raw BatchWriteItem of the same ${items.length} items`,
          value: (items.length * 1000) / rawMs,
        },
        note: 'each record verified (ES256) and judged against its history (one Query per holder with an OUT), conditional puts 100 per transaction',
      },
    ];
  } finally {
    rmSync(keyDir, { recursive: true, force: true });
    await dynamodb.stop();
  }
}
