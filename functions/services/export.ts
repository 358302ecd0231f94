// The daily export: a Pakistan day's feed records per type as gzip NDJSON in S3, with a manifest of counts and
// SHA-256 digests. The same day always gives the same bytes: records in a fixed order, gzip without a time or name.
// It streams: a Query page of the day is read, turned into NDJSON, gzipped and uploaded in parts as it comes, so
// what it holds is a page and a few parts, whatever the size of the day.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { encodeTime } from 'ulid';
import { karachiDate } from '../../shared/domain/pass-types.ts';
import {
  compareRecords,
  FEED_RECORD_TYPES,
  type FeedRecord,
  type FeedRecordType,
  toNdjson,
} from '../../shared/feed-records.ts';
import type { FeedEntry, FeedOutbox, IdRange } from '../store/feed.ts';
import { recordsOf } from './feed.ts';
import { MultipartObject } from './multipart.ts';

export interface ExportFile {
  type: FeedRecordType;
  key: string;
  records: number;
  bytes: number;
  sha256: string;
}

export interface ExportManifest {
  day: string;
  files: ExportFile[];
}

export interface ExportDependencies {
  outbox: FeedOutbox;
  s3: S3Client;
  bucket: string;
  /** Called after each object is written: how many of how many. */
  progress?: (done: number, total: number) => void;
  /** Bytes per uploaded part (S3's minimum is 5 MB): what one file holds in memory, times the parts in flight. */
  partSize?: number;
}

/** 8 MB parts, two in flight per file: about 50 MB of parts for the two files written at once. */
export const EXPORT_PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

export const exportPrefix = (day: string) => `feed/${day}/`;
export const manifestKey = (day: string) => `${exportPrefix(day)}manifest.json`;

/** gzip level of every export: fixed, so the bytes of a day do not depend on a default. */
const GZIP_LEVEL = 9;

/**
 * Node's gzip writes mtime 0 and no file name; level fixed so the bytes do not depend on a default. Streaming the
 * same text through createGzip at this level gives these very bytes (deflate's output does not depend on how its
 * input was cut), so an export streamed today equals one written whole before.
 */
export function gzipStable(text: string): Buffer {
  return gzipSync(Buffer.from(text, 'utf8'), { level: GZIP_LEVEL });
}

/** The Pakistan day before the one `now` falls in: what the morning's export covers. */
export function yesterdayInPakistan(now: Date): string {
  const today = karachiDate(now);
  const noon = new Date(`${today}T12:00:00+05:00`);
  return karachiDate(new Date(noon.getTime() - 86_400_000));
}

export function isExportDay(day: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(day) &&
    !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
    new Date(Date.parse(`${day}T00:00:00Z`)).toISOString().slice(0, 10) === day
  );
}

/**
 * One object being written: NDJSON text in, gzip, digested and counted on its way to a multipart upload. A write
 * waits while the pipeline is full, so a slow upload slows the reading instead of filling memory.
 */
class GzipNdjsonObject {
  private readonly gzip = createGzip({ level: GZIP_LEVEL });
  private readonly hash = createHash('sha256');
  private readonly object: MultipartObject;
  private readonly finished: Promise<void>;
  private bytes = 0;
  private records = 0;
  readonly type: FeedRecordType;
  readonly key: string;

  constructor(s3: S3Client, bucket: string, type: FeedRecordType, key: string, partSize: number) {
    this.type = type;
    this.key = key;
    this.object = new MultipartObject(
      s3,
      { Bucket: bucket, Key: key, ContentType: 'application/gzip' },
      { partSize, partsInFlight: PARTS_IN_FLIGHT },
    );
    const digest = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        done(null, chunk);
      },
    });
    this.finished = pipeline(this.gzip, digest, this.object);
    // Rethrown by the next write or by close(): never an unhandled rejection.
    this.finished.catch(() => undefined);
  }

  async write(records: readonly FeedRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.records += records.length;
    if (!this.gzip.write(toNdjson(records))) {
      await Promise.race([once(this.gzip, 'drain'), this.finished]);
    }
  }

  /** Gives the object up: a file written before (a previous run's) stays as it was, not part of a day. */
  async abort(): Promise<void> {
    this.gzip.destroy();
    await this.object.abort();
  }

  async close(): Promise<ExportFile> {
    this.gzip.end();
    await this.finished;
    return {
      type: this.type,
      key: this.key,
      records: this.records,
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
    };
  }
}

/**
 * Where a day's crossings are cut into segments read side by side: their ids are ULIDs made on the device at the
 * crossing, so ten minutes of the day (and of the hour either side) is a segment, with one for everything earlier
 * (posts that synced late) and one for everything after (fast clocks). A segment is a Query of its own: several
 * are read at once, and no Query pages through the whole day (DynamoDB Local pays for the rest of a range on every
 * page, so a whole-day Query grows with the square of the day there).
 */
export function crossingSegments(day: string): IdRange[] {
  const start = Date.parse(`${day}T00:00:00+05:00`) - SEGMENT_MARGIN_MS;
  const end = start + 86_400_000 + 2 * SEGMENT_MARGIN_MS;
  const bounds = [''];
  for (let t = start; t <= end; t += SEGMENT_MS) bounds.push(encodeTime(t, 10));
  bounds.push(LAST_ID);
  return bounds.slice(1).map((to, i) => ({ from: bounds[i] as string, to }));
}

const SEGMENT_MS = 10 * 60_000;
const SEGMENT_MARGIN_MS = 3_600_000;
/** Above every id character (ids are ASCII): the end of the last segment. */
const LAST_ID = '\uffff';
/** Segments read at once, and pages read ahead in each: what the export holds is these pages, about 1 MB each. */
const SEGMENTS_AT_ONCE = 4;
const PAGES_AHEAD = 2;

/**
 * Reads `source` ahead of its consumer, at most `limit` items buffered; it starts at once. A failure is handed to the
 * consumer when it gets there, never left unhandled if it does not.
 */
function readAhead<T>(source: AsyncIterable<T>, limit: number): AsyncIterable<T> {
  const buffered: T[] = [];
  let done = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let space: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  void (async () => {
    try {
      for await (const item of source) {
        buffered.push(item);
        signal();
        while (buffered.length >= limit) await new Promise<void>((resolve) => (space = resolve));
      }
    } catch (error) {
      failure = { error };
    }
    done = true;
    signal();
  })();
  return {
    async *[Symbol.asyncIterator]() {
      while (true) {
        if (buffered.length > 0) {
          const item = buffered.shift() as T;
          space?.();
          space = undefined;
          yield item;
          continue;
        }
        if (failure) throw failure.error;
        if (done) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

/** The items of every source in order, `concurrency` sources read at once, each a few items ahead. */
async function* inOrder<T>(sources: (() => AsyncIterable<T>)[], concurrency: number): AsyncGenerator<T> {
  const reading: (AsyncIterable<T> | undefined)[] = [];
  const startNext = () => {
    const source = sources[reading.length];
    if (source) reading.push(readAhead(source(), PAGES_AHEAD));
  };
  for (let i = 0; i < concurrency; i++) startNext();
  for (let i = 0; i < sources.length; i++) {
    for await (const item of reading[i] as AsyncIterable<T>) yield item;
    reading[i] = undefined;
    startNext();
  }
}

/** Pages of records of one type, in export order: the following pages are read while this one is written. */
async function* recordPages(
  outbox: FeedOutbox,
  day: string,
  type: FeedRecordType,
): AsyncGenerator<FeedRecord[]> {
  const segments =
    type === 'crossing'
      ? crossingSegments(day).map((ids) => () => outbox.dayPages(day, type, ids))
      : [() => outbox.dayPages(day, type)];
  const toRecords = async (entries: FeedEntry[]) => (await recordsOf(outbox, entries)).sort(compareRecords);
  for await (const entries of inOrder(segments, SEGMENTS_AT_ONCE)) yield await toRecords(entries);
}

/** Records of a sorted stream, one at a time, with a look at the next one before taking it. */
class Peekable {
  private buffer: FeedRecord[] = [];
  private at = 0;
  private ended = false;
  private readonly pages: AsyncGenerator<FeedRecord[]>;
  constructor(pages: AsyncGenerator<FeedRecord[]>) {
    this.pages = pages;
  }

  async peek(): Promise<FeedRecord | undefined> {
    while (this.at >= this.buffer.length && !this.ended) {
      const page = await this.pages.next();
      if (page.done) this.ended = true;
      else {
        this.buffer = page.value;
        this.at = 0;
      }
    }
    return this.buffer[this.at];
  }

  take(): void {
    this.at++;
  }
}

/**
 * The crossings file and the anomalies file in one pass over the day's crossings: each crossing's anomalies are
 * merged, in id order, with the anomalies queued on their own (the group sweep's), as the whole day sorted would.
 */
async function writeCrossingsAndAnomalies(
  deps: ExportDependencies,
  day: string,
  crossings: GzipNdjsonObject,
  anomalies: GzipNdjsonObject,
): Promise<void> {
  const queued = new Peekable(recordPages(deps.outbox, day, 'anomaly'));
  const mergeUpTo = async (bound: FeedRecord | undefined): Promise<FeedRecord[]> => {
    const out: FeedRecord[] = [];
    for (let next = await queued.peek(); next; next = await queued.peek()) {
      if (bound && compareRecords(next, bound) >= 0) break;
      out.push(next);
      queued.take();
    }
    return out;
  };
  for await (const records of recordPages(deps.outbox, day, 'crossing')) {
    const ofCrossings = records.filter((r) => r.type === 'crossing');
    const derived = records.filter((r) => r.type === 'anomaly');
    const merged: FeedRecord[] = [];
    for (const anomaly of derived) merged.push(...(await mergeUpTo(anomaly)), anomaly);
    await Promise.all([crossings.write(ofCrossings), anomalies.write(merged)]);
  }
  await anomalies.write(await mergeUpTo(undefined));
}

export async function exportDay(deps: ExportDependencies, day: string): Promise<ExportManifest> {
  if (!isExportDay(day)) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  const partSize = deps.partSize ?? EXPORT_PART_SIZE;
  const total = FEED_RECORD_TYPES.length + 1;
  let done = 0;
  const open = (type: FeedRecordType) =>
    new GzipNdjsonObject(deps.s3, deps.bucket, type, `${exportPrefix(day)}${type}.ndjson.gz`, partSize);
  const files = new Map<FeedRecordType, ExportFile>();

  const crossings = open('crossing');
  const anomalies = open('anomaly');
  try {
    await writeCrossingsAndAnomalies(deps, day, crossings, anomalies);
  } catch (error) {
    await Promise.all([crossings.abort(), anomalies.abort()]);
    throw error;
  }
  for (const file of await Promise.all([crossings.close(), anomalies.close()])) {
    files.set(file.type, file);
    deps.progress?.(++done, total);
  }
  for (const type of FEED_RECORD_TYPES) {
    if (files.has(type)) continue;
    const file = open(type);
    try {
      for await (const records of recordPages(deps.outbox, day, type)) await file.write(records);
    } catch (error) {
      await file.abort();
      throw error;
    }
    files.set(type, await file.close());
    deps.progress?.(++done, total);
  }

  const manifest: ExportManifest = {
    day,
    files: FEED_RECORD_TYPES.map((type) => files.get(type) as ExportFile),
  };
  // Written last: a manifest present means every file it names is there.
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.bucket,
      Key: manifestKey(day),
      Body: `${JSON.stringify(manifest, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
  deps.progress?.(++done, total);
  return manifest;
}

/** Whether the day's manifest is in the bucket: listed, not read, so the check needs no read of the files. */
export async function manifestExists(deps: Pick<ExportDependencies, 's3' | 'bucket'>, day: string) {
  const key = manifestKey(day);
  const out = await deps.s3.send(new ListObjectsV2Command({ Bucket: deps.bucket, Prefix: key, MaxKeys: 1 }));
  return (out.Contents ?? []).some((object) => object.Key === key);
}
