// Crossing records under their credential (its history is one Query) and by checkpoint and day (GSI3), with the
// anomalies derived on write, and the revocation list with the time of each revocation.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CredentialKind, Verdict } from '../../shared/credential.ts';
import type { AnomalyKind, CrewInput, Direction } from '../../shared/crossing-schemas.ts';
import type { GroupOfAnomaly } from '../../shared/feed-records.ts';
import { aggregateItems, COUNTER_SHARDS } from './aggregates.ts';
import { CursorError, type Page } from './cursor.ts';
import { feedMarks } from './feed.ts';
import type { Actor } from './records.ts';
import { keys, pakistanDay, SK_PREFIX } from './table.ts';
import { RETRY_POLICY, StateConflict, strip, type Table, type TransactItem, transact } from './transact.ts';

export interface Anomaly {
  type: AnomalyKind;
  /** One line for an analyst; never a token. */
  detail: string;
  /** Watchlisted crew CNICs (13 digits), for FIA eyes in the stored item; never logged. */
  cnics?: string[];
  /** GROUP_OVERDUE: the group the member was out with, and the leader answerable for the return. */
  group?: GroupOfAnomaly;
}

/** A crossing as stored: the device's record, the server's own verdict beside the device's, and its anomalies. */
export interface Crossing {
  id: string;
  /** The PK of the credential's record (PASS#<no> or VESSEL#<official no>): the history it belongs to. */
  credentialPk: string;
  /** The pass number, or the boat certificate's serial (<official no>/<n>). */
  credential: string;
  credentialKind: CredentialKind;
  checkpoint: string;
  direction: Direction;
  /** Device time, as UTC with milliseconds. */
  at: string;
  officer: string;
  device: string;
  deviceVerdict: Verdict;
  serverVerdict: Verdict;
  override?: { reason: string };
  crew?: CrewInput;
  anomalies: Anomaly[];
  /** Who posted the batch, and when the server took it: the crossing is its own audit record. */
  postedBy: Actor;
  receivedAt: string;
}

/** What "the crossing before this one" needs to know. */
export type CrossingSummary = Pick<Crossing, 'id' | 'at' | 'direction' | 'crew' | 'checkpoint'> & {
  /** The crossing's sort key: orders it among the credential's crossings. */
  sk: string;
};

export interface Crossings {
  /**
   * The credential's stored crossings from the last one before `from` up to `to` (both sort keys), oldest first:
   * what a batch needs to judge its records of one credential against everything recorded around them.
   */
  around(credentialPk: string, from: string, to: string): Promise<CrossingSummary[]>;
  /**
   * Writes each crossing with its anomaly items, only if no crossing with its key exists, up to a hundred items
   * per transaction (a crossing always in one with its anomalies), each transaction with the reports' counters and
   * trip items of the crossings it writes (aggregates.ts): true for each one written, false for each one stored
   * before (a replay, counted nowhere again).
   */
  recordAll(crossings: readonly Crossing[]): Promise<boolean[]>;
  /** A credential's crossings in time order, paginated. */
  history(credentialPk: string, limit: number, cursor?: string): Promise<Page<Crossing>>;
}

export const ANOMALY_SK_PREFIX = 'A#';

type Put = NonNullable<TransactItem['Put']>;

/** DynamoDB's limit on the items of one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;

function crossingItems(table: Table, crossing: Crossing): [Put, ...Put[]] {
  const key = keys.crossing(crossing.credentialPk, crossing.at, crossing.id);
  const anomalies = crossing.anomalies.map(
    (anomaly): Put => ({
      TableName: table.name,
      // Beside the crossing under the credential, and in the day's anomaly partition of GSI1 for the feed.
      Item: {
        PK: crossing.credentialPk,
        SK: `${ANOMALY_SK_PREFIX}${crossing.at}#${crossing.id}#${anomaly.type}`,
        GSI1PK: `ANOMALY#${pakistanDay(crossing.at)}`,
        GSI1SK: `${crossing.at}#${crossing.id}#${anomaly.type}`,
        kind: 'ANOMALY',
        crossingId: crossing.id,
        credential: crossing.credential,
        checkpoint: crossing.checkpoint,
        at: crossing.at,
        ...anomaly,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
  return [
    {
      TableName: table.name,
      Item: {
        ...key,
        ...keys.checkpointDayIndex(crossing.checkpoint, crossing.at, crossing.id),
        // Queued for the Ministry feed by this very put: a replay fails its condition and queues nothing.
        ...feedMarks('crossing', crossing.id, crossing.receivedAt),
        kind: 'CROSSING',
        ...crossing,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
    ...anomalies,
  ];
}

function summaryOf(item: Record<string, unknown>): CrossingSummary {
  return {
    id: item.id as string,
    at: item.at as string,
    direction: item.direction as Direction,
    checkpoint: item.checkpoint as string,
    sk: item.SK as string,
    ...(item.crew ? { crew: item.crew as CrewInput } : {}),
  };
}

function encodeHistoryCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify({ PK: key.PK, SK: key.SK })).toString('base64url') : undefined;
}

function decodeHistoryCursor(cursor: string | undefined, pk: string): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const valid =
      key !== null &&
      typeof key === 'object' &&
      Object.keys(key).sort().join() === 'PK,SK' &&
      key.PK === pk &&
      typeof key.SK === 'string' &&
      key.SK.startsWith(SK_PREFIX.crossing);
    if (!valid) throw new Error('shape');
    return key;
  } catch {
    throw new CursorError('the cursor is not one this list returned');
  }
}

export function crossings(table: Table): Crossings {
  return {
    async around(credentialPk, from, to) {
      const found: CrossingSummary[] = [];
      let start: Record<string, unknown> | undefined;
      // Newest first from `to` down: stops at the first crossing before `from`, usually in the first page.
      do {
        const out = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :low AND :high',
            ExpressionAttributeValues: { ':pk': credentialPk, ':low': SK_PREFIX.crossing, ':high': to },
            ScanIndexForward: false,
            Limit: 25,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of out.Items ?? []) {
          found.push(summaryOf(item));
          if ((item.SK as string) < from) return found.reverse();
        }
        start = out.LastEvaluatedKey;
      } while (start);
      return found.reverse();
    },

    async recordAll(list) {
      const written: boolean[] = list.map(() => false);
      const puts = list.map((crossing) =>
        crossingItems(table, crossing).map((put): TransactItem => ({ Put: put })),
      );
      // A transaction carries its crossings' items, one counter per day and checkpoint among them and one trip
      // update per credential among them (aggregates.ts): the chunks leave room for those.
      const chunks: number[][] = [];
      let chunk: number[] = [];
      let items = 0;
      let counters = new Set<string>();
      let credentials = new Set<string>();
      list.forEach((crossing, i) => {
        const counter = `${pakistanDay(crossing.at)}#${crossing.checkpoint}`;
        const adds = () =>
          (puts[i] as TransactItem[]).length +
          (counters.has(counter) ? 0 : 1) +
          (credentials.has(crossing.credentialPk) ? 0 : 1);
        if (chunk.length > 0 && items + adds() > MAX_TRANSACTION_ITEMS) {
          chunks.push(chunk);
          chunk = [];
          items = 0;
          counters = new Set();
          credentials = new Set();
        }
        items += adds();
        chunk.push(i);
        counters.add(counter);
        credentials.add(crossing.credentialPk);
      });
      if (chunk.length > 0) chunks.push(chunk);
      await Promise.all(
        chunks.map(async (indexes, k) => {
          let pending = indexes;
          // Credentials whose trip item holds a later crossing than any of this transaction's.
          const settled = new Set<string>();
          for (let round = 0; pending.length > 0; round++) {
            const aggregate = aggregateItems(
              table,
              pending.map((i) => list[i] as Crossing),
              k % COUNTER_SHARDS,
              settled,
            );
            try {
              await transact(table, [
                ...pending.flatMap((i) => puts[i] as TransactItem[]),
                ...aggregate.counters,
                ...aggregate.trips,
              ]);
              for (const i of pending) written[i] = true;
              return;
            } catch (error) {
              if (!(error instanceof StateConflict) || round + 1 >= RETRY_POLICY.attempts) throw error;
              // The reasons come item by item: a crossing whose own put failed its condition was stored before,
              // and is neither written nor counted again; a trip update whose condition failed found a later
              // crossing of its credential. The rest go again without them (or, after a conflict with another
              // writer, as they were).
              const again: number[] = [];
              let offset = 0;
              for (const i of pending) {
                if (error.reasons[offset] !== 'ConditionalCheckFailed') again.push(i);
                offset += (puts[i] as TransactItem[]).length;
              }
              offset += aggregate.counters.length;
              let moved = again.length < pending.length;
              aggregate.tripCredentials.forEach((credentialPk, j) => {
                if (error.reasons[offset + j] === 'ConditionalCheckFailed') {
                  settled.add(credentialPk);
                  moved = true;
                }
              });
              if (!moved) {
                await new Promise((resolve) =>
                  setTimeout(resolve, Math.random() * RETRY_POLICY.baseDelayMs * (round + 1)),
                );
              }
              pending = again;
            }
          }
        }),
      );
      return written;
    },

    async history(credentialPk, limit, cursor) {
      const start = decodeHistoryCursor(cursor, credentialPk);
      const out = await table.db.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :x)',
          ExpressionAttributeValues: { ':pk': credentialPk, ':x': SK_PREFIX.crossing },
          Limit: limit,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const next = encodeHistoryCursor(out.LastEvaluatedKey);
      return {
        items: (out.Items ?? []).map((item) => strip<Crossing>(item) as Crossing),
        ...(next ? { cursor: next } : {}),
      };
    },
  };
}
