// The post's memory for the officer, offline: who is out now, and this device's crossings of the last days.
import type { Direction } from '../../../shared/domain/crossing.ts';
import { db, type LocalCrossing, type SavedRosters } from './storage.ts';

/** How far back the searchable list of this device's crossings goes. */
export const HISTORY_DAYS = 7;
const DAY_MS = 24 * 3600 * 1000;

/** This device's crossings since a time, newest first (refused ones too: the officer must see them). */
export async function crossingsSince(sinceMs: number): Promise<LocalCrossing[]> {
  const since = new Date(sinceMs).toISOString();
  const found = await (await db()).getAllFromIndex('crossings', 'byAt', IDBKeyRange.lowerBound(since));
  return found.reverse();
}

export function historyStart(nowMs: number): number {
  return nowMs - HISTORY_DAYS * DAY_MS;
}

/** Someone out now: their latest known crossing is an OUT. */
export interface OutNow {
  number: string;
  name: string;
  since: string;
  source: 'device' | 'platform';
  group?: string;
}

/**
 * Who is out by what this device knows: its own records (all it keeps, a month) and the rosters' latest crossing
 * of each pilgrim, the later one winning; newest first.
 */
export function outNow(kept: readonly LocalCrossing[], rosters: SavedRosters | undefined): OutNow[] {
  const latest = new Map<string, OutNow & { direction: Direction }>();
  const offer = (entry: OutNow & { direction: Direction }) => {
    const known = latest.get(entry.number);
    if (!known || known.since < entry.since) latest.set(entry.number, entry);
  };
  for (const local of kept) {
    if (local.state === 'rejected') continue;
    offer({
      number: local.number,
      name: local.name,
      since: local.record.at,
      source: 'device',
      direction: local.record.direction,
      ...(local.group !== undefined ? { group: local.group } : {}),
    });
  }
  for (const roster of rosters?.groups ?? [])
    for (const member of roster.members)
      if (member.latest)
        offer({
          number: member.pass,
          name: member.name,
          since: member.latest.at,
          source: 'platform',
          direction: member.latest.direction,
          group: roster.number,
        });
  return [...latest.values()]
    .filter((entry) => entry.direction === 'OUT')
    .map(({ direction: _, ...entry }) => entry)
    .sort((a, b) => (a.since < b.since ? 1 : -1));
}

/** Whether a name or number matches what the officer typed: any order of words, any case, dashes ignored. */
export function matches(query: string, name: string, number: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${name} ${number} ${number.replace(/-/g, '')}`.toLowerCase();
  return words.every((word) => haystack.includes(word.replace(/-/g, '')) || haystack.includes(word));
}
