// The limits and words of a crossing record, without the schema library, for the checkpoint app's bundle.

/** A device syncs at most this many records per request: a week offline at a busy post is 20 requests. */
export const MAX_CROSSING_BATCH = 500;
/** No real boat carries more; the certificate's own limit is checked as an anomaly, not here. */
export const MAX_CREW = 200;

export const DIRECTIONS = ['OUT', 'IN'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** The anomalies the server finds on a crossing; the app names each in the officer's language. */
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
  /**
   * A record came again with the id of a stored crossing and other content; the stored crossing stands and the
   * resend is refused. Filed against the stored crossing, once per distinct content resent.
   */
  'CONFLICTING_RESEND',
  /** The device's own verdict was not VALID, yet the crossing was recorded without an override and its reason. */
  'NOT_VALID_WITHOUT_OVERRIDE',
  /** Dated before the credential's validity began (beyond the clock tolerance). */
  'BEFORE_VALIDITY',
  /**
   * The device's trust state already held the credential's revocation, yet the record says VALID or is dated
   * before the revocation: a back-dated record or a verdict the device could not have given.
   */
  'AFTER_KNOWN_REVOCATION',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
