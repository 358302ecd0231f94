// Lambda entry of the daily export: an EventBridge schedule runs it each morning for yesterday (Pakistan time).
import { S3Client } from '@aws-sdk/client-s3';
import { ConfigError } from './config.ts';
import { dependenciesFromEnv } from './environment.ts';
import { sdkClientOptions } from './sdk-options.ts';
import { exportDay, yesterdayInPakistan } from './services/export.ts';

const deps = dependenciesFromEnv(process.env, 'exporter');
const bucket = process.env.EXPORT_BUCKET;
if (!bucket) throw new ConfigError('EXPORT_BUCKET is not set');
const s3 = new S3Client(sdkClientOptions());

/** `{ "day": "YYYY-MM-DD" }` exports that day again (a re-run gives the same bytes); otherwise yesterday. */
export const handler = async (event: { day?: string } | undefined) => {
  const day = typeof event?.day === 'string' ? event.day : yesterdayInPakistan(deps.clock());
  const manifest = await exportDay({ outbox: deps.store.feed, s3, bucket }, day);
  deps.logger.info('feed exported', { day, files: manifest.files.map((f) => [f.type, f.records]) });
  return manifest;
};
