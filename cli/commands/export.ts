// `rahdari export --date YYYY-MM-DD`: a Pakistan day's feed records as gzip NDJSON in S3, with their manifest.
import { type CliIo, need, parseCommand, UsageError } from '../io.ts';
import { storeFromFlags, TABLE_FLAGS, TableUnreachable } from './feed.ts';

/** A bar on standard error when it is a terminal; nothing otherwise, so scripts read only the summary. */
function progressBar(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files`);
    if (done === total) process.stderr.write('\n');
  };
}

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(args, {
    ...TABLE_FLAGS,
    date: { type: 'string' },
    bucket: { type: 'string' },
    's3-endpoint': { type: 'string' },
  });
  const day = need(values.date, '--date');
  const parsed = Date.parse(`${day}T00:00:00Z`);
  // A calendar day: 2026-02-30 parses (as 2 March), so it must also read back as itself.
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(day) ||
    Number.isNaN(parsed) ||
    new Date(parsed).toISOString().slice(0, 10) !== day
  )
    throw new UsageError('--date must be a day as YYYY-MM-DD');
  const bucket = values.bucket ?? process.env.EXPORT_BUCKET;
  if (!bucket) throw new UsageError('--bucket (or EXPORT_BUCKET) is required');
  const s3Endpoint = values['s3-endpoint'] ?? process.env.S3_ENDPOINT;
  if (s3Endpoint !== undefined && !/^https?:\/\/\S+$/.test(s3Endpoint))
    throw new UsageError('--s3-endpoint must be an http(s) URL');
  const [{ exportDay }, { S3Client }, { localS3Client }, { batchSdkClientOptions }] = await Promise.all([
    import('../../functions/services/export.ts'),
    import('@aws-sdk/client-s3'),
    import('../../local/s3.ts'),
    import('../../functions/sdk-options.ts'),
  ]);
  const s3 = s3Endpoint
    ? localS3Client(s3Endpoint)
    : new S3Client({ ...batchSdkClientOptions(), ...(values.region ? { region: values.region } : {}) });
  const { store, close } = await storeFromFlags(values, 'batch');
  let manifest: Awaited<ReturnType<typeof exportDay>>;
  try {
    const progress = progressBar();
    manifest = await exportDay({ outbox: store.feed, s3, bucket, ...(progress ? { progress } : {}) }, day);
  } catch (error) {
    if (!(error instanceof Error && ('$metadata' in error || 'code' in error))) throw error;
    throw new TableUnreachable(`cannot export ${day}: ${error.message.split('\n')[0] ?? error.name}`);
  } finally {
    close();
    s3.destroy();
  }
  for (const file of manifest.files) {
    io.stdout(`s3://${bucket}/${file.key}  ${file.records} records  sha256 ${file.sha256}`);
  }
  io.stdout(`s3://${bucket}/feed/${day}/manifest.json`);
  return 0;
}
