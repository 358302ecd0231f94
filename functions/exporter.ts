// Lambda entry of the daily export: an EventBridge schedule runs it each morning for yesterday (Pakistan time), and
// again at 07:00 to check that yesterday's manifest is there.
import { S3Client } from '@aws-sdk/client-s3';
import { ConfigError } from './config.ts';
import { dependenciesFromEnv } from './environment.ts';
import { batchSdkClientOptions } from './sdk-options.ts';
import { createExporterHandler } from './services/export-handler.ts';

const deps = dependenciesFromEnv(process.env, 'exporter');
const bucket = process.env.EXPORT_BUCKET;
if (!bucket) throw new ConfigError('EXPORT_BUCKET is not set');
// A batch job: S3 parts of 8 MB take the batch SDK settings, not the API's 2 s.
const s3 = new S3Client(batchSdkClientOptions());

/** `{ "day": "YYYY-MM-DD" }` exports that day again (a re-run gives the same bytes); otherwise yesterday. */
export const handler = createExporterHandler({ ...deps, outbox: deps.store.feed, s3, bucket });
