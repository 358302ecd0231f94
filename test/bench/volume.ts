// National volume on DynamoDB Local and s3rver: the daily export's peak memory and time at two sizes of day, each in
// a process of its own beside a bare Node process with the SDK clients loaded, projected to 1,000,000 crossings;
// and a year of /reports/crossings, and a page of a rare anomaly type on a busy day, beside one GetItem.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { anomalies, crossingCounts } from '../../functions/services/reports.ts';
import { COUNTER_SHARDS, daysFrom } from '../../functions/store/aggregates.ts';
import { documentClient } from '../../functions/store/client.ts';
import { createStore, type Store } from '../../functions/store/store.ts';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { ensureTable } from '../../local/ensure-table.ts';
import { startLocalS3 } from '../../local/s3.ts';
import { anomalyItems, dayCrossing, putAll, seedFeedDay, yearOfCounters } from '../support/feed-day.ts';
import { type BenchRow, quantile } from './harness.ts';

const run = promisify(execFile);

/** Days of this many crossings are exported; BENCH_EXPORT_SIZES=2000,30000,100000 for more. */
const EXPORT_SIZES = (process.env.BENCH_EXPORT_SIZES ?? '2000,30000').split(',').map(Number);
const TARGET = 1_000_000;
/** What the exporter Lambda has: 1 GB and 15 minutes (infra/constructs/feed.ts). */
const LAMBDA_MB = 1024;
const LAMBDA_SECONDS = 900;
const DAY = '2026-06-01';

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

interface ChildFigures {
  peakMb: number;
  seconds?: number;
  records?: Record<string, number>;
  bytes?: number;
}

/**
 * V8 grows its heap with the allocation rate long before it must, so an uncapped peak says as much about the
 * garbage collector as about what the export holds. Capped at this old space, a run that completes shows what it
 * really keeps: the projection uses the capped runs.
 */
const OLD_SPACE_CAP_MB = 96;

async function child(env: Record<string, string>, capMb?: number): Promise<ChildFigures> {
  const flags = capMb ? [`--max-old-space-size=${capMb}`] : [];
  const { stdout } = await run(process.execPath, [...flags, 'test/bench/export-child.ts'], {
    env: { ...process.env, ...env },
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ChildFigures;
}

export async function benchExport(): Promise<BenchRow[]> {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'rahdari-bench-export-'));
  const s3 = await startLocalS3({ directory: join(dir, 's3'), bucket: 'rahdari-feed' });
  const rows: BenchRow[] = [];
  try {
    const bare = await child({ BARE: '1' });
    const measured: { size: number; peakMb: number; seconds: number }[] = [];
    for (const size of EXPORT_SIZES) {
      const store = await freshStore(dynamodb.endpoint, `rahdari-bench-export-${size}`);
      const seeding = performance.now();
      // Each holder crosses out and back; one crossing in 20 carries an anomaly.
      await seedFeedDay(store.table, {
        day: DAY,
        crossings: size,
        holders: Math.ceil(size / 2),
        anomalyEvery: 20,
      });
      const seedSeconds = (performance.now() - seeding) / 1000;
      const env = {
        DYNAMODB_ENDPOINT: dynamodb.endpoint,
        TABLE_NAME: store.table.name,
        S3_ENDPOINT: s3.endpoint,
        BUCKET: s3.bucket,
        DAY,
      };
      const figures = await child(env);
      const capped = await child(env, OLD_SPACE_CAP_MB);
      const seconds = figures.seconds ?? Number.NaN;
      measured.push({ size, peakMb: capped.peakMb, seconds });
      const complete = figures.records?.crossing === size ? 'yes' : `no (${figures.records?.crossing})`;
      const note = `every crossing written: ${complete}; ${((figures.bytes ?? 0) / 1e6).toFixed(1)} MB gzip; seeded by BatchWriteItem in ${seedSeconds.toFixed(0)} s`;
      rows.push({
        name: `export of a day of ${size.toLocaleString('en-US')} crossings, peak RSS`,
        value: figures.peakMb,
        unit: 'MB',
        baseline: { name: 'bare Node with the SDK clients', value: bare.peakMb },
        note,
      });
      rows.push({
        name: `export of a day of ${size.toLocaleString('en-US')} crossings, peak RSS, old space capped`,
        value: capped.peakMb,
        unit: 'MB',
        baseline: { name: 'bare Node with the SDK clients', value: bare.peakMb },
        note: `--max-old-space-size=${OLD_SPACE_CAP_MB}: completed, ${capped.records?.crossing === size ? 'every crossing written' : 'NOT every crossing written'}, ${(capped.seconds ?? 0).toFixed(1)} s`,
      });
      rows.push({
        name: `export of a day of ${size.toLocaleString('en-US')} crossings, time`,
        value: seconds,
        unit: 's',
        note: `${Math.round(size / seconds).toLocaleString('en-US')} crossings/s`,
      });
      (store.table.db as { destroy(): void }).destroy();
    }
    const small = measured[0];
    const large = measured.at(-1);
    if (small && large && large.size > small.size) {
      // Memory: a straight line through the two sizes; time: the larger day's rate (the smaller is mostly start-up).
      const perCrossingMb = Math.max(0, (large.peakMb - small.peakMb) / (large.size - small.size));
      const projectedMb = large.peakMb + perCrossingMb * (TARGET - large.size);
      const projectedSeconds = (large.seconds / large.size) * TARGET;
      rows.push({
        name: 'export of 1,000,000 crossings, projected peak RSS',
        value: projectedMb,
        unit: 'MB',
        baseline: { name: 'the exporter Lambda', value: LAMBDA_MB },
        note: `old space capped at ${OLD_SPACE_CAP_MB} MB: ${(perCrossingMb * 1024).toFixed(3)} KB more per crossing from ${small.size.toLocaleString('en-US')} to ${large.size.toLocaleString('en-US')}, a straight line`,
      });
      rows.push({
        name: 'export of 1,000,000 crossings, projected time',
        value: projectedSeconds,
        unit: 's',
        baseline: { name: 'the exporter Lambda timeout', value: LAMBDA_SECONDS },
        note: `at the ${large.size.toLocaleString('en-US')}-crossing rate on DynamoDB Local and s3rver, this machine`,
      });
    }
  } finally {
    await s3.stop();
    await dynamodb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** Milliseconds of each of `times` runs of `op`, sorted. */
async function timings(times: number, op: () => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await op();
    ms.push(performance.now() - started);
  }
  return ms.sort((a, b) => a - b);
}

/** Posts of the year's counters: every shard of each, the worst a year of national traffic writes. */
const REPORT_POSTS = ['TFT', 'RJY', 'MSK', 'CDG', 'JRK', 'MND', 'GBD', 'JWN', 'CMN', 'TKM'];
const BUSY_ANOMALIES = Number(process.env.BENCH_REPORT_ANOMALIES ?? '20000');

export async function benchReports(): Promise<BenchRow[]> {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  const rows: BenchRow[] = [];
  try {
    const store = await freshStore(dynamodb.endpoint, 'rahdari-bench-reports');
    const year = daysFrom('2028-01-01', '2028-12-31');
    const seeding = performance.now();
    const counters = await putAll(
      store.table,
      yearOfCounters(year, REPORT_POSTS, COUNTER_SHARDS, { out: 30, in: 29 }),
    );
    // A busy day's anomalies: all DOUBLE_OUT but one OVERRIDE near the end, the rare type an analyst asks for.
    const busy = '2028-06-01';
    await putAll(
      store.table,
      (function* () {
        for (let i = 0; i < BUSY_ANOMALIES; i++) {
          const crossing = dayCrossing(
            { day: busy, crossings: BUSY_ANOMALIES, holders: 5_000, anomalyEvery: 1 },
            i,
          );
          if (i === BUSY_ANOMALIES - 10) crossing.anomalies = [{ type: 'OVERRIDE', detail: 'on override' }];
          yield* anomalyItems(crossing);
        }
      })(),
    );
    const seedSeconds = (performance.now() - seeding) / 1000;
    const getItem = await timings(50, () =>
      store.table.db.send(
        new GetCommand({
          TableName: store.table.name,
          Key: { PK: 'XCOUNT#2028-06', SK: '2028-06-15#TFT#00' },
        }),
      ),
    );
    const oneGet = { name: 'one GetItem of a counter', value: quantile(getItem, 0.5) };
    let rowsOfYear = 0;
    const yearMs = await timings(7, async () => {
      rowsOfYear = (await crossingCounts(store, { from: '2028-01-01', to: '2028-12-31' })).length;
    });
    // The same counter items read raw: every page of each month's partition, one month after another, not summed.
    const months = [...new Set(year.map((day) => day.slice(0, 7)))];
    const rawMs = await timings(3, async () => {
      for (const month of months) {
        let start: Record<string, unknown> | undefined;
        do {
          const out = await store.table.db.send(
            new QueryCommand({
              TableName: store.table.name,
              KeyConditionExpression: 'PK = :pk',
              ExpressionAttributeValues: { ':pk': `XCOUNT#${month}` },
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          start = out.LastEvaluatedKey;
        } while (start);
      }
    });
    const note = `${rowsOfYear.toLocaleString('en-US')} rows from ${counters.toLocaleString('en-US')} counter items (${REPORT_POSTS.length} posts × ${COUNTER_SHARDS} shards × 366 days, seeded in ${seedSeconds.toFixed(0)} s)`;
    rows.push({
      name: '/reports/crossings for 366 days, median',
      value: quantile(yearMs, 0.5),
      unit: 'ms',
      baseline: oneGet,
      note,
    });
    rows.push({
      name: '/reports/crossings for 366 days, median',
      value: quantile(yearMs, 0.5),
      unit: 'ms',
      baseline: { name: 'raw Query of the same counters, month after month', value: quantile(rawMs, 0.5) },
    });
    let pages = 0;
    const pageMs: number[] = [];
    let cursor: string | undefined;
    do {
      const started = performance.now();
      const page = await anomalies(
        store,
        { from: busy, to: busy, type: 'OVERRIDE', limit: 50, ...(cursor ? { cursor } : {}) },
        { seesCnics: false },
      );
      pageMs.push(performance.now() - started);
      cursor = page.cursor;
      pages++;
    } while (cursor);
    pageMs.sort((a, b) => a - b);
    rows.push({
      name: `/reports/anomalies page of a rare type, day of ${BUSY_ANOMALIES.toLocaleString('en-US')} anomalies, slowest`,
      value: pageMs.at(-1) ?? Number.NaN,
      unit: 'ms',
      baseline: oneGet,
      note: `${pages} pages to read the day (bounded reads per page); median page ${quantile(pageMs, 0.5).toFixed(0)} ms`,
    });
  } finally {
    await dynamodb.stop();
  }
  return rows;
}
