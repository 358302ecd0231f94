// Request-body schemas for every API input: shape and size at the edge; domain rules live in shared/domain.
// zod/mini keeps a Lambda bundle (and the checkpoint app) small: the classic API pulls in every locale.
import * as z from 'zod/mini';
import './zod-config.ts';
import { reason, typedText } from './decision-schemas.ts';
import type { ApplicationInput as DomainApplicationInput, FieldError } from './domain/application.ts';
import { PAKISTANI_MOBILE } from './domain/application.ts';
import { parseCnic } from './domain/cnic.ts';
import { CHECKPOINT_CODES, PORT_CODES } from './domain/reference.ts';
import { ROLES } from './roles.ts';

export { capFieldErrors, MAX_FIELD_ERRORS, zodIssuesToFieldErrors } from './field-errors.ts';
export { ROLES } from './roles.ts';
export type { FieldError };

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const APPLICATION_STATUSES = ['PENDING', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED'] as const;
export const ApplicationStatus = z.enum(APPLICATION_STATUSES);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

export const CheckpointCode = z.enum(CHECKPOINT_CODES, { error: 'Not a known checkpoint code.' });

// Limits are generous over the domain rules (which give the precise messages) and only stop abuse. Every
// string is held to the typed-text rule, codes too: a code with a hidden character in it is told so, rather
// than that it is unknown.
const text = (min: number, max: number) =>
  z.string().check(typedText('single-line'), z.minLength(min), z.maxLength(max));
const code = text(1, 32);
const isoDate = z.iso.date({ error: 'Must be a real date written as YYYY-MM-DD.' });
export const ApplicationInput = z.strictObject({
  passType: code,
  cnic: text(1, 32),
  name: text(1, 120),
  fatherName: text(1, 120),
  district: code,
  crossingPoints: z
    .array(text(1, 8))
    .check(z.minLength(1, 'Choose at least one crossing point.'), z.maxLength(16)),
  validFrom: isoDate,
  validUntil: isoDate,
  phone: z.optional(
    z
      .string()
      .check(
        z.regex(PAKISTANI_MOBILE, 'Must be a Pakistani mobile number such as 03001234567 or +923001234567.'),
      ),
  ),
}) satisfies z.ZodMiniType<DomainApplicationInput>;
export type ApplicationInput = z.infer<typeof ApplicationInput>;

export { RejectInput, RevokeInput, reason, typedText } from './decision-schemas.ts';

export const WATCHLIST_CATEGORIES = ['trafficking', 'smuggling', 'blacklisted', 'other'] as const;
export const WatchlistInput = z.strictObject({ reason, category: z.enum(WATCHLIST_CATEGORIES) });
export type WatchlistInput = z.infer<typeof WatchlistInput>;

const sub = z
  .string()
  .check(
    z.minLength(1, { abort: true }),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9._@-]+$/, 'May contain only letters, digits and . _ @ -'),
  );

/** A CNIC as a resident writes it (bare or dashed), stored as the 13 digits Cognito's `custom:cnic` holds. */
const cnic = z.string().check(
  typedText('single-line'),
  z.superRefine((value: string, ctx) => {
    const parsed = parseCnic(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error, input: value });
  }),
  z.overwrite((value: string) => {
    const parsed = parseCnic(value);
    return parsed.ok ? parsed.cnic : value;
  }),
);

const noCheckpoint = z.optional(z.never({ error: 'Only a checkpoint officer is bound to a checkpoint.' }));
const noCnic = z.optional(z.never({ error: 'Only an applicant is bound to a CNIC.' }));
const noPort = z.optional(z.never({ error: 'Only a Fisheries officer is bound to a port.' }));

/**
 * A checkpoint officer is bound to exactly one checkpoint and an applicant to at most one CNIC (an account
 * without one may not apply); no other role has either. The union makes that visible in the type, so
 * `login.checkpoint` and `login.cnic` exist only after checking `login.role`.
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
      cnic: noCnic,
      port: noPort,
    }),
    z.strictObject({
      role: z.literal('applicant'),
      sub,
      cnic: z.optional(cnic),
      checkpoint: noCheckpoint,
      port: noPort,
    }),
    // A Fisheries officer acts for one port office (Cognito's custom:port); without one they may only read.
    z.strictObject({
      role: z.literal('fisheries-officer'),
      sub,
      port: z.optional(z.enum(PORT_CODES, { error: 'Not a known port code.' })),
      checkpoint: noCheckpoint,
      cnic: noCnic,
    }),
    z.strictObject({
      role: z.enum(
        ROLES.filter((r) => r !== 'checkpoint-officer' && r !== 'applicant' && r !== 'fisheries-officer') as [
          Exclude<Role, 'checkpoint-officer' | 'applicant' | 'fisheries-officer'>,
        ],
      ),
      sub,
      checkpoint: noCheckpoint,
      cnic: noCnic,
      port: noPort,
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `Role must be one of: ${ROLES.join(', ')}.` : undefined,
  },
);
export type DevLoginInput = z.infer<typeof DevLoginInput>;
