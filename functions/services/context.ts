// What workflows are given rather than reach for: the time, and the operator's counters.

import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Actor } from '../store/records.ts';

/** The time; workflows never call `new Date()`, so tests and the local stack choose it. */
export type Clock = () => Date;

/** The numbers an operator watches, as EMF metrics in AWS. */
export type MetricsRecorder = Pick<Metrics, 'addMetric'>;

export const METRIC = {
  passesIssued: 'PassesIssued',
  /** An approval's transaction lost to a rival (counter moved, application decided, watchlist changed). */
  approvalRaceLost: 'ApprovalRaceLost',
  approvalRetriesExhausted: 'ApprovalRetriesExhausted',
  passesRevoked: 'PassesRevoked',
  watchlistHits: 'WatchlistHits',
  /** Each one a KMS signature with the trust root: a bundle is reused while fresh, so this stays low. */
  trustBundlesSigned: 'TrustBundlesSigned',
} as const;

export function count(metrics: MetricsRecorder, name: (typeof METRIC)[keyof typeof METRIC]): void {
  metrics.addMetric(name, MetricUnit.Count, 1);
}

/** Who decides on an application, and whether they may decide a watchlist hit. */
export interface Decider {
  actor: Actor;
  supervisor: boolean;
}

/** Who reads a record: FIA staff read every one, anyone else only their own. */
export interface Reader {
  sub: string;
  fia: boolean;
}
