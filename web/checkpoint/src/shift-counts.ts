// Checks per officer per shift on this device, for the supervisor: each verdict shown counts once.
import { db, type LocalCrossing, type ShiftChecks } from './storage.ts';
import { pakistanDay } from './time.ts';

/** Three eight-hour shifts a Pakistan day, starting at 00:00, 08:00 and 16:00 PKT. */
export const SHIFT_HOURS = 8;

export function shiftOf(ms: number): { day: string; shift: number } {
  const hour = new Date(ms + 5 * 3600_000).getUTCHours();
  return { day: pakistanDay(ms), shift: Math.floor(hour / SHIFT_HOURS) * SHIFT_HOURS };
}

/** Adds one check by an officer at a time; several tabs may count at once, so it reads and writes in one step. */
export async function countCheck(officer: string, nowMs: number): Promise<void> {
  const { day, shift } = shiftOf(nowMs);
  const key = `${day}|${shift}|${officer}`;
  const tx = (await db()).transaction('checks', 'readwrite');
  const known = await tx.store.get(key);
  await tx.store.put({ key, day, shift, officer, checks: (known?.checks ?? 0) + 1 });
  await tx.done;
}

export interface ShiftRow extends ShiftChecks {
  /** Crossings this officer recorded on this device in the shift. */
  recorded: number;
}

/** The shifts of the last `days` Pakistan days, newest first, each officer's checks and crossings recorded. */
export async function shiftRows(crossings: readonly LocalCrossing[], sinceDay: string): Promise<ShiftRow[]> {
  const checks = await (await db()).getAll('checks', IDBKeyRange.lowerBound(sinceDay));
  const rows = new Map<string, ShiftRow>(checks.map((c) => [c.key, { ...c, recorded: 0 }]));
  for (const local of crossings) {
    const { day, shift } = shiftOf(Date.parse(local.record.at));
    if (day < sinceDay) continue;
    const key = `${day}|${shift}|${local.record.officer}`;
    const row = rows.get(key) ?? { key, day, shift, officer: local.record.officer, checks: 0, recorded: 0 };
    row.recorded++;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) =>
    a.day !== b.day ? (a.day < b.day ? 1 : -1) : b.shift - a.shift || a.officer.localeCompare(b.officer),
  );
}
