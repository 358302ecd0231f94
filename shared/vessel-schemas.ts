// Request schemas for the vessel routes: shape and size at the edge; the boat rules live in shared/domain/vessel.ts.
import * as z from 'zod/mini';
import { cnicParam, pageCursor, pageLimit } from './query-params.ts';
import './zod-config.ts';
import { reason, typedText } from './decision-schemas.ts';
import { PORT_CODES } from './domain/reference.ts';
import { normalizeTypedText } from './domain/text.ts';
import {
  type OwnerInput as DomainOwnerInput,
  type VesselInput as DomainVesselInput,
  VESSEL_STATUSES,
} from './domain/vessel.ts';

// As in schemas.ts: limits are generous over the domain rules (which give the precise messages) and only
// stop abuse, and every string is held to the typed-text rule, codes too.
const text = (min: number, max: number) =>
  z.string().check(typedText('single-line'), z.minLength(min), z.maxLength(max));
const code = text(1, 32);
const isoDate = z.iso.date({ error: 'Must be a real date written as YYYY-MM-DD.' });
// zod's number refuses NaN and the infinities; the domain checks each measure's range and decimals.
const measure = z.number({ error: 'Must be a number.' });

export const OwnerInput = z.strictObject({
  name: text(1, 120),
  fatherName: text(1, 120),
  cnic: text(1, 32),
  // An address may be written over several lines.
  address: z.string().check(typedText('multi-line'), z.minLength(1), z.maxLength(400)),
}) satisfies z.ZodMiniType<DomainOwnerInput>;
export type OwnerInput = z.infer<typeof OwnerInput>;

export const EngineInput = z.strictObject({ make: text(1, 80), powerHp: measure });

export const VesselInput = z.strictObject({
  name: text(1, 80),
  type: code,
  homePort: code,
  owner: OwnerInput,
  lengthOverallM: measure,
  grossTonnageGt: measure,
  engine: z.optional(EngineInput),
  hullMaterial: code,
  fishingGear: z
    .array(code)
    .check(z.minLength(1, 'Choose at least one kind of fishing gear, or NONE.'), z.maxLength(16)),
  maxCrew: measure,
  licenceValidFrom: isoDate,
  licenceValidUntil: isoDate,
  previousName: z.optional(text(1, 80)),
  previousRegistration: z.optional(text(1, 32)),
}) satisfies z.ZodMiniType<DomainVesselInput>;
export type VesselInput = z.infer<typeof VesselInput>;

/** A renewal names the new last day; the new certificate starts when it is issued (validateRenewal). */
export const RenewInput = z.strictObject({ licenceValidUntil: isoDate });
export type RenewInput = z.infer<typeof RenewInput>;

export const SuspendInput = z.strictObject({ reason });
export type SuspendInput = z.infer<typeof SuspendInput>;

/** A note is optional on a reinstatement, but one that is sent must say something. */
const note = z.string().check(
  typedText('multi-line'),
  z.overwrite((value: string) => normalizeTypedText(value)),
  z.minLength(3, 'Leave the note out or write at least 3 characters.'),
  z.maxLength(500),
);
/**
 * A licence that ended while the boat was suspended is renewed in the same step (a new last day, as
 * RenewInput), since a certificate is never issued for a lapsed licence and a suspended boat is not renewed.
 */
export const ReinstateInput = z.strictObject({
  note: z.optional(note),
  licenceValidUntil: z.optional(isoDate),
});
export type ReinstateInput = z.infer<typeof ReinstateInput>;

/** The new owner; the domain's validateTransfer refuses the current owner's own CNIC. */
export const TransferInput = z.strictObject({ owner: OwnerInput });
export type TransferInput = z.infer<typeof TransferInput>;

export const CancelInput = z.strictObject({ reason });
export type CancelInput = z.infer<typeof CancelInput>;

export const VesselStatus = z.enum(VESSEL_STATUSES);
export type VesselStatus = z.infer<typeof VesselStatus>;

const upperCase = z.transform((value: string) => value.toUpperCase());

/**
 * `GET /vessels` query parameters, as the HTTP API hands them over (strings). Codes may come in lower case.
 * Strict: a misspelt parameter is an error, not a silently wider list. Which of port and ownerCnic a role
 * must give is the route's rule, since a Fisheries officer's port comes from the token.
 */
export const VesselListQuery = z.strictObject({
  port: z.optional(
    z.pipe(z.pipe(z.string(), upperCase), z.enum(PORT_CODES, { error: 'Not a known port code.' })),
  ),
  ownerCnic: z.optional(cnicParam),
  status: z.optional(
    z.pipe(
      z.pipe(z.string(), upperCase),
      z.enum(VESSEL_STATUSES, { error: `Must be one of ${VESSEL_STATUSES.join(', ')}.` }),
    ),
  ),
  cursor: pageCursor,
  limit: pageLimit(25),
});
export type VesselListQuery = z.infer<typeof VesselListQuery>;
