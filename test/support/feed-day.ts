// A Pakistan day of crossings at volume for the export and feed tests and benchmarks: the items the crossings store
// writes, built here and stored with BatchWriteItem (25 a request, several requests at once, unprocessed items sent
// again), so 30,000 crossings take seconds rather than the minutes a transaction per 50 takes.
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { counterItem } from '../../functions/store/aggregates.ts';
import type { Crossing } from '../../functions/store/crossings.ts';
import { type FeedEntry, type FeedOutbox, feedMarks } from '../../functions/store/feed.ts';
import { keys, pakistanDay } from '../../functions/store/table.ts';
import type { Table } from '../../functions/store/transact.ts';
import { FEED_RECORD_TYPES } from '../../shared/feed-records.ts';

/** BatchWriteItem's limit on the items of one request. */
const BATCH_WRITE_ITEMS = 25;

export interface FeedDayOptions {
  /** Pakistan day, YYYY-MM-DD. */
  day: string;
  crossings: number;
  /** Distinct pass holders the crossings are spread over. */
  holders: number;
  /** Every n-th crossing carries a DOUBLE_OUT anomaly (0: none). */
  anomalyEvery?: number;
  checkpoints?: readonly string[];
}

export const passNumberOf = (holder: number) => `BP-2026-${String(holder + 1).padStart(6, '0')}`;

/** The `i`-th crossing of the day: times spread over the day in Pakistan, holders and posts in turn. */
export function dayCrossing(options: FeedDayOptions, i: number): Crossing {
  const checkpoints = options.checkpoints ?? ['TFT', 'RJY', 'MSK', 'CDG', 'MND', 'GBD'];
  const start = Date.parse(`${options.day}T00:00:00+05:00`);
  const at = new Date(start + Math.floor((i * 86_000_000) / Math.max(1, options.crossings)));
  const no = passNumberOf(i % options.holders);
  const anomalous = options.anomalyEvery ? i % options.anomalyEvery === options.anomalyEvery - 1 : false;
  return {
    id: ulid(at.getTime()),
    credentialPk: `PASS#${no}`,
    credential: no,
    credentialKind: 'bp',
    checkpoint: checkpoints[i % checkpoints.length] as string,
    direction: Math.floor(i / options.holders) % 2 ? 'IN' : 'OUT',
    at: at.toISOString(),
    officer: 'fc-taftan-1',
    device: 'taftan-phone-1',
    deviceVerdict: 'VALID',
    serverVerdict: 'VALID',
    anomalies: anomalous
      ? [{ type: 'DOUBLE_OUT', detail: 'OUT again without an IN since the last OUT' }]
      : [],
    postedBy: { sub: 'fc-taftan-1', role: 'checkpoint-officer' },
    receivedAt: at.toISOString(),
  };
}

/** The crossing item as store/crossings.ts writes it: its keys, the checkpoint-day index and the feed marks. */
export function crossingItem(crossing: Crossing): Record<string, unknown> {
  return {
    ...keys.crossing(crossing.credentialPk, crossing.at, crossing.id),
    ...keys.checkpointDayIndex(crossing.checkpoint, crossing.at, crossing.id),
    ...feedMarks('crossing', crossing.id, crossing.receivedAt),
    kind: 'CROSSING',
    ...crossing,
  };
}

/** The anomaly items beside a crossing, in the day's anomaly partition of GSI1 (what the reports read). */
export function anomalyItems(crossing: Crossing): Record<string, unknown>[] {
  return crossing.anomalies.map((anomaly) => ({
    PK: crossing.credentialPk,
    SK: `A#${crossing.at}#${crossing.id}#${anomaly.type}`,
    GSI1PK: `ANOMALY#${pakistanDay(crossing.at)}`,
    GSI1SK: `${crossing.at}#${crossing.id}#${anomaly.type}`,
    kind: 'ANOMALY',
    crossingId: crossing.id,
    credential: crossing.credential,
    checkpoint: crossing.checkpoint,
    at: crossing.at,
    ...anomaly,
  }));
}

/** A pass item with what the feed reads of it: the holder. */
export function holderPassItem(holder: number): Record<string, unknown> {
  const no = passNumberOf(holder);
  return {
    ...keys.pass(no),
    kind: 'PASS',
    number: no,
    cnic: `54101${String(holder).padStart(7, '0')}3`,
    name: `Holder ${holder}`,
    fatherName: `Father of ${holder}`,
  };
}

/** Puts every item, 25 a request and `concurrency` requests at once; what DynamoDB leaves unprocessed goes again. */
export async function putAll(
  table: Table,
  items: Iterable<Record<string, unknown>>,
  concurrency = 8,
): Promise<number> {
  const iterator = items[Symbol.iterator]();
  let written = 0;
  const take = (): Record<string, unknown>[] => {
    const batch: Record<string, unknown>[] = [];
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      batch.push(next.value);
      if (batch.length === BATCH_WRITE_ITEMS) break;
    }
    return batch;
  };
  const worker = async () => {
    for (let batch = take(); batch.length > 0; batch = take()) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let round = 0; requests.length > 0; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** Math.min(round, 6)));
        const out = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.name]: requests } }));
        requests = (out.UnprocessedItems?.[table.name] ?? []) as typeof requests;
      }
      written += batch.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return written;
}

/** Stores the day's crossings (with their anomaly items) and their holders' passes; the crossings as stored. */
export async function seedFeedDay(table: Table, options: FeedDayOptions): Promise<Crossing[]> {
  const crossings = Array.from({ length: options.crossings }, (_, i) => dayCrossing(options, i));
  const holders = Math.min(options.holders, options.crossings);
  await putAll(
    table,
    Array.from({ length: holders }, (_, h) => holderPassItem(h)),
  );
  await putAll(
    table,
    (function* () {
      for (const crossing of crossings) {
        yield crossingItem(crossing);
        yield* anomalyItems(crossing);
      }
    })(),
  );
  return crossings;
}

/** Every feed entry queued on a Pakistan day, each record type in turn, as the export reads them. */
export async function feedEntriesOfDay(feed: FeedOutbox, day: string): Promise<FeedEntry[]> {
  const entries: FeedEntry[] = [];
  for (const type of FEED_RECORD_TYPES) {
    for await (const page of feed.dayPages(day, type)) entries.push(...page);
  }
  return entries;
}

/** Every shard of every day's counter at every post, `out` and `in` each, as the crossings store keeps them. */
export function* yearOfCounters(
  days: readonly string[],
  posts: readonly string[],
  shards: number,
  counts: { out: number; in: number },
): Generator<Record<string, unknown>> {
  for (const day of days)
    for (const post of posts)
      for (let shard = 0; shard < shards; shard++) yield counterItem(day, post, shard, counts.out, counts.in);
}
