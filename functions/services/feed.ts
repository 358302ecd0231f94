// Delivery of the Ministry feed: turns queued entries into records, forms and signs batches durably, sends them,
// retries with back-off and jitter, dead-letters after the limit, and redrives on request.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ulid } from 'ulid';
import {
  type AnomalyFeedRecord,
  type CrossingFeedRecord,
  compareRecords,
  FEED_JWS_TYPE,
  type FeedRecord,
  toNdjson,
} from '../../shared/feed-records.ts';
import type { Signer } from '../../shared/keys.ts';
import type { Crossing } from '../store/crossings.ts';
import {
  type FeedBatch,
  type FeedEntry,
  type FeedOutbox,
  type Holder,
  MAX_BATCH_ENTRIES,
} from '../store/feed.ts';
import { StateConflict } from '../store/transact.ts';
import type { Clock, MetricsRecorder } from './context.ts';

/** Where signed batches go: the Ministry's endpoint, or a directory when none is configured. */
export interface FeedTransport {
  /** Resolves when the receiver took the batch; throws with a one-line reason (never a secret) otherwise. */
  send(deliveryId: string, jws: string): Promise<void>;
}

export interface DeliveryPolicy {
  /** Attempts before a batch is dead-lettered. */
  maxAttempts: number;
  /** The first back-off; each further failure doubles it, up to maxDelayMs, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long one attempt holds a batch: longer than the transport's request timeout. */
  leaseMs: number;
  /** Entries per batch (a transaction holds the batch and at most 99 entries). */
  batchEntries: number;
  /** NDJSON bytes per batch, so a signed batch fits one table item (400 KB) with room to spare. */
  batchBytes: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
  leaseMs: 60_000,
  batchEntries: MAX_BATCH_ENTRIES,
  batchBytes: 256 * 1024,
};

export const FEED_METRIC = {
  delivered: 'FeedRecordsDelivered',
  batchFailed: 'FeedBatchFailed',
  deadLettered: 'FeedBatchDeadLettered',
  /** After each drain: how long the oldest entry still waiting (pending or retrying) has waited; 0 when none. */
  backlogAge: 'FeedBacklogAgeSeconds',
} as const;

/** The age of the feed's backlog, in whole seconds: what FEED_METRIC.backlogAge reports and its alarm watches. */
export async function feedBacklogAgeSeconds(
  deps: Pick<FeedDependencies, 'outbox' | 'clock'>,
): Promise<number> {
  const oldest = await deps.outbox.oldestWaiting();
  if (!oldest) return 0;
  return Math.max(0, Math.round((deps.clock().getTime() - Date.parse(oldest)) / 1000));
}

export interface FeedDependencies {
  outbox: FeedOutbox;
  /** The feed-signing key (KMS in AWS, the key directory locally). */
  signer: () => Promise<Signer>;
  transport: FeedTransport;
  clock: Clock;
  metrics: MetricsRecorder;
  policy?: Partial<DeliveryPolicy>;
}

export interface DeliveryOutcome {
  delivered: number;
  batchesSent: number;
  batchesFailed: number;
  deadLettered: number;
}

/** The records of queued entries: a crossing yields itself and one record per anomaly. */
export async function recordsOf(outbox: FeedOutbox, entries: readonly FeedEntry[]): Promise<FeedRecord[]> {
  const passNumbers = entries
    .filter((e) => e.item.kind === 'CROSSING' && (e.item.credentialPk as string).startsWith('PASS#'))
    .map((e) => (e.item.credentialPk as string).slice('PASS#'.length));
  const holders = passNumbers.length > 0 ? await outbox.holders(passNumbers) : new Map<string, Holder>();
  return entries.flatMap((entry) => {
    if (entry.item.kind === 'CROSSING') return crossingRecords(entry.item as unknown as Crossing, holders);
    return [entry.item.record as FeedRecord];
  });
}

function crossingRecords(crossing: Crossing, holders: Map<string, Holder>): FeedRecord[] {
  const isPass = crossing.credentialPk.startsWith('PASS#');
  const holder = isPass ? holders.get(crossing.credentialPk.slice('PASS#'.length)) : undefined;
  const record: CrossingFeedRecord = {
    type: 'crossing',
    id: crossing.id,
    at: crossing.at,
    receivedAt: crossing.receivedAt,
    checkpoint: crossing.checkpoint,
    direction: crossing.direction,
    credentialKind: isPass ? 'pass' : 'vessel',
    credential: crossing.credential,
    ...(holder ? { cnic: holder.cnic, name: holder.name, fatherName: holder.fatherName } : {}),
    ...(crossing.crew ? { crew: { count: crossing.crew.count, cnics: [...crossing.crew.cnics] } } : {}),
    deviceVerdict: crossing.deviceVerdict,
    serverVerdict: crossing.serverVerdict,
    ...(crossing.override ? { override: { reason: crossing.override.reason } } : {}),
    officer: crossing.officer,
    device: crossing.device,
    postedBy: { sub: crossing.postedBy.sub, role: crossing.postedBy.role },
    ...(crossing.trustVersion !== undefined ? { trustVersion: crossing.trustVersion } : {}),
    anomalies: crossing.anomalies.map((a) => a.type),
  };
  const anomalies = crossing.anomalies.map(
    (a): AnomalyFeedRecord => ({
      type: 'anomaly',
      id: `${crossing.id}:${a.type}`,
      crossingId: crossing.id,
      kind: a.type,
      at: crossing.at,
      checkpoint: crossing.checkpoint,
      credential: crossing.credential,
      detail: a.detail,
      ...(a.cnics && a.cnics.length > 0 ? { cnics: [...a.cnics] } : {}),
    }),
  );
  return [record, ...anomalies];
}

const encoder = new TextEncoder();

/** The batch as a compact JWS: ES256, typ rahdari-feed+jws, the delivery id in the protected header. */
export async function signBatch(signer: Signer, deliveryId: string, ndjson: string): Promise<string> {
  const header = { alg: 'ES256', kid: signer.kid, typ: FEED_JWS_TYPE, delivery: deliveryId };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(ndjson).toString('base64url')}`;
  const signature = await signer.sign(encoder.encode(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

/** Exponential back-off with equal jitter: half the step for sure, the other half at random. */
export function backoffMs(
  policy: DeliveryPolicy,
  attempts: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * One drain of the outbox: resend the open batches that are due, then form and send new batches while the
 * receiver takes them and time is left. A batch that fails waits for its back-off; while one waits no new batch
 * is formed, so an outage piles entries up as pending rather than as many batches burning their attempts.
 */
export async function deliverFeed(deps: FeedDependencies, budgetMs: number): Promise<DeliveryOutcome> {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
  const outcome: DeliveryOutcome = { delivered: 0, batchesSent: 0, batchesFailed: 0, deadLettered: 0 };
  const deadline = deps.clock().getTime() + budgetMs;
  let blocked = false;

  const attempt = async (batch: FeedBatch): Promise<boolean> => {
    try {
      await deps.transport.send(batch.deliveryId, batch.jws);
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const now = deps.clock();
      outcome.batchesFailed++;
      deps.metrics.addMetric(FEED_METRIC.batchFailed, MetricUnit.Count, 1);
      if (batch.attempts >= policy.maxAttempts) {
        await deps.outbox.deadLetter(batch.deliveryId, now.toISOString(), reason);
        outcome.deadLettered++;
        deps.metrics.addMetric(FEED_METRIC.deadLettered, MetricUnit.Count, 1);
      } else {
        const next = new Date(now.getTime() + backoffMs(policy, batch.attempts));
        await deps.outbox.retryLater(batch.deliveryId, next.toISOString(), reason);
      }
      return false;
    }
    if (await deps.outbox.complete(batch)) {
      outcome.delivered += batch.records;
      outcome.batchesSent++;
      deps.metrics.addMetric(FEED_METRIC.delivered, MetricUnit.Count, batch.records);
    }
    return true;
  };

  for (const open of await deps.outbox.openBatches()) {
    if (deps.clock().getTime() >= deadline) return outcome;
    const now = deps.clock();
    if (open.nextAttemptAt > now.toISOString()) {
      blocked = true;
      continue;
    }
    const leased = await deps.outbox.lease(
      open.deliveryId,
      open.attempts,
      now.toISOString(),
      new Date(now.getTime() + policy.leaseMs).toISOString(),
    );
    if (leased && !(await attempt(leased))) blocked = true;
  }

  while (!blocked && deps.clock().getTime() < deadline) {
    const batch = await formBatch(deps, policy);
    if (!batch) break;
    if (!(await attempt(batch))) blocked = true;
  }
  return outcome;
}

/** Claims the oldest pending entries as a new batch, leased for its first attempt; undefined when none wait. */
async function formBatch(deps: FeedDependencies, policy: DeliveryPolicy): Promise<FeedBatch | undefined> {
  let entries = await deps.outbox.pending(Math.min(policy.batchEntries, MAX_BATCH_ENTRIES));
  const signer = await deps.signer();
  // A few rounds: the index may still list entries another deliverer took a moment ago.
  for (let round = 0; round < 4 && entries.length > 0; round++) {
    let records = (await recordsOf(deps.outbox, entries)).sort(compareRecords);
    let ndjson = toNdjson(records);
    while (entries.length > 1 && Buffer.byteLength(ndjson) > policy.batchBytes) {
      entries = entries.slice(0, Math.ceil(entries.length / 2));
      records = (await recordsOf(deps.outbox, entries)).sort(compareRecords);
      ndjson = toNdjson(records);
    }
    const now = deps.clock();
    const deliveryId = ulid(now.getTime());
    const batch: FeedBatch = {
      deliveryId,
      entries: entries.map((e) => e.key),
      records: records.length,
      jws: await signBatch(signer, deliveryId, ndjson),
      createdAt: now.toISOString(),
      oldestQueuedAt: entries.map((e) => e.queuedAt).sort()[0] ?? now.toISOString(),
      attempts: 1,
      nextAttemptAt: new Date(now.getTime() + policy.leaseMs).toISOString(),
      status: 'OPEN',
    };
    try {
      await deps.outbox.claim(batch);
      return batch;
    } catch (error) {
      if (!(error instanceof StateConflict)) throw error;
      // Reason 0 is the batch item; entry i is reason i + 1. Those whose condition failed are taken already.
      entries = entries.filter((_, i) => error.reasons[i + 1] !== 'ConditionalCheckFailed');
    }
  }
  return undefined;
}

export class NoSuchDeadBatch extends Error {
  override name = 'NoSuchDeadBatch';
}

/** Sends dead batches again: one by delivery id, or every one. The delivery id stays, so receivers drop repeats. */
export async function redriveFeed(
  deps: Pick<FeedDependencies, 'outbox' | 'clock'>,
  deliveryId?: string,
): Promise<string[]> {
  const at = deps.clock().toISOString();
  if (deliveryId !== undefined) {
    if (!(await deps.outbox.redrive(deliveryId, at))) throw new NoSuchDeadBatch(deliveryId);
    return [deliveryId];
  }
  const redriven: string[] = [];
  for (const batch of await deps.outbox.deadBatches()) {
    if (await deps.outbox.redrive(batch.deliveryId, at)) redriven.push(batch.deliveryId);
  }
  return redriven;
}

export interface FeedStatusView {
  pending: number;
  openBatches: number;
  deadBatches: {
    deliveryId: string;
    records: number;
    attempts: number;
    lastError?: string;
    deadAt?: string;
  }[];
  oldestUndeliveredAt?: string;
  oldestUndeliveredAgeSeconds?: number;
}

export async function feedStatus(deps: Pick<FeedDependencies, 'outbox' | 'clock'>): Promise<FeedStatusView> {
  const status = await deps.outbox.status();
  const now = deps.clock().getTime();
  return {
    pending: status.pending,
    openBatches: status.openBatches,
    deadBatches: status.deadBatches.map((b) => ({
      deliveryId: b.deliveryId,
      records: b.records,
      attempts: b.attempts,
      ...(b.lastError ? { lastError: b.lastError } : {}),
      ...(b.deadAt ? { deadAt: b.deadAt } : {}),
    })),
    ...(status.oldestUndeliveredAt
      ? {
          oldestUndeliveredAt: status.oldestUndeliveredAt,
          oldestUndeliveredAgeSeconds: Math.max(
            0,
            Math.round((now - Date.parse(status.oldestUndeliveredAt)) / 1000),
          ),
        }
      : {}),
  };
}
