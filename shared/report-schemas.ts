// The reports' query parameters and the rows they answer with, shared by the API and the Ministry's office page.

import * as z from 'zod/mini';
import type { GroupOfAnomaly } from './feed-records.ts';
import './zod-config.ts';
import { ANOMALY_KINDS, type AnomalyKind } from './crossing-schemas.ts';
import { CHECKPOINT_CODES } from './domain/reference.ts';
import { pageCursor, pageLimit } from './query-params.ts';

/** The longest range of days an anomaly report pages through: a quarter. */
export const MAX_REPORT_DAYS = 92;
/**
 * The longest range of daily counts in one answer: a year, leap or not. The counts are a few rows per day and post,
 * read from the daily counters (a Query per month), so a year is one request.
 */
export const MAX_COUNT_DAYS = 366;

const DAY_MESSAGE = 'Must be a calendar day, YYYY-MM-DD.';

/** A real calendar day (2026-02-30 is not one), as YYYY-MM-DD. */
const day = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, DAY_MESSAGE),
  z.refine((value) => {
    const ms = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
  }, DAY_MESSAGE),
);

/** Days from `from` to `to`, both included. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400_000) + 1;
}

type Range = { from: string; to: string };

const rangeChecks = (maxDays: number) =>
  [
    z.refine<Range>((q) => q.from <= q.to, { message: 'Must not be before from.', path: ['to'] }),
    z.refine<Range>((q) => q.from > q.to || daysInRange(q.from, q.to) <= maxDays, {
      message: `A report covers at most ${maxDays} days.`,
      path: ['to'],
    }),
  ] as const;

/** `GET /reports/crossings`: Pakistan days from `from` to `to`, at one checkpoint or all. */
export const CrossingCountsQuery = z
  .strictObject({
    from: day,
    to: day,
    checkpoint: z.optional(z.enum(CHECKPOINT_CODES, { error: 'Not a known checkpoint code.' })),
  })
  .check(...rangeChecks(MAX_COUNT_DAYS));

/** `GET /reports/anomalies`: the anomalies of the Pakistan days from `from` to `to`, of one type or all. */
export const AnomaliesQuery = z
  .strictObject({
    from: day,
    to: day,
    type: z.optional(z.enum(ANOMALY_KINDS, { error: `Must be one of ${ANOMALY_KINDS.join(', ')}.` })),
    limit: pageLimit(50),
    cursor: pageCursor,
  })
  .check(...rangeChecks(MAX_REPORT_DAYS));

/**
 * `GET /reports/overstays`: as of now, or of `asOf`: an ISO 8601 time with Z or an offset, or a day, which means
 * the end of that day in Pakistan.
 */
export const OverstaysQuery = z.strictObject({
  asOf: z.optional(
    z.pipe(
      z.union([z.iso.datetime({ offset: true }), day], {
        error: 'Must be an ISO 8601 time with Z or an offset, or a day (YYYY-MM-DD).',
      }),
      z.transform((value: string) =>
        value.length === 10
          ? new Date(Date.parse(`${value}T23:59:59.999+05:00`))
          : new Date(Date.parse(value)),
      ),
    ),
  ),
});

/** `GET /reports/vessels-at-sea` takes no parameter. */
export const VesselsAtSeaQuery = z.strictObject({});

/** One row of `GET /reports/crossings`: a Pakistan day at one checkpoint. */
export interface CrossingCountRow {
  date: string;
  checkpoint: string;
  out: number;
  in: number;
}

/** One row of `GET /reports/anomalies`. `cnics` (watchlisted crew) only to FIA roles. */
export interface AnomalyRow {
  at: string;
  /** Pakistan day of `at`. */
  date: string;
  type: AnomalyKind;
  checkpoint: string;
  credential: string;
  crossingId: string;
  detail: string;
  cnics?: string[];
  /** GROUP_OVERDUE: the member's group and its leader, who answers for the return. */
  group?: GroupOfAnomaly;
}

/** One row of `GET /reports/overstays`. `cnic` only to FIA roles. */
export interface OverstayRow {
  pass: string;
  name: string;
  cnic?: string;
  /** Where and when the holder went out. */
  checkpoint: string;
  outAt: string;
  /** When the pass expired (or expires, for an `asOf` ahead). */
  expiredAt: string;
}

/** One row of `GET /reports/vessels-at-sea`. */
export interface VesselAtSeaRow {
  vessel: string;
  /** The certificate it left on. */
  certificate: string;
  checkpoint: string;
  outAt: string;
  crew: number | null;
}
