// Pass types as dated data, so a regime such as the rahdari can be phased out or replaced by configuration.
import * as z from 'zod/mini';
import '../zod-config.ts';
import {
  CROSSING_POINT_CODES,
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
];

export function findPassType(
  code: string,
  passTypes: readonly PassType[] = PASS_TYPES,
): PassType | undefined {
  return passTypes.find((type) => type.code === code);
}

/** Whether the type accepts applications and passes at this instant, judged by the date in Pakistan. */
export function passTypeInEffect(type: PassType, at: Date): boolean {
  return passTypeInEffectOn(type, karachiDate(at));
}

/** Same as passTypeInEffect for a calendar day (YYYY-MM-DD); both ends of the type's range are inclusive. */
export function passTypeInEffectOn(type: PassType, day: string): boolean {
  return day >= type.effectiveFrom && (type.effectiveUntil === undefined || day <= type.effectiveUntil);
}

/** The crossing points a resident of `district` may name under `type`; empty if the district is not eligible. */
export function allowedPointsFor(type: PassType, district: DistrictCode): readonly CrossingPointCode[] {
  return type.eligibleDistricts.includes(district) ? (type.allowedPoints[district] ?? []) : [];
}

const PASS_TYPE_CODE = /^[A-Z][A-Z0-9_]{1,31}$/;

function uniqueList<T extends z.ZodMiniType>(item: T) {
  return z.array(item).check(
    z.minLength(1),
    z.maxLength(64),
    z.refine((list: unknown[]) => new Set(list).size === list.length, {
      message: 'Lists each code at most once.',
    }),
  );
}

const PassTypeFields = z.strictObject({
  code: z.string().check(z.regex(PASS_TYPE_CODE, 'Must be 2–32 capital letters, digits or underscores.')),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  kind: z.literal('bp'),
  effectiveFrom: z.iso.date(),
  effectiveUntil: z.optional(z.iso.date()),
  maxValidityDays: z.int().check(z.gte(1), z.lte(3660)),
  eligibleDistricts: uniqueList(z.enum(DISTRICT_CODES)),
  allowedPoints: z.partialRecord(z.enum(DISTRICT_CODES), uniqueList(z.enum(CROSSING_POINT_CODES))),
});

const PassTypeConfig = PassTypeFields.check(
  z.superRefine((type: z.infer<typeof PassTypeFields>, ctx) => {
    if (type.effectiveUntil !== undefined && type.effectiveUntil < type.effectiveFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveUntil'],
        message: 'Must not be before effectiveFrom.',
        input: type.effectiveUntil,
      });
    }
    const keyed = new Set(Object.keys(type.allowedPoints));
    for (const district of type.eligibleDistricts) {
      if (!keyed.has(district)) {
        ctx.addIssue({
          code: 'custom',
          path: ['allowedPoints', district],
          message: 'Every eligible district needs its crossing points.',
          input: type.allowedPoints,
        });
      }
    }
    for (const district of keyed) {
      if (!(type.eligibleDistricts as readonly string[]).includes(district)) {
        ctx.addIssue({
          code: 'custom',
          path: ['allowedPoints', district],
          message: 'Only eligible districts may have crossing points.',
          input: type.allowedPoints,
        });
      }
    }
  }),
);

const PassTypeOverrides = z.array(PassTypeConfig).check(
  z.maxLength(100),
  z.superRefine((types: z.infer<typeof PassTypeConfig>[], ctx) => {
    const seen = new Set<string>();
    types.forEach((type, index) => {
      if (seen.has(type.code)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'code'],
          message: `${type.code} is listed more than once.`,
          input: type.code,
        });
      }
      seen.add(type.code);
    });
  }),
);

export type PassTypesLoadResult =
  | { ok: true; passTypes: readonly PassType[] }
  | { ok: false; errors: string[] };

/**
 * Applies an ops-supplied list (e.g. parsed JSON from config) to `base`: an entry replaces the base type
 * with the same code as a whole, new codes are appended. Types are never removed, because issued passes
 * still name them; end one by giving it an effectiveUntil. Nothing is applied if any entry is invalid.
 */
export function loadPassTypes(
  overrides: unknown,
  base: readonly PassType[] = PASS_TYPES,
): PassTypesLoadResult {
  const parsed = PassTypeOverrides.safeParse(overrides);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => `${issue.path.join('/') || '(root)'}: ${issue.message}`),
    };
  }
  const byCode = new Map(parsed.data.map((type) => [type.code, type]));
  const merged = base.map((type) => byCode.get(type.code) ?? type);
  const baseCodes = new Set(base.map((type) => type.code));
  const added = parsed.data.filter((type) => !baseCodes.has(type.code));
  return { ok: true, passTypes: [...merged, ...added] };
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
