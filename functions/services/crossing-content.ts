// The content of a crossing record in one canonical form: its digest (an id is stored once, so a resend is either
// this very content again or a conflict) and a fingerprint per field, to name what a conflicting resend changed.
import { createHash } from 'node:crypto';
import type { CrossingInput } from '../../shared/crossing-schemas.ts';
import type { Crossing, CrossingClaim } from '../store/crossings.ts';

/**
 * A record as the server holds it after its checks: the credential by its verified number (the QR text and the raw
 * JWS of one credential are the same credential), the time in UTC with milliseconds, text in its normal form, the
 * crew's CNICs as a set (the order they were typed in says nothing), and an absent field as null.
 */
export interface CanonicalRecord {
  id: string;
  credential: string;
  kind: CrossingInput['kind'];
  checkpoint: string;
  direction: CrossingInput['direction'];
  at: string;
  officer: string;
  device: string;
  verdict: CrossingInput['verdict'];
  override: string | null;
  crew: { count: number; cnics: string[] } | null;
  trustVersion: number | null;
}

/** The fields compared, in the order a conflict names them. */
export const CONTENT_FIELDS = [
  'credential',
  'kind',
  'checkpoint',
  'direction',
  'at',
  'officer',
  'device',
  'verdict',
  'override',
  'crew',
  'trustVersion',
] as const satisfies readonly (keyof CanonicalRecord)[];
export type ContentField = (typeof CONTENT_FIELDS)[number];

/** A fingerprint names a changed field; the digest alone decides. 48 bits keep the claim item small. */
const FINGERPRINT_CHARS = 8;

/** What of a crossing is the device's record: the same fields whether read from a resend or a stored crossing. */
export type RecordContent = Pick<
  Crossing,
  | 'id'
  | 'credential'
  | 'credentialKind'
  | 'checkpoint'
  | 'direction'
  | 'at'
  | 'officer'
  | 'device'
  | 'deviceVerdict'
  | 'override'
  | 'crew'
  | 'trustVersion'
>;

export function canonicalRecord(content: RecordContent): CanonicalRecord {
  return {
    id: content.id,
    credential: content.credential,
    kind: content.credentialKind,
    checkpoint: content.checkpoint,
    direction: content.direction,
    at: new Date(Date.parse(content.at)).toISOString(),
    officer: content.officer,
    device: content.device,
    verdict: content.deviceVerdict,
    override: content.override?.reason ?? null,
    crew: content.crew ? { count: content.crew.count, cnics: [...content.crew.cnics].sort() } : null,
    trustVersion: content.trustVersion ?? null,
  };
}

/** The claim of a crossing's id: its content's digest and fingerprints, and where the crossing is. */
export function claimFor(content: RecordContent & Pick<Crossing, 'credentialPk'>): {
  claim: CrossingClaim;
  canonical: CanonicalRecord;
} {
  const canonical = canonicalRecord(content);
  return {
    canonical,
    claim: {
      id: content.id,
      ...contentOf(canonical),
      credentialPk: content.credentialPk,
      credential: content.credential,
      checkpoint: content.checkpoint,
      direction: content.direction,
      at: canonical.at,
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url');

/** The record's content as it would be claimed: its digest and a fingerprint per field. */
export function contentOf(record: CanonicalRecord): {
  digest: string;
  fingerprints: Record<ContentField, string>;
} {
  // JSON of the fields in a fixed order (the object above is built in that order): one text per content.
  const digest = sha256(JSON.stringify([record.id, ...CONTENT_FIELDS.map((field) => record[field])]));
  const fingerprints = Object.fromEntries(
    CONTENT_FIELDS.map((field) => [field, sha256(JSON.stringify(record[field])).slice(0, FINGERPRINT_CHARS)]),
  ) as Record<ContentField, string>;
  return { digest, fingerprints };
}

/** The fields of `record` whose content differs from the claimed crossing's, in CONTENT_FIELDS order. */
export function changedFields(
  claim: Pick<CrossingClaim, 'fingerprints'>,
  record: CanonicalRecord,
): ContentField[] {
  const { fingerprints } = contentOf(record);
  return CONTENT_FIELDS.filter((field) => claim.fingerprints[field] !== fingerprints[field]);
}

/**
 * One line for an analyst on what a refused resend changed: the stored and the resent value of the fields that
 * place a crossing (time, direction, checkpoint, credential, kind, verdict), the names of the others. Never a
 * token or a CNIC.
 */
export function conflictDetail(
  claim: CrossingClaim,
  record: CanonicalRecord,
  fields: readonly ContentField[],
): string {
  const stored: Partial<Record<ContentField, string>> = {
    at: claim.at,
    direction: claim.direction,
    checkpoint: claim.checkpoint,
    credential: claim.credential,
  };
  const parts = fields.map((field) => {
    const was = stored[field];
    const now = record[field];
    return was !== undefined && (typeof now === 'string' || typeof now === 'number')
      ? `${field} ${was} -> ${now}`
      : field;
  });
  const what = parts.length > 0 ? parts.join(', ') : 'content';
  return `Id resent with other content (${what}); the crossing stored first stands and the resend was refused.`;
}
