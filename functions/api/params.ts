// Schemas of the path and query parameters routes take, as the HTTP API hands them over (percent-decoded strings).
import * as z from 'zod/mini';
import '../../shared/zod-config.ts';
import { GROUP_STATUSES } from '../../shared/group-schemas.ts';
import { cnicParam, pageCursor, pageLimit } from '../../shared/query-params.ts';
import { APPLICATION_STATUSES } from '../../shared/schemas.ts';

/** A malformed identifier names nothing that can exist: routes answer it as a missing record (their notFound). */
export const ApplicationPath = z.object({ id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)) });
export const PassPath = z.object({ no: z.string().check(z.regex(/^BP-\d{4}-\d{6}$/)) });
/** A boat's official number, PORT-YEAR-NNNNN; one of a port or year that never registered answers 404 as well. */
export const VesselPath = z.object({ no: z.string().check(z.regex(/^[A-Z]{3}-\d{4}-\d{5}$/)) });

export const WatchPath = z.object({ cnic: cnicParam });

export const QueueQuery = z.object({
  status: z._default(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((s: string) => s.toUpperCase()),
      ),
      z.enum(APPLICATION_STATUSES, { error: `Must be one of ${APPLICATION_STATUSES.join(', ')}.` }),
    ),
    'PENDING',
  ),
  limit: pageLimit(25),
  cursor: pageCursor,
});

/** The officer queue by status, or with `mine=true` an applicant's own applications (their bound CNIC). */
export const ApplicationsQuery = z.object({
  ...QueueQuery.shape,
  mine: z.optional(z.literal('true', { error: 'mine may only be true.' })),
  /** A filter of the whole queue: a CNIC or its first digits, a reference, or a name as heard. */
  q: z.optional(z.string().check(z.minLength(1), z.maxLength(120))),
  /** `total=true` adds how many applications the status holds (a COUNT of its partition). */
  total: z.optional(z.literal('true', { error: 'total may only be true.' })),
});

export const TrustBundleQuery = z.object({
  since: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,12}$/, 'Must be a revocation list version (a whole number).')),
      z.transform((s: string) => Number(s)),
    ),
  ),
});

/** A pass number, or a boat's official number or certificate serial (a boat's crossings span its certificates). */
export const CrossingsQuery = z.strictObject({
  credential: z.pipe(
    z
      .string()
      .check(
        z.regex(
          /^(BP-\d{4}-\d{6}|[A-Z]{3}-\d{4}-\d{5}(\/\d{1,6})?)$/,
          'Must be a pass number (BP-2026-000123) or a boat number (GWD-2026-00042).',
        ),
      ),
    z.transform((value: string) => value.split('/')[0] as string),
  ),
  limit: pageLimit(50),
  cursor: pageCursor,
});

/** A pilgrim group's number, ZG-YEAR-NNNNN. */
export const GroupPath = z.object({ no: z.string().check(z.regex(/^ZG-\d{4}-\d{5}$/)) });
export const GroupMemberPath = z.object({
  no: z.string().check(z.regex(/^ZG-\d{4}-\d{5}$/)),
  cnic: cnicParam,
});
export const OrganizerPath = z.object({ cnic: cnicParam });

/** The FIA queue by status, or a leader's groups (`leader`, a CNIC): one or the other. */
export const GroupsQuery = z
  .strictObject({
    status: z.optional(
      z.pipe(
        z.pipe(
          z.string(),
          z.transform((s: string) => s.toUpperCase()),
        ),
        z.enum(GROUP_STATUSES, { error: `Must be one of ${GROUP_STATUSES.join(', ')}.` }),
      ),
    ),
    leader: z.optional(cnicParam),
    limit: pageLimit(25),
    cursor: pageCursor,
  })
  .check(
    z.refine((q: { status?: string; leader?: string }) => !(q.status && q.leader), {
      message: 'Give status or leader, not both.',
      path: ['leader'],
    }),
  );

export const GROUP_REPORT_STATES = ['ABROAD', 'OVERDUE', 'ALL'] as const;
export const GroupsReportQuery = z.strictObject({
  state: z._default(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((s: string) => s.toUpperCase()),
      ),
      z.enum(GROUP_REPORT_STATES, { error: `Must be one of ${GROUP_REPORT_STATES.join(', ')}.` }),
    ),
    'ALL',
  ),
});
