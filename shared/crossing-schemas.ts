// Crossing records as a checkpoint device sends them: the batch envelope, one record, and the results per record.
import * as z from 'zod/mini';
import './zod-config.ts';
import type { Verdict } from './credential.ts';
import { typedText } from './decision-schemas.ts';
import { parseCnic } from './domain/cnic.ts';
import { DIRECTIONS, MAX_CREW, MAX_CROSSING_BATCH } from './domain/crossing.ts';
import { CHECKPOINT_CODES } from './domain/reference.ts';

export { DIRECTIONS, type Direction, MAX_CREW, MAX_CROSSING_BATCH } from './domain/crossing.ts';

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
const text = (max: number) => z.string().check(typedText('single-line'), z.minLength(1), z.maxLength(max));

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
    override: z.optional(z.strictObject({ reason: text(500) })),
    crew: z.optional(CrewInput),
    trustVersion: z.optional(z.int().check(z.gte(0))),
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

export const ANOMALY_KINDS = [
  /** An OUT whose previous crossing of the credential was an OUT too. */
  'DOUBLE_OUT',
  /** The pass does not list the checkpoint, or a boat certificate was shown where boats are not checked. */
  'POINT_NOT_ON_PASS',
  /** The officer let the holder through on override. */
  'OVERRIDE',
  /** A boat left or returned with more crew than its certificate allows. */
  'CREW_ABOVE_LIMIT',
  /** A boat returned with another crew (count or CNICs) than it left with. */
  'CREW_CHANGED',
  /** A crew member's CNIC is on the FIA watchlist. */
  'CREW_ON_WATCHLIST',
  /** A pilgrim group's member still out when the group's promised return date ended (found by a sweep). */
  'GROUP_OVERDUE',
  /** The device's verdict differs from the server's as of the crossing time. */
  'VERDICT_MISMATCH',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export type CrossingResult =
  | { id: string; result: 'stored'; anomalies: AnomalyKind[] }
  | { id: string; result: 'duplicate' }
  | { id: string; result: 'rejected'; reason: string };
