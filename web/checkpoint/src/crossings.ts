// The post's crossing queue: records made offline wait in IndexedDB and reach the server once each, in batches.
import { monotonicFactory } from 'ulid';
import type { CrossingInput, CrossingResult } from '../../../shared/crossing-schemas.ts';
import { MAX_CROSSING_BATCH } from '../../../shared/domain/crossing.ts';
import {
  type CrossingState,
  type CrossingSyncRecord,
  db,
  type LocalCrossing,
  load,
  type RuntimeConfig,
  type SavedLogin,
  save,
} from './storage.ts';
import { pakistanDay } from './time.ts';

export { pakistanDay } from './time.ts';

/** Ids sort in the order the device made them, even within one millisecond. */
const nextId = monotonicFactory();

/** Answered records are kept this long for the officer's lists, then dropped; waiting ones are never dropped. */
const KEEP_ANSWERED_MS = 30 * 24 * 3600 * 1000;

export async function deviceId(): Promise<string> {
  const known = await load('deviceId');
  if (known) return known;
  const made = `web-${nextId()}`;
  await save('deviceId', made);
  return made;
}

export type NewCrossing = Omit<CrossingInput, 'id' | 'at'> & { name: string; number: string; group?: string };

/** Queues one crossing, stamped with a new id and the device's time. It is on disk when this resolves. */
export async function recordCrossing(crossing: NewCrossing, nowMs = Date.now()): Promise<LocalCrossing> {
  // The group stays on the device: the server reads it from the credential itself.
  const { name, number, group, ...record } = crossing;
  const local: LocalCrossing = {
    record: { ...record, id: nextId(nowMs), at: new Date(nowMs).toISOString() },
    state: 'queued',
    day: pakistanDay(nowMs),
    name,
    number,
    ...(group !== undefined ? { group } : {}),
  };
  await (await db()).add('crossings', local);
  return local;
}

export async function queuedCount(): Promise<number> {
  return (await db()).countFromIndex('crossings', 'byState', stateRange('queued'));
}

function stateRange(state: CrossingState): IDBKeyRange {
  return IDBKeyRange.bound([state, ''], [state, '\uffff']);
}

/** Records the server refused, which the officer must see until they are old. */
export async function rejectedCrossings(): Promise<LocalCrossing[]> {
  return (await db()).getAllFromIndex('crossings', 'byState', stateRange('rejected'));
}

/** Removes a crossing recorded by mistake, only while it has not been sent (then it is the server's record). */
export async function withdrawQueued(id: string): Promise<boolean> {
  const tx = (await db()).transaction('crossings', 'readwrite');
  const found = await tx.store.get(id);
  if (found?.state !== 'queued') {
    await tx.done;
    return false;
  }
  await tx.store.delete(id);
  await tx.done;
  return true;
}

/** Drops answered records older than a month, so a post's phone does not fill up over the years. */
export async function pruneAnswered(nowMs = Date.now()): Promise<number> {
  const before = new Date(nowMs - KEEP_ANSWERED_MS).toISOString();
  const tx = (await db()).transaction('crossings', 'readwrite');
  let cursor = await tx.store.index('byAt').openCursor(IDBKeyRange.upperBound(before, true));
  let dropped = 0;
  while (cursor) {
    if (cursor.value.state !== 'queued') {
      await cursor.delete();
      dropped++;
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return dropped;
}

/** One POST of a batch; the answer's status, and its body when it is JSON. */
export type Send = (
  records: readonly CrossingInput[],
) => Promise<{ status: number; body: unknown; retryAfterS?: number }>;

export function sendTo(config: RuntimeConfig, login: SavedLogin): Send {
  return async (records) => {
    const response = await fetch(`${config.apiUrl}/crossings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
      body: JSON.stringify({ records }),
      cache: 'no-store',
    });
    const body: unknown = await response.json().catch(() => undefined);
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      status: response.status,
      body,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterS: retryAfter } : {}),
    };
  };
}

export interface SyncResult {
  record: CrossingSyncRecord;
  /** Whether to try again later (no signal, a server error); the caller waits its backoff first. */
  retry: boolean;
  retryAfterS?: number;
}

/** A page yields to the browser between batches, so scanning stays smooth while a week's records go out. */
const yieldToPage = () => new Promise<void>((done) => setTimeout(done, 0));

/**
 * Sends the queue in batches, oldest first, until it is empty or the server cannot take more now. A record leaves
 * the queue only on the server's answer for its id (`stored`, `duplicate` or `rejected`), so a page closed or a
 * connection lost mid-batch leaves it queued, and the next sync sends it again: the server reports it as a
 * duplicate and stores it once. `onProgress` gets the number still waiting after each batch.
 */
export async function syncQueue(
  send: Send,
  nowMs: () => number,
  onProgress: (waiting: number) => void = () => {},
  batchSize = MAX_CROSSING_BATCH,
): Promise<SyncResult> {
  const totals = { sent: 0, stored: 0, duplicate: 0, rejected: 0 };
  const finish = (
    outcome: CrossingSyncRecord['outcome'],
    extra: Partial<SyncResult> & { detail?: string } = {},
  ) => {
    const { detail, ...rest } = extra;
    return {
      record: { at: nowMs(), outcome, ...totals, ...(detail !== undefined ? { detail } : {}) },
      retry: false,
      ...rest,
    };
  };
  let size = batchSize;
  for (;;) {
    const database = await db();
    const batch = await database.getAllFromIndex('crossings', 'byState', stateRange('queued'), size);
    if (batch.length === 0) return finish('synced');
    let answer: Awaited<ReturnType<Send>>;
    try {
      answer = await send(batch.map((local) => local.record));
    } catch (error) {
      return finish('offline', {
        retry: true,
        detail: error instanceof Error ? error.message : String(error),
      });
    }
    const problem = answer.body as { detail?: string; title?: string } | undefined;
    const detail = problem?.detail ?? problem?.title ?? `HTTP ${answer.status}`;
    if (answer.status === 401) return finish('login-needed', { detail });
    if (answer.status === 403) return finish('forbidden', { detail });
    if (answer.status === 413 || (answer.status === 400 && size > 1)) {
      // Too large, or one record spoils the whole request: halve until the culprit goes alone.
      size = Math.max(1, Math.floor(size / 2));
      continue;
    }
    if (answer.status === 400) {
      // A single record the server will never take as a request: it is refused, visibly, and never resent.
      await applyResults(
        batch,
        [{ id: batch[0]?.record.id ?? '', result: 'rejected', reason: detail }],
        nowMs(),
      );
      totals.sent += 1;
      totals.rejected += 1;
      continue;
    }
    if (answer.status !== 200)
      return finish('failed', {
        retry: true,
        detail,
        ...(answer.retryAfterS !== undefined ? { retryAfterS: answer.retryAfterS } : {}),
      });
    const results = (answer.body as { results?: CrossingResult[] } | undefined)?.results;
    if (!Array.isArray(results))
      return finish('failed', { retry: true, detail: 'the server answered without results' });
    const counted = await applyResults(batch, results, nowMs());
    totals.sent += batch.length;
    totals.stored += counted.stored;
    totals.duplicate += counted.duplicate;
    totals.rejected += counted.rejected;
    if (counted.stored + counted.duplicate + counted.rejected === 0)
      return finish('failed', { retry: true, detail: 'the server answered for none of the records sent' });
    size = batchSize;
    onProgress(await queuedCount());
    await yieldToPage();
  }
}

/** Writes the server's answers onto the batch's records in one transaction; a record it did not answer stays queued. */
async function applyResults(batch: readonly LocalCrossing[], results: readonly CrossingResult[], at: number) {
  const byId = new Map(results.map((result) => [result.id, result]));
  const counted = { stored: 0, duplicate: 0, rejected: 0 };
  const tx = (await db()).transaction('crossings', 'readwrite');
  const writes: Promise<unknown>[] = [];
  for (const local of batch) {
    const result = byId.get(local.record.id);
    if (!result) continue;
    counted[result.result]++;
    const answered: LocalCrossing = { ...local, state: result.result, answeredAt: at };
    if (result.result === 'rejected') answered.reason = result.reason;
    if (result.result === 'stored' && result.anomalies.length > 0) answered.anomalies = result.anomalies;
    writes.push(tx.store.put(answered));
  }
  await Promise.all([...writes, tx.done]);
  return counted;
}

/** Full jitter on an exponential backoff: 5 s, 10 s, 20 s … up to 10 minutes, each drawn at random below it. */
export function backoffMs(attempt: number, random = Math.random): number {
  const ceiling = Math.min(10 * 60_000, 5_000 * 2 ** Math.min(attempt, 10));
  return Math.max(1_000, Math.floor(random() * ceiling));
}
