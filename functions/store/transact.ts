// Transaction plumbing every aggregate shares: the table handle, transact, the status transition, the audit item
// and the one retry policy for writes that lose a race.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Actor, AuditEntry } from './records.ts';
import { keys, type TableKey } from './table.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The document client and the table name: what every aggregate of the store is built on. */
export interface Table {
  db: DynamoDBDocumentClient;
  name: string;
}

/** A conditional write lost: the item is not in the state the caller expected. */
export class StateConflict extends Error {
  override name = 'StateConflict';
  /** DynamoDB's cancellation reason per transaction item, in order ('None' where the item was fine). */
  readonly reasons: readonly string[];

  constructor(message: string, reasons: readonly string[] = []) {
    super(message);
    this.reasons = reasons;
  }
}

export async function transact(table: Table, items: TransactItem[]): Promise<void> {
  try {
    await table.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons?.map((r) => r.Code ?? 'None') ?? [];
      throw new StateConflict(`transaction cancelled: ${reasons.join(', ')}`, reasons);
    }
    throw error;
  }
}

/** The audit item of a state change: written in the same transaction, never overwriting another. */
export function auditItem(
  table: Table,
  entityPk: string,
  actor: Actor,
  action: string,
  at: string,
  detail?: Record<string, unknown>,
): TransactItem {
  const id = ulid();
  const entry: AuditEntry = { id, at, actor, action, entity: entityPk, ...(detail ? { detail } : {}) };
  return {
    Put: {
      TableName: table.name,
      Item: { ...keys.audit(entityPk, at, id), kind: 'AUDIT', ...entry },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/**
 * A status change of an item that moves only from one of `from`: the status, the officer-queue partition and
 * any other attributes set together, so a decision that lost a race changes nothing.
 */
export function transition(
  table: Table,
  key: TableKey,
  from: readonly string[],
  to: string,
  set: Record<string, unknown>,
): TransactItem {
  const names = Object.keys(set);
  return {
    Update: {
      TableName: table.name,
      Key: key,
      UpdateExpression: `SET ${['#s = :to', ...names.map((_, i) => `#a${i} = :a${i}`)].join(', ')}`,
      ConditionExpression: `#s IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      ExpressionAttributeNames: { '#s': 'status', ...Object.fromEntries(names.map((n, i) => [`#a${i}`, n])) },
      ExpressionAttributeValues: {
        ':to': to,
        ...Object.fromEntries(names.map((n, i) => [`:a${i}`, set[n]])),
        ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])),
      },
    },
  };
}

/** The one back-off for every write that lost a race (approval, revocation, watchlist change). */
export const RETRY_POLICY = { attempts: 8, baseDelayMs: 20 } as const;

/** Every attempt lost to concurrent writers: nothing is wrong with the request, so it is worth repeating. */
export class RetriesExhausted extends Error {
  override name = 'RetriesExhausted';
}

/**
 * Runs `attempt` until it returns, retrying only on StateConflict, with a random back-off that grows with each
 * round so rivals spread out. `onConflict` sees each lost round (and may throw to stop, e.g. a new watchlist hit).
 */
export async function retryOnConflict<T>(
  attempt: (round: number) => Promise<T>,
  onConflict: (conflict: StateConflict, round: number) => Promise<void> | void = () => undefined,
  policy: { attempts: number; baseDelayMs: number } = RETRY_POLICY,
): Promise<T> {
  for (let round = 0; round < policy.attempts; round++) {
    try {
      return await attempt(round);
    } catch (error) {
      if (!(error instanceof StateConflict)) throw error;
      await onConflict(error, round);
      if (round + 1 < policy.attempts) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * policy.baseDelayMs * (round + 1)));
      }
    }
  }
  throw new RetriesExhausted(`lost ${policy.attempts} rounds to concurrent writers`);
}

const KEY_ATTRS = [
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
  'GSI4PK',
  'GSI4SK',
  'kind',
];

/** An item as the table holds it, without its key and index attributes. */
export function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const copy = { ...item };
  for (const k of KEY_ATTRS) delete copy[k];
  return copy as T;
}

/** BatchGetItem's limit on the keys of one request. */
const BATCH_GET_KEYS = 100;

/**
 * The items of `keys` that exist (in no particular order), strongly consistent, a hundred keys a request; what the
 * table leaves unprocessed under load is asked for again after a growing pause.
 */
export async function batchGet(
  table: Table,
  itemKeys: readonly TableKey[],
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  const chunks: TableKey[][] = [];
  for (let i = 0; i < itemKeys.length; i += BATCH_GET_KEYS)
    chunks.push(itemKeys.slice(i, i + BATCH_GET_KEYS));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending: Record<string, unknown>[] = chunk.map((key) => ({ PK: key.PK, SK: key.SK }));
      for (let round = 0; pending.length > 0; round++) {
        if (round === 10) throw new Error('the table left keys of a batch read unprocessed 10 times');
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** round));
        const out = await table.db.send(
          new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending, ConsistentRead: true } } }),
        );
        found.push(...(out.Responses?.[table.name] ?? []));
        pending = (out.UnprocessedKeys?.[table.name]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }),
  );
  return found;
}
