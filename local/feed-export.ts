// The daily export on this machine: a timer that exports yesterday (Pakistan time) to the local S3 server once
// the day has turned, as the EventBridge schedule does in AWS.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '../functions/services/context.ts';
import { exportDay, yesterdayInPakistan } from '../functions/services/export.ts';
import type { Store } from '../functions/store/store.ts';

export interface DailyExport {
  stop(): void;
}

export function startDailyExport(options: {
  store: Store;
  s3: S3Client;
  bucket: string;
  clock: Clock;
  /** How often to look whether a new day needs its export; an hour by default. */
  checkEveryMs?: number;
  log: (line: string) => void;
}): DailyExport {
  let exported: string | undefined;
  let running = false;
  const tick = async () => {
    const day = yesterdayInPakistan(options.clock());
    if (running || day === exported) return;
    running = true;
    try {
      const manifest = await exportDay(
        { outbox: options.store.feed, s3: options.s3, bucket: options.bucket },
        day,
      );
      exported = day;
      const counts = manifest.files.map((f) => `${f.records} ${f.type}`).join(', ');
      options.log(`daily export of ${day} written to s3://${options.bucket}/feed/${day}/ (${counts})`);
    } catch (error) {
      options.log(`daily export of ${day} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), options.checkEveryMs ?? 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
