// The deliverer's Lambda handler: a stream batch or a scheduled tick wakes it; either way it drains the outbox.
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { FEED_PENDING } from '../store/feed.ts';
import {
  type DeliveryOutcome,
  deliverFeed,
  FEED_METRIC,
  type FeedDependencies,
  feedBacklogAgeSeconds,
} from './feed.ts';

export interface DelivererDependencies extends Omit<FeedDependencies, 'metrics'> {
  logger: Logger;
  metrics: Metrics;
  /** How long one invocation keeps draining; below the function's timeout. */
  budgetMs: number;
  /** False while there is nowhere to send (the endpoint not yet set): entries then wait, pending, untried. */
  ready?: () => Promise<boolean>;
}

/** The stream is only a hint: a record matters if it queued an entry (the table's other writes are ignored). */
export function wakesDeliverer(event: unknown): boolean {
  const records = (event as Partial<DynamoDBStreamEvent> | undefined)?.Records;
  if (!Array.isArray(records)) return true;
  return records.some((record) => record.dynamodb?.NewImage?.GSI1PK?.S === FEED_PENDING);
}

export function createDelivererHandler(deps: DelivererDependencies) {
  return async (
    event: DynamoDBStreamEvent | Record<string, unknown>,
  ): Promise<DeliveryOutcome | undefined> => {
    if (!wakesDeliverer(event)) return undefined;
    if (deps.ready && !(await deps.ready())) {
      deps.logger.warn('the FIA endpoint is not set: feed entries wait, pending');
      return undefined;
    }
    try {
      const outcome = await deliverFeed(deps, deps.budgetMs);
      if (outcome.batchesSent + outcome.batchesFailed > 0) deps.logger.info('feed drained', { ...outcome });
      // Every drain reports the backlog's age, 0 when it is empty: the alarm tells a feed that keeps up from one
      // that falls behind (the Ministry down or refusing, more crossings than the drains carry).
      deps.metrics.addMetric(FEED_METRIC.backlogAge, MetricUnit.Seconds, await feedBacklogAgeSeconds(deps));
      return outcome;
    } finally {
      deps.metrics.publishStoredMetrics();
    }
  };
}
