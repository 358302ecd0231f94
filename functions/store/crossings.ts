// Crossing records under their credential (its history is one Query) and by checkpoint and day (GSI3), with the
// anomalies derived on write, each record id claimed once, and the anomaly of a resend that conflicts with a claim.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CredentialKind, Verdict } from '../../shared/credential.ts';
import type { AnomalyKind, CrewInput, Direction } from '../../shared/crossing-schemas.ts';
import type { AnomalyFeedRecord, GroupOfAnomaly, ResendOfAnomaly } from '../../shared/feed-records.ts';
import { aggregateItems, COUNTER_SHARDS } from './aggregates.ts';
import { CursorError, type Page } from './cursor.ts';
import { feedMarks, outboxItem } from './feed.ts';
import type { Actor } from './records.ts';
import { keys, pakistanDay, SK_PREFIX } from './table.ts';
import {
  batchGet,
  RETRY_POLICY,
  StateConflict,
  strip,
  type Table,
  type TransactItem,
  transact,
} from './transact.ts';

export interface Anomaly {
  type: AnomalyKind;
  /** One line for an analyst; never a token. */
  detail: string;
  /** Watchlisted crew CNICs (13 digits), for FIA eyes in the stored item; never logged. */
  cnics?: string[];
  /** GROUP_OVERDUE: the group the member was out with, and the leader answerable for the return. */
  group?: GroupOfAnomaly;
  /** CONFLICTING_RESEND: what the refused resend changed, who sent it and when. */
  resend?: ResendOfAnomaly;
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
  /** The revocation version of the device's trust state when it judged the credential, when the app sent it. */
  trustVersion?: number;
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

/**
 * The claim of a record id, written with the crossing that took it: the digest of the record's content (the
 * service's canonical form) to tell a replay from a conflicting resend, a short fingerprint per field to name what
 * a resend changed, and where the crossing is, to file the conflict against it.
 */
export interface CrossingClaim {
  id: string;
  digest: string;
  fingerprints: Record<string, string>;
  credentialPk: string;
  credential: string;
  checkpoint: string;
  direction: Direction;
  at: string;
}

/** A crossing ready to be written, with the claim of its id. */
export interface ClaimedCrossing {
  crossing: Crossing;
  claim: CrossingClaim;
}

/**
 * What became of a crossing sent to be written: `written` (crossing, claim and anomalies now stored), `replayed`
 * (a crossing with its very key was stored before: an exact replay, or one stored before ids were claimed), or
 * `claimed` (its id is claimed by a crossing another request stored first).
 */
export type WriteOutcome = 'written' | 'replayed' | 'claimed';

/** A resend of a claimed id with other content: refused, and filed against the crossing that holds the id. */
export interface ConflictingResend {
  /** The claim of the stored crossing. */
  original: CrossingClaim;
  /** The digest of the resend's content: its anomaly is written once per distinct content. */
  digest: string;
  detail: string;
  resend: ResendOfAnomaly;
}

export interface Crossings {
  /**
   * The credential's stored crossings from the last one before `from` up to `to` (both sort keys), oldest first:
   * what a batch needs to judge its records of one credential against everything recorded around them.
   */
  around(credentialPk: string, from: string, to: string): Promise<CrossingSummary[]>;
  /**
   * Writes each crossing with the claim of its id and its anomaly items, only if neither the crossing's key nor
   * the claim exists, up to a hundred items per transaction (a crossing always in one with its claim and
   * anomalies), each transaction with the reports' counters and trip items of the crossings it writes
   * (aggregates.ts). What was not written is counted nowhere.
   */
  recordAll(crossings: readonly ClaimedCrossing[]): Promise<WriteOutcome[]>;
  /** The claims of those ids that have one (strongly consistent, a hundred ids a request). */
  claims(ids: readonly string[]): Promise<Map<string, CrossingClaim>>;
  /**
   * Stores a CONFLICTING_RESEND anomaly beside the stored crossing and in the day's anomaly partition (the day
   * of the resend), with its feed entry, once per (id, resent content): false when it was stored before.
   */
  raiseConflict(conflict: ConflictingResend): Promise<boolean>;
  /** A credential's crossings in time order, paginated. */
  history(credentialPk: string, limit: number, cursor?: string): Promise<Page<Crossing>>;
}

export const ANOMALY_SK_PREFIX = 'A#';

/** How much of a content digest names a conflicting resend in keys and feed ids: 96 bits. */
const CONFLICT_DIGEST_CHARS = 16;
const CONFLICT: AnomalyKind = 'CONFLICTING_RESEND';

type Put = NonNullable<TransactItem['Put']>;

/** DynamoDB's limit on the items of one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;
/**
 * Transactions of one batch in flight at once. A batch of 500 is some fifteen transactions (a crossing, its claim
 * and a trip update each); more at once only wait for one another inside DynamoDB Local, which gives up on a
 * transaction that waits too long for its lock, and measured slower there than four. In DynamoDB four at a time
 * write a batch in four round trips.
 */
const CONCURRENT_TRANSACTIONS = 4;

/** The crossing's put, the claim of its id, then its anomaly items: recordAll reads cancellation reasons so. */
function crossingItems(table: Table, { crossing, claim }: ClaimedCrossing): [Put, Put, ...Put[]] {
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
    {
      TableName: table.name,
      Item: { ...keys.crossingClaim(claim.id), kind: 'CROSSING_CLAIM', ...claim },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
    ...anomalies,
  ];
}

function claimOf(item: Record<string, unknown>): CrossingClaim {
  return {
    id: item.id as string,
    digest: item.digest as string,
    fingerprints: (item.fingerprints as Record<string, string> | undefined) ?? {},
    credentialPk: item.credentialPk as string,
    credential: item.credential as string,
    checkpoint: item.checkpoint as string,
    direction: item.direction as Direction,
    at: item.at as string,
  };
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

    async recordAll(claimed) {
      const list = claimed.map((c) => c.crossing);
      const written: WriteOutcome[] = list.map(() => 'replayed');
      const puts = claimed.map((c) => crossingItems(table, c).map((put): TransactItem => ({ Put: put })));
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
      const writeChunk = async (indexes: number[], k: number) => {
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
            for (const i of pending) written[i] = 'written';
            return;
          } catch (error) {
            if (!(error instanceof StateConflict) || round + 1 >= RETRY_POLICY.attempts) throw error;
            // The reasons come item by item: a crossing whose own put failed its condition was stored before,
            // one whose claim failed lost its id to another request; neither is written nor counted. A trip
            // update whose condition failed found a later crossing of its credential. The rest go again without
            // them (or, after a conflict with another writer, as they were).
            const again: number[] = [];
            let offset = 0;
            for (const i of pending) {
              if (error.reasons[offset + 1] === 'ConditionalCheckFailed') written[i] = 'claimed';
              else if (error.reasons[offset] === 'ConditionalCheckFailed') written[i] = 'replayed';
              else again.push(i);
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
      };
      let nextChunk = 0;
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENT_TRANSACTIONS, chunks.length) }, async () => {
          while (nextChunk < chunks.length) {
            const k = nextChunk++;
            await writeChunk(chunks[k] as number[], k);
          }
        }),
      );
      return written;
    },

    async claims(ids) {
      const items = await batchGet(
        table,
        [...new Set(ids)].map((id) => keys.crossingClaim(id)),
      );
      return new Map(items.map((item) => [item.id as string, claimOf(item)]));
    },

    async raiseConflict({ original, digest, detail, resend }) {
      const tag = `${CONFLICT}#${digest.slice(0, CONFLICT_DIGEST_CHARS)}`;
      const at = resend.receivedAt;
      const record: AnomalyFeedRecord = {
        type: 'anomaly',
        id: `${original.id}:${CONFLICT}:${digest.slice(0, CONFLICT_DIGEST_CHARS)}`,
        crossingId: original.id,
        kind: CONFLICT,
        at,
        checkpoint: original.checkpoint,
        credential: original.credential,
        detail,
        resend,
      };
      try {
        await transact(table, [
          {
            Put: {
              TableName: table.name,
              Item: {
                // Keyed by the stored crossing's time and the resent content, never by when it was seen: a
                // resend retried later finds this very item. Listed on the day it was seen.
                PK: original.credentialPk,
                SK: `${ANOMALY_SK_PREFIX}${original.at}#${original.id}#${tag}`,
                GSI1PK: `ANOMALY#${pakistanDay(at)}`,
                GSI1SK: `${at}#${original.id}#${tag}`,
                kind: 'ANOMALY',
                crossingId: original.id,
                credential: original.credential,
                checkpoint: original.checkpoint,
                at,
                type: CONFLICT,
                detail,
                resend,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          outboxItem(table, record, at),
        ]);
        return true;
      } catch (error) {
        if (error instanceof StateConflict) return false;
        throw error;
      }
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
