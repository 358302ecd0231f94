// Pass types from configuration (ops' overrides, e.g. to end the rahdari on a date), checked before use.
// Apart from shared/domain/pass-types.ts so that code which only reads types never loads the schema library.
import * as z from 'zod/mini';
import '../zod-config.ts';
import { PASS_TYPES, type PassType } from './pass-types.ts';
import { CROSSING_POINT_CODES, DISTRICT_CODES } from './reference.ts';

const PASS_TYPE_CODE = /^[A-Z][A-Z0-9_]{1,31}$/;

/** The most members any group type may allow: one group approves in one request (docs/groups.md). */
export const MAX_GROUP_MEMBERS = 500;

function uniqueList<T extends z.ZodMiniType>(item: T, min = 1) {
  return z.array(item).check(
    z.minLength(min),
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
  // Empty only on a group type (checked below): its members may live anywhere.
  eligibleDistricts: uniqueList(z.enum(DISTRICT_CODES), 0),
  allowedPoints: z.partialRecord(z.enum(DISTRICT_CODES), uniqueList(z.enum(CROSSING_POINT_CODES))),
  group: z.optional(
    z.strictObject({
      crossingPoints: uniqueList(z.enum(CROSSING_POINT_CODES)),
      maxMembers: z.int().check(z.gte(1), z.lte(MAX_GROUP_MEMBERS)),
    }),
  ),
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
    if (type.group !== undefined && type.eligibleDistricts.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['eligibleDistricts'],
        message: 'A group type takes no residents: leave its districts empty.',
        input: type.eligibleDistricts,
      });
    }
    if (type.group === undefined && type.eligibleDistricts.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['eligibleDistricts'],
        message: 'Needs at least one district, or group rules.',
        input: type.eligibleDistricts,
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
