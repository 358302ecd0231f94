// The daily export: a Pakistan day's feed records per type as gzip NDJSON in S3, with a manifest of counts and
// SHA-256 digests. The same day always gives the same bytes: records in a fixed order, gzip without a time or name.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { karachiDate } from '../../shared/domain/pass-types.ts';
import {
  compareRecords,
  FEED_RECORD_TYPES,
  type FeedRecordType,
  toNdjson,
} from '../../shared/feed-records.ts';
import type { FeedOutbox } from '../store/feed.ts';
import { recordsOf } from './feed.ts';

export interface ExportManifest {
  day: string;
  files: { type: FeedRecordType; key: string; records: number; bytes: number; sha256: string }[];
}

export interface ExportDependencies {
  outbox: FeedOutbox;
  s3: Pick<S3Client, 'send'>;
  bucket: string;
  /** Called after each object is written: how many of how many. */
  progress?: (done: number, total: number) => void;
}

export const exportPrefix = (day: string) => `feed/${day}/`;

/** Node's gzip writes mtime 0 and no file name; level fixed so the bytes do not depend on a default. */
export function gzipStable(text: string): Buffer {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
}

/** The Pakistan day before the one `now` falls in: what the morning's export covers. */
export function yesterdayInPakistan(now: Date): string {
  const today = karachiDate(now);
  const noon = new Date(`${today}T12:00:00+05:00`);
  return karachiDate(new Date(noon.getTime() - 86_400_000));
}

export async function exportDay(deps: ExportDependencies, day: string): Promise<ExportManifest> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  const entries = await deps.outbox.day(day);
  const records = (await recordsOf(deps.outbox, entries)).sort(compareRecords);
  const total = FEED_RECORD_TYPES.length + 1;
  const manifest: ExportManifest = { day, files: [] };
  let done = 0;
  for (const type of FEED_RECORD_TYPES) {
    const ofType = records.filter((r) => r.type === type);
    const body = gzipStable(toNdjson(ofType));
    const key = `${exportPrefix(day)}${type}.ndjson.gz`;
    await deps.s3.send(
      new PutObjectCommand({ Bucket: deps.bucket, Key: key, Body: body, ContentType: 'application/gzip' }),
    );
    manifest.files.push({
      type,
      key,
      records: ofType.length,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
    deps.progress?.(++done, total);
  }
  // Written last: a manifest present means every file it names is there.
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.bucket,
      Key: `${exportPrefix(day)}manifest.json`,
      Body: `${JSON.stringify(manifest, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
  deps.progress?.(++done, total);
  return manifest;
}
