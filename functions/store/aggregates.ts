// The reports' aggregates, kept in the crossings' own transactions: daily counts per checkpoint and each credential's
// latest crossing (an open trip while it is an OUT), and the Queries the reports run on them and on the anomalies.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CredentialKind } from '../../shared/credential.ts';
import type { AnomalyKind, Direction } from '../../shared/crossing-schemas.ts';
import type { GroupOfAnomaly } from '../../shared/feed-records.ts';
import type { Crossing } from './crossings.ts';
import { CursorError, type Page } from './cursor.ts';
import { GSIS, keys, pakistanDay } from './table.ts';
import type { Table, TransactItem } from './transact.ts';

/**
 * The crossings of one batch are written in several transactions at once; each adds to its own shard of a day's
 * counter, so they never contend for one item (a transaction that touches an item another is writing is
 * cancelled). A report sums the shards.
 */
export const COUNTER_SHARDS = 16;

/** The sort key of a credential's trip item, beside its crossings (X#…), anomalies (A#…) and audit items. */
export const TRIP_SK = 'TRIP';

const COUNTER_KIND = 'XCOUNT';

/** The crossings counted on one Pakistan day at one checkpoint. */
export interface DailyCount {
  date: string;
  checkpoint: string;
  out: number;
  in: number;
}

/** A credential whose latest crossing is an OUT. */
export interface OpenTrip {
  /** The pass number, or the boat certificate's serial the boat left on. */
  credential: string;
  /** The PK of the credential's record (PASS#<no> or VESSEL#<official no>). */
  credentialPk: string;
  credentialKind: CredentialKind;
  checkpoint: string;
  /** When it went out (UTC, milliseconds). */
  at: string;
  crossingId: string;
  /** A boat's crew as it left. */
  crewCount?: number;
}

/** An anomaly item as the crossings store wrote it. */
export interface AnomalyRecord {
  type: AnomalyKind;
  detail: string;
  cnics?: string[];
  group?: GroupOfAnomaly;
  crossingId: string;
  credential: string;
  checkpoint: string;
  at: string;
}

export interface AnomalyQuery {
  /** First and last Pakistan day, YYYY-MM-DD, both included. */
  from: string;
  to: string;
  type?: AnomalyKind;
  limit: number;
  cursor?: string;
}

export interface Aggregates {
  /** Each (day, checkpoint) with a crossing from `from` to `to` (Pakistan days), in day then checkpoint order. */
  dailyCounts(from: string, to: string): Promise<DailyCount[]>;
  /** Every open trip of passes (bp) or boats (vr), oldest departure first. */
  openTrips(kind: CredentialKind): Promise<OpenTrip[]>;
  /** The anomalies of the days from `from` to `to`, in time order, a page at a time across days. */
  anomalies(query: AnomalyQuery): Promise<Page<AnomalyRecord>>;
}

/** The items a transaction of crossings adds: its counter increments first, then its trip updates in `trips` order. */
export interface AggregateItems {
  counters: TransactItem[];
  trips: TransactItem[];
  /** The credential PK each item of `trips` updates. */
  tripCredentials: string[];
}

const tripPartition = (kind: CredentialKind) => `TRIP#${kind === 'bp' ? 'PASS' : 'VESSEL'}`;

function counterKey(day: string, checkpoint: string, shard: number) {
  return {
    PK: `${COUNTER_KIND}#${day.slice(0, 7)}`,
    SK: `${day}#${checkpoint}#${String(shard).padStart(2, '0')}`,
  };
}

/** One shard of a day's counter at a checkpoint as the table holds it, for data written in bulk (tests, benches). */
export function counterItem(day: string, checkpoint: string, shard: number, out: number, inward: number) {
  return {
    ...counterKey(day, checkpoint, shard),
    kind: COUNTER_KIND,
    date: day,
    checkpoint,
    out,
    in: inward,
  };
}

/** An Update item that ADDs `add`, SETs `set` and REMOVEs `remove`, every name and value bound by placeholder. */
function update(
  table: Table,
  key: { PK: string; SK: string },
  parts: { add?: Record<string, number>; set: Record<string, unknown>; remove?: string[] },
  condition?: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
): TransactItem {
  const names: Record<string, string> = { ...condition?.names };
  const values: Record<string, unknown> = { ...condition?.values };
  const name = (n: string) => {
    const placeholder = `#n${Object.keys(names).length}`;
    names[placeholder] = n;
    return placeholder;
  };
  const value = (v: unknown) => {
    const placeholder = `:v${Object.keys(values).length}`;
    values[placeholder] = v;
    return placeholder;
  };
  const add = Object.entries(parts.add ?? {}).map(([n, v]) => `${name(n)} ${value(v)}`);
  const set = Object.entries(parts.set).map(([n, v]) => `${name(n)} = ${value(v)}`);
  const remove = (parts.remove ?? []).map(name);
  return {
    Update: {
      TableName: table.name,
      Key: key,
      UpdateExpression: [
        add.length > 0 ? `ADD ${add.join(', ')}` : '',
        `SET ${set.join(', ')}`,
        remove.length > 0 ? `REMOVE ${remove.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ...(condition ? { ConditionExpression: condition.expression } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * What a transaction writing `crossings` (none of them stored before) adds: one counter increment per day and
 * checkpoint on `shard`, summed over the transaction's crossings (a transaction may touch an item only once), and
 * one trip update per credential from its latest crossing there, except for credentials in `settled`, whose trip
 * item already holds a later crossing.
 *
 * The trip update applies only if the item's last crossing is earlier (`last`, the crossing's sort key: time, then
 * id), so a late-arriving OUT never reopens a trip that a later IN closed, whatever order the posts sync in.
 */
export function aggregateItems(
  table: Table,
  crossings: readonly Crossing[],
  shard: number,
  settled: ReadonlySet<string> = new Set(),
): AggregateItems {
  const counts = new Map<string, DailyCount>();
  const latest = new Map<string, { crossing: Crossing; sk: string }>();
  for (const crossing of crossings) {
    const date = pakistanDay(crossing.at);
    const id = `${date}#${crossing.checkpoint}`;
    const count = counts.get(id) ?? { date, checkpoint: crossing.checkpoint, out: 0, in: 0 };
    if (crossing.direction === 'OUT') count.out++;
    else count.in++;
    counts.set(id, count);
    if (settled.has(crossing.credentialPk)) continue;
    const sk = keys.crossing(crossing.credentialPk, crossing.at, crossing.id).SK;
    const before = latest.get(crossing.credentialPk);
    if (!before || before.sk < sk) latest.set(crossing.credentialPk, { crossing, sk });
  }
  const counters = [...counts.values()].map((count) =>
    update(table, counterKey(count.date, count.checkpoint, shard), {
      add: { out: count.out, in: count.in },
      set: { kind: COUNTER_KIND, date: count.date, checkpoint: count.checkpoint },
    }),
  );
  const tripCredentials = [...latest.keys()];
  const trips = tripCredentials.map((credentialPk) => {
    const { crossing, sk } = latest.get(credentialPk) as { crossing: Crossing; sk: string };
    const open = crossing.direction === 'OUT';
    const state: Record<string, unknown> = {
      kind: TRIP_SK,
      last: sk,
      credential: crossing.credential,
      credentialKind: crossing.credentialKind,
      direction: crossing.direction satisfies Direction,
      checkpoint: crossing.checkpoint,
      at: crossing.at,
      crossingId: crossing.id,
      ...(open && crossing.crew ? { crewCount: crossing.crew.count } : {}),
      // Only an open trip is in the index: the at-sea and overstay lists read just those.
      ...(open
        ? {
            [GSIS.GSI1.partitionKey]: tripPartition(crossing.credentialKind),
            [GSIS.GSI1.sortKey]: `${crossing.at}#${crossing.credential}`,
          }
        : {}),
    };
    const remove = open
      ? crossing.crew
        ? []
        : ['crewCount']
      : [GSIS.GSI1.partitionKey, GSIS.GSI1.sortKey, 'crewCount'];
    return update(
      table,
      { PK: credentialPk, SK: TRIP_SK },
      { set: state, remove },
      {
        expression: 'attribute_not_exists(#last) OR #last < :last',
        names: { '#last': 'last' },
        values: { ':last': sk },
      },
    );
  });
  return { counters, trips, tripCredentials };
}

const DAY_MS = 86400_000;

/** Every day from `from` to `to`, both YYYY-MM-DD and included. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

interface AnomalyCursor {
  /** The day the next page starts on. */
  day: string;
  /** Where in that day it starts: the last key read, or none for the start of the day. */
  key?: Record<string, string>;
}

const ANOMALY_KEY_ATTRS = ['GSI1PK', 'GSI1SK', 'PK', 'SK'].join();

function encodeAnomalyCursor(cursor: AnomalyCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** A cursor this list made for the same range; anything else is refused (CursorError). */
function decodeAnomalyCursor(cursor: string, from: string, to: string): AnomalyCursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const day = value?.day;
    const key = value?.key as Record<string, unknown> | undefined;
    const valid =
      value !== null &&
      typeof value === 'object' &&
      Object.keys(value).every((k) => k === 'day' || k === 'key') &&
      typeof day === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(day) &&
      day >= from &&
      day <= to &&
      (key === undefined ||
        (key !== null &&
          typeof key === 'object' &&
          Object.keys(key).sort().join() === ANOMALY_KEY_ATTRS &&
          Object.values(key).every((v) => typeof v === 'string' && v !== '') &&
          key.GSI1PK === `ANOMALY#${day}`));
    if (!valid) throw new Error('shape');
    return { day, ...(key ? { key: key as Record<string, string> } : {}) };
  } catch {
    throw new CursorError('the cursor is not one this list returned');
  }
}

/** Months of daily counters read at once: a year is 12 or 13 partitions. */
const MONTHS_AT_ONCE = 6;
/** Items of the day's anomaly partition one page of /reports/anomalies reads at most (about 0.5 MB). */
export const ANOMALY_PAGE_READS = 2_000;
/** Queries one page sends at most: a range of quiet days costs a Query each. */
export const ANOMALY_PAGE_QUERIES = 40;
/** Items a filtered Query reads at once, so a rare type costs a few round trips, not one per item wanted. */
const FILTERED_READ = 500;

/** The index key of an anomaly item: where a page cut inside a Query's items starts the next one. */
function anomalyKeyOf(item: Record<string, unknown>): Record<string, unknown> {
  return { GSI1PK: item.GSI1PK, GSI1SK: item.GSI1SK, PK: item.PK, SK: item.SK };
}

function anomalyOf(item: Record<string, unknown>): AnomalyRecord {
  return {
    type: item.type as AnomalyKind,
    detail: item.detail as string,
    ...(Array.isArray(item.cnics) ? { cnics: item.cnics as string[] } : {}),
    ...(item.group ? { group: item.group as GroupOfAnomaly } : {}),
    crossingId: item.crossingId as string,
    credential: item.credential as string,
    checkpoint: item.checkpoint as string,
    at: item.at as string,
  };
}

function tripOf(item: Record<string, unknown>): OpenTrip {
  return {
    credential: item.credential as string,
    credentialPk: item.PK as string,
    credentialKind: item.credentialKind as CredentialKind,
    checkpoint: item.checkpoint as string,
    at: item.at as string,
    crossingId: item.crossingId as string,
    ...(typeof item.crewCount === 'number' ? { crewCount: item.crewCount } : {}),
  };
}

export function aggregates(table: Table): Aggregates {
  /** Every item of one key condition, page after page. */
  const queryAll = async (input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await table.db.send(
        new QueryCommand({ TableName: table.name, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  };

  return {
    async dailyCounts(from, to) {
      const months = [...new Set(daysFrom(from, to).map((day) => day.slice(0, 7)))];
      // One partition per month: a year is 12 or 13 Queries, a few at once, each reading only the counts (about
      // 60 bytes a shard, so a month of every post is a page or two).
      const pages: Record<string, unknown>[][] = [];
      let next = 0;
      const worker = async () => {
        while (next < months.length) {
          const i = next++;
          pages[i] = await queryAll({
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :low AND :high',
            ExpressionAttributeValues: {
              ':pk': `${COUNTER_KIND}#${months[i]}`,
              ':low': `${from}#`,
              // '~' sorts after every checkpoint code and shard, so the last day is read whole.
              ':high': `${to}#~`,
            },
            ProjectionExpression: '#d, checkpoint, #o, #i',
            ExpressionAttributeNames: { '#d': 'date', '#o': 'out', '#i': 'in' },
          });
        }
      };
      await Promise.all(Array.from({ length: Math.min(MONTHS_AT_ONCE, months.length) }, worker));
      const rows = new Map<string, DailyCount>();
      for (const item of pages.flat()) {
        const date = item.date as string;
        const checkpoint = item.checkpoint as string;
        const id = `${date}#${checkpoint}`;
        const row = rows.get(id) ?? { date, checkpoint, out: 0, in: 0 };
        row.out += Number(item.out ?? 0);
        row.in += Number(item.in ?? 0);
        rows.set(id, row);
      }
      return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    },

    async openTrips(kind) {
      const items = await queryAll({
        IndexName: GSIS.GSI1.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSIS.GSI1.partitionKey },
        ExpressionAttributeValues: { ':pk': tripPartition(kind) },
      });
      return items.map(tripOf);
    },

    // A page reads at most ANOMALY_PAGE_READS items of the index in at most ANOMALY_PAGE_QUERIES Queries, however
    // many anomalies a day has: a type filter applies after the read, so a rare type on a busy day may answer with
    // fewer items than asked (even none) and a cursor to where the reading stopped. The caller follows `next`.
    async anomalies({ from, to, type, limit, cursor }) {
      const startAt = cursor ? decodeAnomalyCursor(cursor, from, to) : { day: from };
      const days = daysFrom(startAt.day, to);
      const items: AnomalyRecord[] = [];
      const page = (next: AnomalyCursor | undefined) => ({
        items,
        ...(next ? { cursor: encodeAnomalyCursor(next) } : {}),
      });
      let read = 0;
      let queries = 0;
      for (const [d, day] of days.entries()) {
        let start: Record<string, unknown> | undefined = d === 0 ? startAt.key : undefined;
        do {
          if (queries >= ANOMALY_PAGE_QUERIES || read >= ANOMALY_PAGE_READS)
            return page(start ? { day, key: start as Record<string, string> } : { day });
          const wanted = limit - items.length;
          const out = await table.db.send(
            new QueryCommand({
              TableName: table.name,
              IndexName: GSIS.GSI1.indexName,
              KeyConditionExpression: '#pk = :pk',
              ExpressionAttributeNames: { '#pk': GSIS.GSI1.partitionKey, ...(type ? { '#t': 'type' } : {}) },
              ExpressionAttributeValues: { ':pk': `ANOMALY#${day}`, ...(type ? { ':t': type } : {}) },
              ...(type ? { FilterExpression: '#t = :t' } : {}),
              // Unfiltered, exactly what is wanted; filtered, a larger read, cut below at what is wanted.
              Limit: type ? Math.min(ANOMALY_PAGE_READS - read, Math.max(wanted, FILTERED_READ)) : wanted,
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          queries++;
          read += out.ScannedCount ?? out.Items?.length ?? 0;
          const found = out.Items ?? [];
          start = out.LastEvaluatedKey;
          if (found.length >= wanted) {
            const taken = found.slice(0, wanted);
            items.push(...taken.map(anomalyOf));
            // Cut inside what was read: the next page starts after the last item answered.
            const after = found.length > wanted ? anomalyKeyOf(taken[taken.length - 1] ?? {}) : start;
            return page(
              after
                ? { day, key: after as Record<string, string> }
                : day < to
                  ? { day: days[d + 1] as string }
                  : undefined,
            );
          }
          items.push(...found.map(anomalyOf));
        } while (start);
      }
      return page(undefined);
    },
  };
}
