// Listing a CNIC, changing its entry and removing it: each write conditioned on what was read, retried on a race.
import type { WatchlistInput } from '../../shared/schemas.ts';
import type { Actor, WatchEntry } from '../store/records.ts';
import { RetriesExhausted, retryOnConflict, StateConflict, type Store } from '../store/store.ts';
import type { Clock } from './context.ts';
import { Busy, NotFound } from './errors.ts';

export async function findWatch(store: Store, cnic: string): Promise<WatchEntry> {
  const entry = await store.watchlist.get(cnic);
  if (!entry) throw new NotFound('This CNIC is not on the watchlist.');
  return entry;
}

/**
 * Lists a CNIC, or changes its entry while keeping who listed it first. Under a race the audit item says what
 * really happened: an addition that lost to another is retried as a change, a change whose entry was removed
 * meanwhile as an addition.
 */
export async function putWatch(
  deps: { store: Store; clock: Clock },
  cnic: string,
  change: WatchlistInput,
  actor: Actor,
): Promise<{ outcome: 'created' | 'updated'; entry: WatchEntry }> {
  const at = deps.clock().toISOString();
  try {
    return await retryOnConflict(async () => {
      const existing = await deps.store.watchlist.get(cnic);
      return deps.store.watchlist.put(cnic, existing, change, actor, at);
    });
  } catch (error) {
    if (error instanceof RetriesExhausted) {
      throw new Busy('This watchlist entry is being changed by others; retry in a moment.');
    }
    throw error;
  }
}

export async function removeWatch(
  deps: { store: Store; clock: Clock },
  cnic: string,
  actor: Actor,
): Promise<void> {
  try {
    await deps.store.watchlist.remove(cnic, actor, deps.clock().toISOString());
  } catch (error) {
    if (error instanceof StateConflict) throw new NotFound('This CNIC is not on the watchlist.');
    throw error;
  }
}
