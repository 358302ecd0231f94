// Pass types as dated data, so a regime such as the rahdari can be phased out or replaced by configuration.
import {
  type CrossingPointCode,
  DEFAULT_DISTRICT_CROSSING_POINTS,
  DISTRICT_CODES,
  type DistrictCode,
} from './reference.ts';

export interface PassType {
  /** Stable code written into credentials, e.g. RAHDARI. */
  readonly code: string;
  readonly name: string;
  /** Credential kind; border passes are signed as `bp+jwt`. */
  readonly kind: 'bp';
  /** First day (Asia/Karachi, inclusive) on which applications and passes of this type are accepted. */
  readonly effectiveFrom: string;
  /** Last day (inclusive); absent means open-ended. No pass of this type may run past it. */
  readonly effectiveUntil?: string | undefined;
  /** Longest pass, counting validFrom and validUntil both as days of validity. */
  readonly maxValidityDays: number;
  readonly eligibleDistricts: readonly DistrictCode[];
  /** Crossing points per eligible district; exactly the eligible districts are keys. */
  readonly allowedPoints: Readonly<Partial<Record<DistrictCode, readonly CrossingPointCode[]>>>;
  /**
   * Present on a type issued to organized groups (pilgrims) instead of to border residents: a leader applies for
   * the whole group, members may live anywhere, and the group crosses at one of these points. Such a type takes
   * no individual application, and its eligible districts are empty.
   */
  readonly group?: GroupPassRules | undefined;
}

export interface GroupPassRules {
  readonly crossingPoints: readonly CrossingPointCode[];
  /** Most members one group may have. */
  readonly maxMembers: number;
}

/**
 * Built-in defaults. Ops override them with `loadPassTypes` rather than code changes; the dates below are
 * the current planning assumptions, not law.
 */
export const PASS_TYPES: readonly PassType[] = [
  {
    code: 'RAHDARI',
    name: 'Rahdari (Iran border resident pass)',
    kind: 'bp',
    effectiveFrom: '2024-01-01',
    // The regime is being phased out; this end date is a configurable placeholder, not an announced one.
    effectiveUntil: '2027-12-31',
    maxValidityDays: 365,
    eligibleDistricts: DISTRICT_CODES,
    allowedPoints: DEFAULT_DISTRICT_CROSSING_POINTS,
  },
  {
    code: 'BORDER_RESIDENT_CARD',
    name: 'Border resident card (Afghan border)',
    kind: 'bp',
    effectiveFrom: '2027-01-01',
    maxValidityDays: 180,
    // Placeholder: the residents this card is for live in districts (Killa Abdullah for Chaman, Khyber for
    // Torkham) that have no district code yet. Chagai, which also borders Afghanistan, stands in until ops
    // configure the real districts; do not read this as policy.
    eligibleDistricts: ['CHAGAI'],
    allowedPoints: { CHAGAI: ['CMN', 'TKM'] },
  },
  {
    code: 'ZIYARAT_GROUP',
    name: 'Ziyarat group pass (pilgrims to Iran and Iraq)',
    kind: 'bp',
    effectiveFrom: '2024-01-01',
    // A pilgrimage to Mashhad, Qom, Karbala and Najaf by road takes three to six weeks.
    maxValidityDays: 60,
    eligibleDistricts: [],
    allowedPoints: {},
    group: { crossingPoints: ['TFT'], maxMembers: 500 },
  },
];

export function findPassType<T extends Pick<PassType, 'code'> = PassType>(
  code: string,
  passTypes: readonly T[] = PASS_TYPES as unknown as readonly T[],
): T | undefined {
  return passTypes.find((type) => type.code === code);
}

/** Whether the type accepts applications and passes at this instant, judged by the date in Pakistan. */
export function passTypeInEffect(
  type: Pick<PassType, 'effectiveFrom' | 'effectiveUntil'>,
  at: Date,
): boolean {
  return passTypeInEffectOn(type, karachiDate(at));
}

/** Same as passTypeInEffect for a calendar day (YYYY-MM-DD); both ends of the type's range are inclusive. */
export function passTypeInEffectOn(
  type: Pick<PassType, 'effectiveFrom' | 'effectiveUntil'>,
  day: string,
): boolean {
  return day >= type.effectiveFrom && (type.effectiveUntil === undefined || day <= type.effectiveUntil);
}

/** The crossing points a resident of `district` may name under `type`; empty if the district is not eligible. */
export function allowedPointsFor(type: PassType, district: DistrictCode): readonly CrossingPointCode[] {
  return type.eligibleDistricts.includes(district) ? (type.allowedPoints[district] ?? []) : [];
}

// Pakistan has kept UTC+05:00 without daylight saving since 2009, so a fixed offset is exact for any pass
// date and avoids depending on the time zone data of a cheap checkpoint phone's browser.
const KARACHI_OFFSET_MS = 5 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The calendar date (YYYY-MM-DD) in Asia/Karachi at the given instant. */
export function karachiDate(at: Date): string {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('karachiDate expects a valid Date.');
  return new Date(ms + KARACHI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant (epoch milliseconds) a calendar day (YYYY-MM-DD) begins in Asia/Karachi. */
export function karachiDayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - KARACHI_OFFSET_MS;
}

/** The calendar date in Asia/Karachi `days` days after (or before) the given instant's. */
export function karachiDatePlus(at: Date, days: number): string {
  return karachiDate(new Date(at.getTime() + days * DAY_MS));
}

/** True for a YYYY-MM-DD string naming a real day (2024-02-29 yes, 2025-02-29 no); years before 1900 are refused. */
export function isCalendarDate(value: string): boolean {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (match === null) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  // Date.UTC reads years 0–99 as 1900–1999, and no pass date is that old anyway.
  if (year < 1900) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD calendar dates); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
