// Schemas of the path and query parameters routes take, as the HTTP API hands them over (percent-decoded strings).
import * as z from 'zod/mini';
import '../../shared/zod-config.ts';
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
