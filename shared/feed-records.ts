// The records of the Ministry feed: one JSON object per NDJSON line, their builders and the batch's JWS type.
//
// These are the only objects that carry CNICs out of the platform (for FIA registration). They go to the
// signed batches and the daily export, never into a log. docs/feed.md documents each type as a JSON Schema.

/** The JWS `typ` of a feed batch, so a batch can never pass for a credential or a trust bundle. */
export const FEED_JWS_TYPE = 'rahdari-feed+jws';

export const FEED_RECORD_TYPES = [
  'crossing',
  'anomaly',
  'pass-issued',
  'pass-revoked',
  'vessel-change',
] as const;
export type FeedRecordType = (typeof FEED_RECORD_TYPES)[number];

export interface CrossingFeedRecord {
  type: 'crossing';
  /** The crossing's ULID, made on the checkpoint device. */
  id: string;
  at: string;
  receivedAt: string;
  checkpoint: string;
  direction: 'OUT' | 'IN';
  credentialKind: 'pass' | 'vessel';
  /** The pass number or the boat certificate's serial. */
  credential: string;
  /** The pass holder's CNIC, name and father's name (passes only): what FIA registers the crossing under. */
  cnic?: string;
  name?: string;
  fatherName?: string;
  /** Boats: the crew count and the crew CNICs recorded at the checkpoint. */
  crew?: { count: number; cnics: string[] };
  deviceVerdict: string;
  serverVerdict: string;
  override?: { reason: string };
  /** What the device says of who checked: free text typed on the device, never verified. */
  officer: string;
  device: string;
  /** The authenticated account that posted the record (its Cognito sub and role): who answers for it. */
  postedBy: PostedBy;
  /** The revocation version of the device's trust state when it judged the credential, when the app sent it. */
  trustVersion?: number;
  /** The kinds of anomaly found; each also arrives as its own `anomaly` record. */
  anomalies: string[];
}

/** An authenticated account: its Cognito sub (the actor id in the audit trail) and role. */
export interface PostedBy {
  sub: string;
  role: string;
}

export interface AnomalyFeedRecord {
  type: 'anomaly';
  /**
   * `<crossing id>:<kind>`: one anomaly of a kind per crossing; for CONFLICTING_RESEND
   * `<crossing id>:CONFLICTING_RESEND:<content digest>`, one per distinct content resent.
   */
  id: string;
  crossingId: string;
  kind: string;
  at: string;
  checkpoint: string;
  credential: string;
  detail: string;
  /** Watchlisted crew CNICs, for CREW_ON_WATCHLIST. */
  cnics?: string[];
  /** For GROUP_OVERDUE: the pilgrim group the member was out with, and its leader, who answers for the return. */
  group?: GroupOfAnomaly;
  /** For CONFLICTING_RESEND: what the refused resend changed, and who sent it when. */
  resend?: ResendOfAnomaly;
}

/** A resend of a stored crossing's id with other content, refused; the stored crossing stands. */
export interface ResendOfAnomaly {
  /** The record fields whose content differs from the stored crossing's (at, direction, credential, ...). */
  fields: string[];
  postedBy: PostedBy;
  receivedAt: string;
}

export interface GroupOfAnomaly {
  number: string;
  leaderCnic: string;
  leaderName: string;
  organization: string;
  returnBy: string;
}

export interface PassIssuedFeedRecord {
  type: 'pass-issued';
  /** `<pass number>:issued`. */
  id: string;
  number: string;
  passType: string;
  cnic: string;
  name: string;
  fatherName: string;
  crossingPoints: string[];
  validFrom: string;
  validUntil: string;
  issuedAt: string;
  /** The pilgrim group the pass was issued to a member of. */
  group?: string;
}

export interface PassRevokedFeedRecord {
  type: 'pass-revoked';
  /** `<pass number>:revoked`: a pass is revoked at most once. */
  id: string;
  number: string;
  cnic: string;
  at: string;
  reason: string;
}

export const VESSEL_CHANGE_ACTIONS = [
  'REGISTERED',
  'RENEWED',
  'SUSPENDED',
  'REINSTATED',
  'TRANSFERRED',
  'CANCELLED',
] as const;
export type VesselChangeAction = (typeof VESSEL_CHANGE_ACTIONS)[number];

export interface VesselChangeFeedRecord {
  type: 'vessel-change';
  /** A ULID made when the change was stored. */
  id: string;
  action: VesselChangeAction;
  at: string;
  officialNumber: string;
  status: string;
  name: string;
  homePort: string;
  owner: { cnic: string; name: string; fatherName: string };
  maxCrew: number;
  licenceValidUntil: string;
  /** The certificate in force after the change; a new serial means a certificate was issued. */
  certificate: { serial: string; exp: number };
  reason?: string;
}

export type FeedRecord =
  | CrossingFeedRecord
  | AnomalyFeedRecord
  | PassIssuedFeedRecord
  | PassRevokedFeedRecord
  | VesselChangeFeedRecord;

/** The NDJSON of a list of records: one line each, every line ending in a newline. */
export function toNdjson(records: readonly FeedRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

/** Deterministic order for the export and within a batch: by type as listed, then by id. */
export function compareRecords(a: FeedRecord, b: FeedRecord): number {
  const byType = FEED_RECORD_TYPES.indexOf(a.type) - FEED_RECORD_TYPES.indexOf(b.type);
  if (byType !== 0) return byType;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
