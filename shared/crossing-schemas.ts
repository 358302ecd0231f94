// Crossing records as a checkpoint device sends them: the batch envelope, one record, and the results per record.
import * as z from 'zod/mini';
import './zod-config.ts';
import type { Verdict } from './credential.ts';
import { typedText } from './decision-schemas.ts';
import { parseCnic } from './domain/cnic.ts';
import { type AnomalyKind, DIRECTIONS, MAX_CREW, MAX_CROSSING_BATCH } from './domain/crossing.ts';
import { MAX_REASON_LENGTH, MIN_REASON_LENGTH, reasonProblem } from './domain/reasons.ts';
import { CHECKPOINT_CODES } from './domain/reference.ts';
import { normalizeTypedText } from './domain/text.ts';

export {
  ANOMALY_KINDS,
  type AnomalyKind,
  DIRECTIONS,
  type Direction,
  MAX_CREW,
  MAX_CROSSING_BATCH,
} from './domain/crossing.ts';

export const VERDICTS = [
  'VALID',
  'INVALID_SIGNATURE',
  'UNKNOWN_KEY',
  'WRONG_TYPE',
  'EXPIRED',
  'NOT_YET_VALID',
  'REVOKED',
  'NOT_VALID_HERE',
  'MALFORMED',
] as const satisfies readonly Verdict[];

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/**
 * A name or code typed on the device, stored in its normal form (composed, trimmed): text that is only space names
 * no one, so it is refused rather than stored as an officer or a device nobody can trace.
 */
const text = (max: number) =>
  z.string().check(
    typedText('single-line'),
    z.overwrite((value: string) => normalizeTypedText(value)),
    z.minLength(1, 'Must not be empty or only spaces.'),
    z.maxLength(max),
  );

const REASON_MESSAGES = {
  empty: 'Give a reason; it must not be empty or only spaces.',
  'too-short': `Give a reason of at least ${MIN_REASON_LENGTH} characters.`,
  'too-long': `Give a reason of at most ${MAX_REASON_LENGTH} characters.`,
} as const;

/** An override's reason: the one rule for a reason's length (shared/domain/reasons.ts), as the app applies it. */
const overrideReason = z.string().check(
  typedText('single-line'),
  z.overwrite((value: string) => normalizeTypedText(value)),
  z.superRefine((value: string, ctx) => {
    const problem = reasonProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: REASON_MESSAGES[problem], input: value });
  }),
);

/** A crew member's CNIC, bare or dashed, carried on as its 13 digits. */
const crewCnic = z.pipe(
  z.string().check(z.maxLength(32)),
  z.transform((value: string, ctx) => {
    const parsed = parseCnic(value);
    if (parsed.ok) return parsed.cnic;
    ctx.issues.push({ code: 'custom', message: parsed.error, input: value });
    return z.NEVER;
  }),
);

export const CrewInput = z
  .strictObject({
    count: z.int({ error: 'Must be a whole number.' }).check(z.gte(1), z.lte(MAX_CREW)),
    cnics: z.array(crewCnic).check(z.maxLength(MAX_CREW)),
  })
  .check(
    z.refine((crew) => crew.cnics.length <= crew.count, {
      message: 'More crew CNICs than the crew count.',
      path: ['cnics'],
    }),
    z.refine((crew) => new Set(crew.cnics).size === crew.cnics.length, {
      message: 'A crew CNIC is listed twice.',
      path: ['cnics'],
    }),
  );
export type CrewInput = z.infer<typeof CrewInput>;

/**
 * One crossing as recorded on the device. Its time is the device's, with an offset or Z; `credential` is the QR
 * text or the raw JWS that was scanned, verified again on the server. A boat's record carries its crew and a
 * pass's never does.
 */
export const CrossingInput = z
  .strictObject({
    id: z.string().check(z.regex(ULID, 'Must be a ULID made on the device.')),
    credential: z.string().check(z.minLength(1), z.maxLength(4096)),
    kind: z.enum(['bp', 'vr'], { error: 'Must be bp (border pass) or vr (boat certificate).' }),
    checkpoint: z.enum(CHECKPOINT_CODES, { error: 'Not a known checkpoint code.' }),
    direction: z.enum(DIRECTIONS, { error: 'Must be OUT or IN.' }),
    at: z.iso.datetime({ offset: true, error: 'Must be an ISO 8601 time with Z or an offset.' }),
    officer: text(128),
    device: text(128),
    verdict: z.enum(VERDICTS, { error: 'Not a verdict.' }),
    override: z.optional(z.strictObject({ reason: overrideReason })),
    crew: z.optional(CrewInput),
    /**
     * The revocation version of the device's trust state when it judged the credential: what it knew of
     * revocations. Optional, as older apps do not send it; the server then cannot say what the device knew.
     */
    trustVersion: z.optional(
      z.int({ error: 'Must be a whole number.' }).check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)),
    ),
  })
  .check(
    z.refine((record) => record.kind !== 'vr' || record.crew !== undefined, {
      message: "A boat's crossing records its crew.",
      path: ['crew'],
    }),
    z.refine((record) => record.kind !== 'bp' || record.crew === undefined, {
      message: 'Only a boat has a crew.',
      path: ['crew'],
    }),
  );
export type CrossingInput = z.infer<typeof CrossingInput>;

/**
 * The envelope is checked as a whole (a body that is not a batch is refused); each record inside is checked on
 * its own, so one bad record is rejected without refusing the rest.
 */
export const CrossingBatchInput = z.strictObject({
  records: z
    .array(z.unknown())
    .check(
      z.minLength(1, 'Send at least one record.'),
      z.maxLength(MAX_CROSSING_BATCH, `Send at most ${MAX_CROSSING_BATCH} records per request.`),
    ),
});

export type CrossingResult =
  | { id: string; result: 'stored'; anomalies: AnomalyKind[] }
  | { id: string; result: 'duplicate' }
  | { id: string; result: 'rejected'; reason: string };
