// What the device knows of a person or a boat when a credential is judged: a crossing it recorded moments ago, and
// whether they are out now by this device's records or by the platform's, as the last roster download said.
import type { Direction } from '../../../shared/domain/crossing.ts';
import { db, type LocalCrossing } from './storage.ts';

/** A crossing this device recorded this recently is shown as done, with its undo, instead of fresh buttons. */
export const RECENT_MS = 5 * 60 * 1000;

/** The latest crossing known of a number, and who knows it. */
export interface LatestCrossing {
  direction: Direction;
  at: string;
  /** This device recorded it, or the platform had it when the rosters were last downloaded. */
  source: 'device' | 'platform';
}

export interface Known {
  /** This device's own crossing of the number in the last few minutes. */
  recent?: LocalCrossing;
  latest?: LatestCrossing;
}

/** This device's latest crossing of a pass or certificate number that the server has not refused. */
export async function latestRecordedOf(number: string): Promise<LocalCrossing | undefined> {
  const range = IDBKeyRange.bound([number, ''], [number, '\uffff']);
  let cursor = await (await db()).transaction('crossings').store.index('byNumber').openCursor(range, 'prev');
  while (cursor) {
    // A refused record is no crossing the platform holds.
    if (cursor.value.state !== 'rejected') return cursor.value;
    cursor = await cursor.continue();
  }
  return undefined;
}

/**
 * What is known of a number now: the device's records, and `platform`, the latest crossing the rosters had of it
 * (a pilgrim recorded at another device or post); the later of the two is the latest.
 */
export async function knownOf(
  number: string,
  nowMs: number,
  platform?: { direction: Direction; at: string },
): Promise<Known> {
  const own = await latestRecordedOf(number);
  const known: Known = {};
  if (own && nowMs - Date.parse(own.record.at) < RECENT_MS && Date.parse(own.record.at) <= nowMs + 60_000)
    known.recent = own;
  const mine = own
    ? { direction: own.record.direction, at: own.record.at, source: 'device' as const }
    : undefined;
  const theirs = platform ? { ...platform, source: 'platform' as const } : undefined;
  const latest = mine && theirs ? (theirs.at > mine.at ? theirs : mine) : (mine ?? theirs);
  if (latest) known.latest = latest;
  return known;
}

/** Whether a second OUT would be recorded for someone already out. */
export function isOut(known: Known | undefined): boolean {
  return known?.latest?.direction === 'OUT';
}
