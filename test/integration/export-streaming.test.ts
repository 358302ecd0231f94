// The streamed daily export on DynamoDB Local and s3rver, in parts small enough that every day of a few thousand
// crossings is a multipart upload: days of 0, 1 and N crossings give exactly the bytes of the day sorted and gzipped
// whole, with counts equal to the crossings stored; an export killed mid-upload leaves nothing half-written, and
// its re-run gives the same files.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportDay, gzipStable, manifestExists } from '../../functions/services/export.ts';
import { createExporterHandler, EXPORT_METRIC } from '../../functions/services/export-handler.ts';
import { recordsOf } from '../../functions/services/feed.ts';
import { type FeedEntry, feedDayPk, outboxItem } from '../../functions/store/feed.ts';
import { createStore, type Store } from '../../functions/store/store.ts';
import { checkpointDayPk } from '../../functions/store/table.ts';
import { CountingMetrics } from '../../local/metrics.ts';
import { type LocalS3, startLocalS3 } from '../../local/s3.ts';
import {
  type AnomalyFeedRecord,
  compareRecords,
  FEED_RECORD_TYPES,
  type PassIssuedFeedRecord,
  toNdjson,
} from '../../shared/feed-records.ts';
import { testTable } from '../support/dynamodb.ts';
import { crossingItem, dayCrossing, putAll, seedFeedDay } from '../support/feed-day.ts';

/** 16 KB parts: a day of 3,000 crossings is about a dozen of them. */
const PART_SIZE = 16 * 1024;
const CHECKPOINTS = ['TFT', 'RJY', 'MSK'] as const;
const EMPTY_DAY = '2026-03-01';
const ONE_DAY = '2026-03-02';
const BUSY_DAY = '2026-03-03';
const KILLED_DAY = '2026-03-04';
const LATE_DAY = '2026-03-05';

let store: Store;
let s3: LocalS3;
let client: S3Client;
let dir: string;
const seeded = new Map<string, number>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rahdari-export-stream-'));
  s3 = await startLocalS3({ directory: join(dir, 's3'), bucket: 'rahdari-feed' });
  client = s3.client();
  const table = await testTable();
  store = createStore(table.client, table.tableName);
  for (const [day, crossings] of [
    [ONE_DAY, 1],
    [BUSY_DAY, 3_000],
    [KILLED_DAY, 3_000],
  ] as const) {
    await seedFeedDay(store.table, {
      day,
      crossings,
      holders: 700,
      anomalyEvery: 7,
      checkpoints: CHECKPOINTS,
    });
    seeded.set(day, crossings);
  }
  // Records queued on their own that the export merges in: an anomaly the group sweep names (its id sorts among
  // the crossings' anomalies) and a pass issued.
  const [first] = await firstCrossingIds(BUSY_DAY);
  const overdue: AnomalyFeedRecord = {
    type: 'anomaly',
    id: `${first}:GROUP_OVERDUE`,
    crossingId: first as string,
    kind: 'GROUP_OVERDUE',
    at: `${BUSY_DAY}T05:00:00.000Z`,
    checkpoint: 'TFT',
    credential: 'BP-2026-000001',
    detail: 'still out after the group returned',
  };
  const issued: PassIssuedFeedRecord = {
    type: 'pass-issued',
    id: 'BP-2026-000001:issued',
    number: 'BP-2026-000001',
    passType: 'RAHDARI',
    cnic: '5410100000003',
    name: 'Holder 0',
    fatherName: 'Father of 0',
    crossingPoints: ['TFT'],
    validFrom: BUSY_DAY,
    validUntil: '2026-06-01',
    issuedAt: `${BUSY_DAY}T04:00:00.000Z`,
  };
  for (const record of [overdue, issued]) {
    const put = outboxItem(store.table, record, `${BUSY_DAY}T05:00:00.000Z`).Put;
    await store.table.db.send(new PutCommand({ TableName: store.table.name, Item: put?.Item ?? {} }));
  }
}, 180_000);

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function firstCrossingIds(day: string): Promise<string[]> {
  const out = await store.table.db.send(
    new QueryCommand({
      TableName: store.table.name,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :p AND begins_with(GSI2SK, :t)',
      ExpressionAttributeValues: { ':p': feedDayPk(day), ':t': 'crossing#' },
      Limit: 1,
    }),
  );
  return (out.Items ?? []).map((item) => item.id as string);
}

/** The day the way the export used to make it: every entry read, every record sorted, each type gzipped whole. */
async function wholeDay(day: string): Promise<Map<string, { records: number; sha256: string }>> {
  const entries: FeedEntry[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await store.table.db.send(
      new QueryCommand({
        TableName: store.table.name,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :p',
        ExpressionAttributeValues: { ':p': feedDayPk(day) },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of out.Items ?? [])
      entries.push({ key: { PK: item.PK as string, SK: item.SK as string }, queuedAt: '', item });
    start = out.LastEvaluatedKey;
  } while (start);
  const records = (await recordsOf(store.feed, entries)).sort(compareRecords);
  return new Map(
    FEED_RECORD_TYPES.map((type) => {
      const ofType = records.filter((r) => r.type === type);
      const body = gzipStable(toNdjson(ofType));
      return [type, { records: ofType.length, sha256: createHash('sha256').update(body).digest('hex') }];
    }),
  );
}

/** Crossings stored for the day, counted from the checkpoint-day index rather than the feed's. */
async function storedCrossings(day: string): Promise<number> {
  let count = 0;
  for (const checkpoint of CHECKPOINTS) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await store.table.db.send(
        new QueryCommand({
          TableName: store.table.name,
          IndexName: 'GSI3',
          KeyConditionExpression: 'GSI3PK = :p',
          ExpressionAttributeValues: { ':p': checkpointDayPk(checkpoint, day) },
          Select: 'COUNT',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return count;
}

async function object(key: string): Promise<Buffer> {
  const out = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return Buffer.from(
    await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

async function exists(key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

/** Every file of the day and its manifest, as stored. */
async function snapshot(day: string): Promise<Map<string, string>> {
  const manifest = await object(`feed/${day}/manifest.json`);
  const files = new Map([['manifest.json', manifest.toString('base64')]]);
  for (const file of JSON.parse(manifest.toString()).files as { key: string }[])
    files.set(file.key, (await object(file.key)).toString('base64'));
  return files;
}

const exportOf = (day: string) =>
  exportDay({ outbox: store.feed, s3: client, bucket: s3.bucket, partSize: PART_SIZE }, day);

describe('the streamed daily export', () => {
  it.each([
    ['no crossing', EMPTY_DAY],
    ['exactly one crossing', ONE_DAY],
    ['3,000 crossings and records queued on their own', BUSY_DAY],
  ])('gives, for a day of %s, the bytes of the day sorted and gzipped whole', async (_, day) => {
    const manifest = await exportOf(day);
    const expected = await wholeDay(day);
    for (const file of manifest.files) {
      const body = await object(file.key);
      expect({ type: file.type, sha256: createHash('sha256').update(body).digest('hex') }).toEqual({
        type: file.type,
        sha256: file.sha256,
      });
      expect(file.bytes).toBe(body.length);
      expect({ type: file.type, ...expected.get(file.type) }).toEqual({
        type: file.type,
        records: file.records,
        sha256: file.sha256,
      });
    }
    const crossings = manifest.files.find((f) => f.type === 'crossing');
    expect(crossings?.records).toBe(seeded.get(day) ?? 0);
    expect(crossings?.records).toBe(await storedCrossings(day));
    expect(await manifestExists({ s3: client, bucket: s3.bucket }, day)).toBe(true);
  });

  it('merges the anomalies queued on their own among the crossings’ anomalies, in id order', async () => {
    const manifest = await exportOf(BUSY_DAY);
    const anomalies = manifest.files.find((f) => f.type === 'anomaly');
    // Every 7th of 3,000 crossings has one, and the group sweep named one more.
    expect(anomalies?.records).toBe(Math.floor(3_000 / 7) + 1);
    expect(manifest.files.find((f) => f.type === 'pass-issued')?.records).toBe(1);
  });
});

/** Starts the export of `day` in another process, which holds the crossings file after `holdAfter` parts. */
function startChild(day: string, holdAfter: number): { child: ChildProcess; parts: Promise<number> } {
  const child = spawn(process.execPath, ['test/support/export-child.ts'], {
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
      TABLE_NAME: store.table.name,
      S3_ENDPOINT: s3.endpoint,
      BUCKET: s3.bucket,
      DAY: day,
      PART_SIZE: String(PART_SIZE),
      HOLD_AFTER_PART: String(holdAfter),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const parts = new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (line === `part ${holdAfter}`) resolve(holdAfter);
      if (line === 'exported') reject(new Error('the export finished before it could be killed'));
    });
    child.on('exit', (code) =>
      reject(new Error(`the export process ended (${code}) before part ${holdAfter}`)),
    );
  });
  return { child, parts };
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('crossings made long before or after the day they reached the server', () => {
  it('are exported with the day they were received, in id order among the others', async () => {
    const received = `${LATE_DAY}T06:00:00.000Z`;
    const made = [-30 * 86_400_000, -7 * 86_400_000, -3_600_000, 2 * 86_400_000].map((offset) => {
      const at = new Date(Date.parse(received) + offset);
      // A post offline for a month syncs today; a phone's clock two days fast: ids made at those times.
      return {
        ...dayCrossing({ day: LATE_DAY, crossings: 1, holders: 1 }, 0),
        id: ulid(at.getTime()),
        at: at.toISOString(),
        receivedAt: received,
      };
    });
    const onTheDay = Array.from({ length: 20 }, (_, i) =>
      dayCrossing({ day: LATE_DAY, crossings: 20, holders: 5 }, i),
    );
    await putAll(store.table, [...made, ...onTheDay].map(crossingItem));

    const manifest = await exportOf(LATE_DAY);

    const expected = await wholeDay(LATE_DAY);
    expect(manifest.files.map((f) => [f.type, f.records, f.sha256])).toEqual(
      FEED_RECORD_TYPES.map((type) => [type, expected.get(type)?.records, expected.get(type)?.sha256]),
    );
    expect(manifest.files[0]?.records).toBe(24);
  });
});

describe('an export killed mid-upload', () => {
  it('leaves nothing of the day visible, and its re-run gives the files of the day', async () => {
    const { child, parts } = startChild(KILLED_DAY, 2);
    expect(await parts).toBe(2);
    await kill(child);
    expect(await exists(`feed/${KILLED_DAY}/crossing.ndjson.gz`)).toBe(false);
    expect(await manifestExists({ s3: client, bucket: s3.bucket }, KILLED_DAY)).toBe(false);

    const manifest = await exportOf(KILLED_DAY);
    const expected = await wholeDay(KILLED_DAY);
    expect(manifest.files.map((f) => [f.type, f.records, f.sha256])).toEqual(
      FEED_RECORD_TYPES.map((type) => [type, expected.get(type)?.records, expected.get(type)?.sha256]),
    );
    expect(manifest.files.find((f) => f.type === 'crossing')?.records).toBe(
      await storedCrossings(KILLED_DAY),
    );
  });

  it('leaves the files of an earlier run as they were, and a re-run gives them byte for byte', async () => {
    const before = await snapshot(KILLED_DAY);
    const { child, parts } = startChild(KILLED_DAY, 3);
    await parts;
    await kill(child);
    expect(await snapshot(KILLED_DAY)).toEqual(before);
    await exportOf(KILLED_DAY);
    expect(await snapshot(KILLED_DAY)).toEqual(before);
  });

  it('gives the upload up when a part fails, so the files of an earlier run stay', async () => {
    const before = await snapshot(KILLED_DAY);
    const failing = s3.client();
    failing.middlewareStack.add(
      (next, context) => async (args) => {
        if (
          context.commandName === 'UploadPartCommand' &&
          (args.input as { PartNumber: number }).PartNumber === 2
        )
          throw new Error('the network went away');
        return next(args);
      },
      { step: 'initialize', name: 'failSecondPart' },
    );
    await expect(
      exportDay({ outbox: store.feed, s3: failing, bucket: s3.bucket, partSize: PART_SIZE }, KILLED_DAY),
    ).rejects.toThrow('the network went away');
    failing.destroy();
    expect(await snapshot(KILLED_DAY)).toEqual(before);
  });
});

describe('the exporter in Lambda', () => {
  const exporter = (now: string) => {
    const metrics = new CountingMetrics('exporter');
    const handler = createExporterHandler({
      outbox: store.feed,
      s3: client,
      bucket: s3.bucket,
      partSize: PART_SIZE,
      clock: () => new Date(now),
      logger: new Logger({ serviceName: 'exporter', logLevel: 'SILENT' }),
      metrics,
    });
    return { handler, metrics };
  };

  it('exports yesterday in Pakistan when the schedule runs it, and counts the success and the records', async () => {
    // 01:00 on 3 March in Pakistan is 20:00 on 2 March UTC: yesterday there is 2 March.
    const { handler, metrics } = exporter('2026-03-02T20:00:00Z');
    const manifest = await handler({});
    expect(manifest).toMatchObject({ day: ONE_DAY });
    expect(metrics.count(EXPORT_METRIC.succeeded)).toBe(1);
    expect(metrics.count(EXPORT_METRIC.records)).toBe(1);
  });

  it('reports at 07:00 a day with no manifest as missing, and one with its manifest as there', async () => {
    const { handler, metrics } = exporter('2026-03-10T02:00:00Z');
    expect(await handler({ check: 'manifest' })).toEqual({ day: '2026-03-09', manifest: false });
    expect(metrics.count(EXPORT_METRIC.missing)).toBe(1);
    const again = exporter('2026-03-03T02:00:00Z');
    expect(await again.handler({ check: 'manifest' })).toEqual({ day: ONE_DAY, manifest: true });
    expect(again.metrics.counts.get(EXPORT_METRIC.missing)).toBe(0);
  });

  it('fails on a day that is not one, counting no success', async () => {
    const { handler, metrics } = exporter('2026-03-03T02:00:00Z');
    await expect(handler({ day: '2026-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
    expect(metrics.count(EXPORT_METRIC.succeeded)).toBe(0);
  });
});
