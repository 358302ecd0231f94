// Request-body schemas for every API input: shape and size at the edge; domain rules live in shared/domain.
import { z } from 'zod';
import type { ApplicationInput as DomainApplicationInput, FieldError } from './domain/application.ts';
import { PAKISTANI_MOBILE } from './domain/application.ts';
import { CHECKPOINT_CODES } from './domain/reference.ts';

export type { FieldError };

export const ROLES = [
  'applicant',
  'fia-officer',
  'fia-supervisor',
  'fisheries-officer',
  'checkpoint-officer',
  'moi-analyst',
] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const APPLICATION_STATUSES = ['PENDING', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED'] as const;
export const ApplicationStatus = z.enum(APPLICATION_STATUSES);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

export const CheckpointCode = z.enum(CHECKPOINT_CODES, { error: 'Not a known checkpoint code.' });

// Limits are generous over the domain rules (which give the precise messages) and only stop abuse.
const code = z.string().min(1).max(32);
const isoDate = z.iso.date({ error: 'Must be a real date written as YYYY-MM-DD.' });
const reason = z.string().trim().min(3, 'Give a reason of at least 3 characters.').max(500);

export const ApplicationInput = z.strictObject({
  passType: code,
  cnic: z.string().min(1).max(32),
  name: z.string().min(1).max(120),
  fatherName: z.string().min(1).max(120),
  district: code,
  crossingPoints: z.array(z.string().min(1).max(8)).min(1, 'Choose at least one crossing point.').max(16),
  validFrom: isoDate,
  validUntil: isoDate,
  phone: z
    .string()
    .regex(PAKISTANI_MOBILE, 'Must be a Pakistani mobile number such as 03001234567 or +923001234567.')
    .optional(),
}) satisfies z.ZodType<DomainApplicationInput>;
export type ApplicationInput = z.infer<typeof ApplicationInput>;

export const RejectInput = z.strictObject({ reason });
export type RejectInput = z.infer<typeof RejectInput>;

export const RevokeInput = z.strictObject({ reason });
export type RevokeInput = z.infer<typeof RevokeInput>;

export const WATCHLIST_CATEGORIES = ['trafficking', 'smuggling', 'blacklisted', 'other'] as const;
export const WatchlistInput = z.strictObject({ reason, category: z.enum(WATCHLIST_CATEGORIES) });
export type WatchlistInput = z.infer<typeof WatchlistInput>;

const sub = z
  .string()
  .min(1, { abort: true })
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'May contain only letters, digits and . _ @ -');

/**
 * A checkpoint officer is bound to exactly one checkpoint, and no other role has one; the union makes that
 * visible in the type, so `login.checkpoint` exists only after checking `login.role`.
 */
export const DevLoginInput = z.discriminatedUnion(
  'role',
  [
    z.strictObject({
      role: z.literal('checkpoint-officer'),
      sub,
      checkpoint: z.enum(CHECKPOINT_CODES, {
        error: (issue) =>
          issue.input === undefined
            ? 'A checkpoint officer must name a checkpoint.'
            : 'Not a known checkpoint code.',
      }),
    }),
    z.strictObject({
      role: Role.exclude(['checkpoint-officer']),
      sub,
      checkpoint: z.never({ error: 'Only a checkpoint officer is bound to a checkpoint.' }).optional(),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `Role must be one of: ${ROLES.join(', ')}.` : undefined,
  },
);
export type DevLoginInput = z.infer<typeof DevLoginInput>;

/**
 * Zod issues as FieldErrors. An unknown field becomes one error on that field's own path, which is where a
 * form shows it. Path segments are escaped as in JSON Pointer so a key containing '/' cannot mislead.
 */
export function zodIssuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: toPointer([...issue.path, key]),
        message: 'This field is not allowed.',
      }));
    }
    return [{ field: toPointer(issue.path), message: issue.message }];
  });
}

function toPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}
