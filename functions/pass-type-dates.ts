// The pass types an approval checks, read from `PASS_TYPES` without the schema library: an approval needs only
// each type's code, name and dates, and the full list was already checked at synthesis (infra) and by the
// applications function at its cold start. What this reads is still checked, so a bad value fails the cold start.
import { isCalendarDate, PASS_TYPES, type PassType } from '../shared/domain/pass-types.ts';
import { ConfigError, passTypesOverrides } from './config.ts';

type Dated = Pick<PassType, 'code' | 'name' | 'effectiveFrom' | 'effectiveUntil'>;

function datedType(value: unknown, index: number): Dated {
  const t = value as Partial<Record<keyof Dated, unknown>> | null;
  const ok =
    t !== null &&
    typeof t === 'object' &&
    typeof t.code === 'string' &&
    typeof t.name === 'string' &&
    typeof t.effectiveFrom === 'string' &&
    isCalendarDate(t.effectiveFrom) &&
    (t.effectiveUntil === undefined ||
      (typeof t.effectiveUntil === 'string' && isCalendarDate(t.effectiveUntil)));
  if (!ok) throw new ConfigError(`PASS_TYPES: entry ${index} lacks a code, a name or valid dates`);
  return t as Dated;
}

export function loadPassTypeDates(env: Record<string, string | undefined> = process.env): readonly Dated[] {
  const overrides = passTypesOverrides(env);
  if (overrides === undefined) return PASS_TYPES;
  if (!Array.isArray(overrides)) throw new ConfigError('PASS_TYPES must be a JSON array');
  const byCode = new Map(overrides.map((o, i) => datedType(o, i)).map((t) => [t.code, t]));
  const merged: Dated[] = PASS_TYPES.map((t) => byCode.get(t.code) ?? t);
  return [...merged, ...[...byCode.values()].filter((t) => !PASS_TYPES.some((b) => b.code === t.code))];
}
