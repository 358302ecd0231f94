// The limits and words of a crossing record, without the schema library, for the checkpoint app's bundle.

/** A device syncs at most this many records per request: a week offline at a busy post is 20 requests. */
export const MAX_CROSSING_BATCH = 500;
/** No real boat carries more; the certificate's own limit is checked as an anomaly, not here. */
export const MAX_CREW = 200;

export const DIRECTIONS = ['OUT', 'IN'] as const;
export type Direction = (typeof DIRECTIONS)[number];
