// The Ministry feed's outbox: entries queued in the write that stores their record, batches formed durably
// before they are sent, dead letters, and each Pakistan day's entries for the export.
//
// | access pattern                                 | where | key condition                                         |
// |------------------------------------------------|-------|-------------------------------------------------------|
// | entries waiting for a batch, oldest first      | GSI1  | GSI1PK=FEED#PENDING, GSI1SK=<queuedAt>#<type>#<id>    |
// | entries of a batch being sent                  | item  | the batch's `entries` (keys); GSI1PK=FEEDSENT#<id>    |
// | batches waiting to be sent or resent           | GSI1  | GSI1PK=FEEDBATCH#OPEN, GSI1SK=<createdAt>#<id>        |
// | dead-lettered batches                          | GSI1  | GSI1PK=FEEDBATCH#DEAD, GSI1SK=<createdAt>#<id>        |
// | a Pakistan day's entries, by type then id      | GSI2  | GSI2PK=FEED#<YYYY-MM-DD>, GSI2SK=<type>#<id>          |
//
// A crossing is its own entry (the marks sit on the crossing item, so the busiest write gains no item); every
// other record is an outbox item `PK=FEED#<type>#<id>, SK=FEED` put in the same transaction as its change.

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  FeedRecord,
  PassIssuedFeedRecord,
  PassRevokedFeedRecord,
  VesselChangeAction,
  VesselChangeFeedRecord,
} from '../../shared/feed-records.ts';
import { BATCH_CONCURRENCY } from '../limits.ts';
import { batchGetAll, inParallel, MAX_BATCH_GET_KEYS } from './batch-get.ts';
import type { Pass } from './records.ts';
import { pakistanDay, type TableKey } from './table.ts';
import { type Table, type TransactItem, transact } from './transact.ts';
import type { Vessel } from './vessels.ts';

export const FEED_PENDING = 'FEED#PENDING';
const FEED_SENT_PREFIX = 'FEEDSENT#';
const BATCH_OPEN = 'FEEDBATCH#OPEN';
const BATCH_DEAD = 'FEEDBATCH#DEAD';

/**
 * The attributes that queue an item for the feed: pending (GSI1, ordered by when it was queued) and its Pakistan
 * day (GSI2). Only index keys, so what the API returns of a crossing (without its keys) does not change.
 */
export function feedMarks(type: FeedRecord['type'], id: string, queuedAt: string) {
  return {
    GSI1PK: FEED_PENDING,
    GSI1SK: `${queuedAt}#${type}#${id}`,
    GSI2PK: feedDayPk(pakistanDay(queuedAt)),
    GSI2SK: `${type}#${id}`,
  };
}

export function feedDayPk(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a YYYY-MM-DD day: ${day}`);
  return `FEED#${day}`;
}

/** The outbox item of a record other than a crossing, put in the transaction that stores the change. */
export function outboxItem(table: Table, record: FeedRecord, queuedAt: string): TransactItem {
  return {
    Put: {
      TableName: table.name,
      Item: {
        PK: `FEED#${record.type}#${record.id}`,
        SK: 'FEED',
        kind: 'FEED',
        record,
        ...feedMarks(record.type, record.id, queuedAt),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export function passIssuedRecord(pass: Pass): PassIssuedFeedRecord {
  return {
    type: 'pass-issued',
    id: `${pass.number}:issued`,
    number: pass.number,
    passType: pass.passType,
    cnic: pass.cnic,
    name: pass.name,
    fatherName: pass.fatherName,
    crossingPoints: [...pass.crossingPoints],
    validFrom: pass.validFrom,
    validUntil: pass.validUntil,
    issuedAt: pass.issuedAt,
    ...(pass.group ? { group: pass.group } : {}),
  };
}

export function passRevokedRecord(pass: Pass, at: string, reason: string): PassRevokedFeedRecord {
  return {
    type: 'pass-revoked',
    id: `${pass.number}:revoked`,
    number: pass.number,
    cnic: pass.cnic,
    at,
    reason,
  };
}

/** `action` is the audit action (VESSEL_RENEWED, …); `id` a ULID made for the change. */
export function vesselChangeRecord(
  id: string,
  vessel: Vessel,
  action: string,
  at: string,
  reason?: string,
): VesselChangeFeedRecord {
  return {
    type: 'vessel-change',
    id,
    action: action.replace(/^VESSEL_/, '') as VesselChangeAction,
    at,
    officialNumber: vessel.officialNumber,
    status: vessel.status,
    name: vessel.name,
    homePort: vessel.homePort,
    owner: { cnic: vessel.owner.cnic, name: vessel.owner.name, fatherName: vessel.owner.fatherName },
    maxCrew: vessel.maxCrew,
    licenceValidUntil: vessel.licenceValidUntil,
    certificate: { serial: vessel.certificate.serial, exp: vessel.certificate.exp },
    ...(reason ? { reason } : {}),
  };
}

/** A queued entry as the table holds it: a crossing item or an outbox item. */
export interface FeedEntry {
  key: TableKey;
  queuedAt: string;
  item: Record<string, unknown>;
}

export type FeedBatchStatus = 'OPEN' | 'DEAD';

/** A batch formed before it is sent: its entries, the signed body and where its delivery stands. */
export interface FeedBatch {
  deliveryId: string;
  entries: TableKey[];
  records: number;
  /** The compact JWS as sent: a resend carries the very same bytes. */
  jws: string;
  createdAt: string;
  oldestQueuedAt: string;
  /** Attempts started so far, this one included once leased. */
  attempts: number;
  /** No deliverer touches the batch before this: a lease while one sends, the back-off after a failure. */
  nextAttemptAt: string;
  status: FeedBatchStatus;
  lastError?: string;
  deadAt?: string;
}

export interface FeedStatus {
  pending: number;
  oldestPendingAt?: string;
  openBatches: number;
  deadBatches: FeedBatch[];
  /** The oldest entry not yet delivered, pending or in a batch (dead ones included). */
  oldestUndeliveredAt?: string;
}

export interface Holder {
  cnic: string;
  name: string;
  fatherName: string;
}

/** Entry ids from `from` (included) to `to` (excluded), as strings compare: one segment of a day's index. */
export interface IdRange {
  from: string;
  to: string;
}

export interface FeedOutbox {
  /** Up to `limit` entries waiting for a batch, oldest first. */
  pending(limit: number): Promise<FeedEntry[]>;
  /** The holder of each pass number given that exists. */
  holders(passNumbers: readonly string[]): Promise<Map<string, Holder>>;
  /**
   * Stores the batch and moves its entries out of the pending set in one transaction; a StateConflict names the
   * entries (reason index - 1) another batch took first.
   */
  claim(batch: FeedBatch): Promise<void>;
  /** Open batches (due or not), oldest first. */
  openBatches(): Promise<FeedBatch[]>;
  /** Takes an open batch for one attempt if it is still at `seen` attempts and due; the batch as leased. */
  lease(deliveryId: string, seen: number, now: string, until: string): Promise<FeedBatch | undefined>;
  /** The receiver took it: the entries leave the outbox and the batch is gone. False if it already was. */
  complete(batch: FeedBatch): Promise<boolean>;
  retryLater(deliveryId: string, nextAttemptAt: string, error: string): Promise<void>;
  deadLetter(deliveryId: string, at: string, error: string): Promise<void>;
  /** A dead batch goes back to open, due now, with its attempts counted afresh; false if no such dead batch. */
  redrive(deliveryId: string, at: string): Promise<boolean>;
  deadBatches(): Promise<FeedBatch[]>;
  status(): Promise<FeedStatus>;
  /**
   * When the oldest entry still waiting for delivery was queued: pending, or in an open batch (retrying). Dead
   * batches are left out: they have their own alarm and wait for an operator. Two small reads, whatever the backlog.
   */
  oldestWaiting(): Promise<string | undefined>;
  /**
   * The entries of one record type queued on a Pakistan day, by id, a Query page (up to 1 MB) at a time: the
   * export holds one page, never the day.
   */
  dayPages(day: string, type: FeedRecord['type'], ids?: IdRange): AsyncIterable<FeedEntry[]>;
}

/** DynamoDB's limit on the items of one TransactWriteItems: a batch item and 99 entries. */
export const MAX_BATCH_ENTRIES = 99;

function batchOf(item: Record<string, unknown>): FeedBatch {
  return {
    deliveryId: item.deliveryId as string,
    entries: (item.entries as TableKey[] | undefined) ?? [],
    records: item.records as number,
    jws: (item.jws as string | undefined) ?? '',
    createdAt: item.createdAt as string,
    oldestQueuedAt: item.oldestQueuedAt as string,
    attempts: item.attempts as number,
    nextAttemptAt: item.nextAttemptAt as string,
    status: item.GSI1PK === BATCH_DEAD ? 'DEAD' : 'OPEN',
    ...(typeof item.lastError === 'string' ? { lastError: item.lastError } : {}),
    ...(typeof item.deadAt === 'string' ? { deadAt: item.deadAt } : {}),
  };
}

const batchKey = (deliveryId: string): TableKey => ({ PK: `FEEDBATCH#${deliveryId}`, SK: 'FEEDBATCH' });

function entryOf(item: Record<string, unknown>): FeedEntry {
  const queuedAt = typeof item.GSI1SK === 'string' ? (item.GSI1SK.split('#')[0] as string) : '';
  return { key: { PK: item.PK as string, SK: item.SK as string }, queuedAt, item };
}

/** Pass holders kept per store: a busy post sees a few thousand holders a week. */
const HOLDER_CACHE_SIZE = 20_000;

export function feedOutbox(table: Table): FeedOutbox {
  const holderCache = new Map<string, Holder>();
  const queryAll = async (input: {
    index?: string;
    condition: string;
    values: Record<string, unknown>;
    projection?: string;
    names?: Record<string, string>;
  }) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await table.db.send(
        new QueryCommand({
          TableName: table.name,
          ...(input.index ? { IndexName: input.index } : {}),
          KeyConditionExpression: input.condition,
          ExpressionAttributeValues: input.values,
          ...(input.projection ? { ProjectionExpression: input.projection } : {}),
          ...(input.names ? { ExpressionAttributeNames: input.names } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const batches = async (partition: string, withBody: boolean) =>
    (
      await queryAll({
        index: 'GSI1',
        condition: 'GSI1PK = :p',
        values: { ':p': partition },
        // The signed bodies stay behind when only the figures are wanted.
        ...(withBody
          ? {}
          : {
              projection:
                'PK, SK, GSI1PK, deliveryId, #r, createdAt, oldestQueuedAt, attempts, nextAttemptAt, lastError, deadAt',
              names: { '#r': 'records' },
            }),
      })
    ).map(batchOf);
  const update = async (input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> => {
    try {
      await table.db.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  const pending = async (limit: number) => {
    const out = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :p',
        ExpressionAttributeValues: { ':p': FEED_PENDING },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(entryOf);
  };

  return {
    pending,
    // BatchGetItem of the passes not seen before, 100 keys a request and BATCH_CONCURRENCY requests at once, so a
    // page of a million-crossing day never opens a socket per holder. A pass's holder never changes, so what was
    // read stays in this store (per container) and a holder crossing again costs nothing.
    async holders(passNumbers) {
      const found = new Map<string, Holder>();
      const missing: string[] = [];
      for (const no of new Set(passNumbers)) {
        const known = holderCache.get(no);
        if (known) found.set(no, known);
        else missing.push(no);
      }
      const chunks: string[][] = [];
      for (let i = 0; i < missing.length; i += MAX_BATCH_GET_KEYS)
        chunks.push(missing.slice(i, i + MAX_BATCH_GET_KEYS));
      await inParallel(chunks, BATCH_CONCURRENCY, async (chunk) => {
        for (const item of await batchGetAll(
          table,
          chunk.map((no) => ({ PK: `PASS#${no}`, SK: 'PASS' })),
          {
            ProjectionExpression: 'PK, cnic, #n, fatherName',
            ExpressionAttributeNames: { '#n': 'name' },
          },
        )) {
          const no = (item.PK as string).slice('PASS#'.length);
          const holder = {
            cnic: item.cnic as string,
            name: item.name as string,
            fatherName: item.fatherName as string,
          };
          if (holderCache.size >= HOLDER_CACHE_SIZE) holderCache.clear();
          holderCache.set(no, holder);
          found.set(no, holder);
        }
      });
      return found;
    },

    async claim(batch) {
      await transact(table, [
        {
          Put: {
            TableName: table.name,
            Item: {
              ...batchKey(batch.deliveryId),
              kind: 'FEEDBATCH',
              GSI1PK: BATCH_OPEN,
              GSI1SK: `${batch.createdAt}#${batch.deliveryId}`,
              deliveryId: batch.deliveryId,
              entries: batch.entries,
              records: batch.records,
              jws: batch.jws,
              createdAt: batch.createdAt,
              oldestQueuedAt: batch.oldestQueuedAt,
              attempts: batch.attempts,
              nextAttemptAt: batch.nextAttemptAt,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        ...batch.entries.map(
          (key): TransactItem => ({
            Update: {
              TableName: table.name,
              Key: key,
              UpdateExpression: 'SET GSI1PK = :sent',
              ConditionExpression: 'GSI1PK = :pending',
              ExpressionAttributeValues: {
                ':sent': `${FEED_SENT_PREFIX}${batch.deliveryId}`,
                ':pending': FEED_PENDING,
              },
            },
          }),
        ),
      ]);
    },

    openBatches: () => batches(BATCH_OPEN, false),
    deadBatches: () => batches(BATCH_DEAD, false),

    async lease(deliveryId, seen, now, until) {
      try {
        const out = await table.db.send(
          new UpdateCommand({
            TableName: table.name,
            Key: batchKey(deliveryId),
            UpdateExpression: 'SET attempts = :next, nextAttemptAt = :until',
            ConditionExpression: 'GSI1PK = :open AND attempts = :seen AND nextAttemptAt <= :now',
            ExpressionAttributeValues: {
              ':next': seen + 1,
              ':until': until,
              ':open': BATCH_OPEN,
              ':seen': seen,
              ':now': now,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return out.Attributes ? batchOf(out.Attributes) : undefined;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      }
    },

    async complete(batch) {
      try {
        await transact(table, [
          {
            Delete: {
              TableName: table.name,
              Key: batchKey(batch.deliveryId),
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
          ...batch.entries.map(
            (key): TransactItem => ({
              Update: {
                TableName: table.name,
                Key: key,
                UpdateExpression: 'REMOVE GSI1PK, GSI1SK',
              },
            }),
          ),
        ]);
        return true;
      } catch (error) {
        if (error instanceof Error && error.name === 'StateConflict') return false;
        throw error;
      }
    },

    async retryLater(deliveryId, nextAttemptAt, error) {
      await update({
        TableName: table.name,
        Key: batchKey(deliveryId),
        UpdateExpression: 'SET nextAttemptAt = :next, lastError = :error',
        ConditionExpression: 'GSI1PK = :open',
        ExpressionAttributeValues: { ':next': nextAttemptAt, ':error': error, ':open': BATCH_OPEN },
      });
    },

    async deadLetter(deliveryId, at, error) {
      await update({
        TableName: table.name,
        Key: batchKey(deliveryId),
        UpdateExpression: 'SET GSI1PK = :dead, lastError = :error, deadAt = :at',
        ConditionExpression: 'GSI1PK = :open',
        ExpressionAttributeValues: { ':dead': BATCH_DEAD, ':error': error, ':at': at, ':open': BATCH_OPEN },
      });
    },

    redrive: (deliveryId, at) =>
      update({
        TableName: table.name,
        Key: batchKey(deliveryId),
        UpdateExpression: 'SET GSI1PK = :open, attempts = :zero, nextAttemptAt = :at, redrivenAt = :at',
        ConditionExpression: 'GSI1PK = :dead',
        ExpressionAttributeValues: { ':open': BATCH_OPEN, ':zero': 0, ':at': at, ':dead': BATCH_DEAD },
      }),

    async status() {
      let waiting = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :p',
            ExpressionAttributeValues: { ':p': FEED_PENDING },
            Select: 'COUNT',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        waiting += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      const [oldest] = await pending(1);
      const open = await batches(BATCH_OPEN, false);
      const dead = await batches(BATCH_DEAD, false);
      const times = [
        oldest?.queuedAt,
        ...open.map((b) => b.oldestQueuedAt),
        ...dead.map((b) => b.oldestQueuedAt),
      ]
        .filter((t): t is string => typeof t === 'string')
        .sort();
      return {
        pending: waiting,
        ...(oldest ? { oldestPendingAt: oldest.queuedAt } : {}),
        openBatches: open.length,
        deadBatches: dead,
        ...(times[0] ? { oldestUndeliveredAt: times[0] } : {}),
      };
    },

    async oldestWaiting() {
      const [[oldest], open] = await Promise.all([pending(1), batches(BATCH_OPEN, false)]);
      return [oldest?.queuedAt, ...open.map((b) => b.oldestQueuedAt)]
        .filter((t): t is string => typeof t === 'string' && t !== '')
        .sort()[0];
    },

    async *dayPages(day, type, ids) {
      const upTo = ids ? `${type}#${ids.to}` : undefined;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: 'GSI2',
            ...(ids
              ? {
                  // BETWEEN includes its upper bound; an entry exactly there belongs to the next range, dropped below.
                  KeyConditionExpression: 'GSI2PK = :p AND GSI2SK BETWEEN :from AND :to',
                  ExpressionAttributeValues: {
                    ':p': feedDayPk(day),
                    ':from': `${type}#${ids.from}`,
                    ':to': upTo,
                  },
                }
              : {
                  KeyConditionExpression: 'GSI2PK = :p AND begins_with(GSI2SK, :t)',
                  ExpressionAttributeValues: { ':p': feedDayPk(day), ':t': `${type}#` },
                }),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        const entries = (out.Items ?? []).filter((item) => item.GSI2SK !== upTo).map(entryOf);
        start = out.LastEvaluatedKey;
        if (entries.length > 0) yield entries;
      } while (start);
    },
  };
}

/** A batch as stored, read strongly consistent (tests and the redrive answer). */
export async function readBatch(table: Table, deliveryId: string): Promise<FeedBatch | undefined> {
  const out = await table.db.send(
    new GetCommand({ TableName: table.name, Key: batchKey(deliveryId), ConsistentRead: true }),
  );
  return out.Item ? batchOf(out.Item) : undefined;
}
