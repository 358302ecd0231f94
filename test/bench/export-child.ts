// A process of its own for the export bench: exports one day (or, with BARE=1, only loads the AWS SDK clients the
// exporter builds) and prints its time and peak resident memory as JSON, so each figure is one process's own.
import { S3Client } from '@aws-sdk/client-s3';
import { batchSdkClientOptions } from '../../functions/sdk-options.ts';
import { documentClient } from '../../functions/store/client.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/** Peak resident set of this process so far, in MB (resourceUsage reports KB). */
const peakMb = () => process.resourceUsage().maxRSS / 1024;

if (process.env.BARE === '1') {
  // The floor: Node with the clients the exporter makes, and nothing read.
  const db = documentClient({ endpoint: 'http://127.0.0.1:1', sdk: batchSdkClientOptions() });
  const s3 = new S3Client({ region: 'local' });
  process.stdout.write(
    `${JSON.stringify({ peakMb: peakMb(), clients: [db.constructor.name, s3.constructor.name] })}\n`,
  );
} else {
  const [{ exportDay }, { createStore }, { localS3Client }] = await Promise.all([
    import('../../functions/services/export.ts'),
    import('../../functions/store/store.ts'),
    import('../../local/s3.ts'),
  ]);
  const db = documentClient({ endpoint: env('DYNAMODB_ENDPOINT'), sdk: batchSdkClientOptions() });
  const store = createStore(db, env('TABLE_NAME'));
  const s3 = localS3Client(env('S3_ENDPOINT'));
  const started = performance.now();
  const manifest = await exportDay({ outbox: store.feed, s3, bucket: env('BUCKET') }, env('DAY'));
  const seconds = (performance.now() - started) / 1000;
  const records = Object.fromEntries(manifest.files.map((f) => [f.type, f.records]));
  const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  process.stdout.write(`${JSON.stringify({ peakMb: peakMb(), seconds, records, bytes })}\n`);
  db.destroy();
  s3.destroy();
}
