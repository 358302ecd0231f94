// The exporter's Lambda handler: the 01:00 run exports yesterday (or a day asked for), the 07:00 run checks that
// yesterday's manifest is there; each reports what happened as a metric the alarms watch.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Clock } from './context.ts';
import {
  type ExportDependencies,
  type ExportManifest,
  exportDay,
  isExportDay,
  manifestExists,
  yesterdayInPakistan,
} from './export.ts';

export const EXPORT_METRIC = {
  /** 1 for each day exported whole, manifest included. */
  succeeded: 'FeedExportSucceeded',
  /** Records written by a successful export, all files together. */
  records: 'FeedExportRecords',
  /** How long a successful export took. */
  seconds: 'FeedExportSeconds',
  /** The 07:00 check: 1 when yesterday has no manifest, 0 when it has one. */
  missing: 'FeedExportMissing',
} as const;

/** `{ "day": "YYYY-MM-DD" }` exports that day again; `{ "check": "manifest" }` is the 07:00 check. */
export interface ExporterEvent {
  day?: unknown;
  check?: unknown;
}

export interface ExporterDependencies extends Omit<ExportDependencies, 'progress'> {
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

export type ExporterResult = ExportManifest | { day: string; manifest: boolean };

export function createExporterHandler(deps: ExporterDependencies) {
  return async (event: ExporterEvent | undefined): Promise<ExporterResult> => {
    const day = event?.day === undefined ? yesterdayInPakistan(deps.clock()) : event.day;
    try {
      if (typeof day !== 'string' || !isExportDay(day))
        throw new RangeError(`the event's day must be a day as YYYY-MM-DD, not ${JSON.stringify(day)}`);
      if (event?.check === 'manifest') {
        const present = await manifestExists(deps, day);
        deps.metrics.addMetric(EXPORT_METRIC.missing, MetricUnit.Count, present ? 0 : 1);
        if (!present) deps.logger.error('the daily export has no manifest', { day });
        return { day, manifest: present };
      }
      const started = deps.clock().getTime();
      const manifest = await exportDay(deps, day);
      const records = manifest.files.reduce((sum, f) => sum + f.records, 0);
      deps.metrics.addMetric(EXPORT_METRIC.succeeded, MetricUnit.Count, 1);
      deps.metrics.addMetric(EXPORT_METRIC.records, MetricUnit.Count, records);
      deps.metrics.addMetric(
        EXPORT_METRIC.seconds,
        MetricUnit.Seconds,
        (deps.clock().getTime() - started) / 1000,
      );
      deps.logger.info('feed exported', { day, files: manifest.files.map((f) => [f.type, f.records]) });
      return manifest;
    } catch (error) {
      // Logged with the day, then thrown: the invocation fails, which the Errors alarm and the schedule's retries see.
      deps.logger.error('the daily export failed', { day: String(day), error: error as Error });
      throw error;
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}
