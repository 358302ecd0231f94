// Bounded batch reads for the batch jobs: BatchGetItem a hundred keys at a time, unprocessed keys asked for again
// with a growing, jittered pause, and a worker pool that keeps at most N requests in flight.
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { TableKey } from './table.ts';
import type { Table } from './transact.ts';

/** BatchGetItem's limit on the keys of one request. */
export const MAX_BATCH_GET_KEYS = 100;

/** Rounds of unprocessed keys before the read gives up: the SDK has retried each request already. */
const UNPROCESSED_ROUNDS = 10;
const BASE_PAUSE_MS = 25;

/**
 * The items of at most a hundred `keys` that exist, in no particular order, eventually consistent (what the batch
 * jobs read never changes once written). DynamoDB may leave keys unprocessed under load: they go again after an
 * exponential pause with full jitter, so a throttled partition is not hammered.
 */
export async function batchGetAll(
  table: Table,
  keys: readonly TableKey[],
  projection: { ProjectionExpression: string; ExpressionAttributeNames?: Record<string, string> },
  random: () => number = Math.random,
): Promise<Record<string, unknown>[]> {
  if (keys.length > MAX_BATCH_GET_KEYS) throw new RangeError(`at most ${MAX_BATCH_GET_KEYS} keys a request`);
  const found: Record<string, unknown>[] = [];
  let pending: Record<string, unknown>[] = keys.map((key) => ({ PK: key.PK, SK: key.SK }));
  for (let round = 0; pending.length > 0; round++) {
    if (round === UNPROCESSED_ROUNDS)
      throw new Error(`the table left keys of a batch read unprocessed ${UNPROCESSED_ROUNDS} times`);
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, random() * BASE_PAUSE_MS * 2 ** round));
    const out = await table.db.send(
      new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending, ...projection } } }),
    );
    found.push(...(out.Responses?.[table.name] ?? []));
    pending = (out.UnprocessedKeys?.[table.name]?.Keys as Record<string, unknown>[] | undefined) ?? [];
  }
  return found;
}

/** Runs `work` on every item with at most `concurrency` at once; rejects with the first failure. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
