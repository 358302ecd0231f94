// Pieces of query and path schemas every list shares: a CNIC in either spelling, a page size, a page cursor.
import * as z from 'zod/mini';
import './zod-config.ts';
import { parseCnic } from './domain/cnic.ts';

/** A CNIC bare or dashed, carried on as its 13 digits; decoding it again would fail on a literal '%'. */
export const cnicParam = z.pipe(
  z.string(),
  z.transform((value: string, ctx) => {
    const parsed = parseCnic(value);
    if (parsed.ok) return parsed.cnic;
    ctx.issues.push({ code: 'custom', message: parsed.error, input: value });
    return z.NEVER;
  }),
);

const LIMIT_MESSAGE = 'Must be a whole number from 1 to 100.';

/** `limit`: how many items a page holds, 1 to 100, `fallback` when absent. */
export const pageLimit = (fallback: number) =>
  z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/, LIMIT_MESSAGE)),
      z.pipe(
        z.transform((value: string) => Number(value)),
        z.number().check(z.gte(1, LIMIT_MESSAGE), z.lte(100, LIMIT_MESSAGE)),
      ),
    ),
    fallback,
  );

/** `cursor`: opaque, as a list returned it; the store refuses one it did not make. */
export const pageCursor = z.optional(
  z.string().check(z.minLength(1, 'The cursor is not one this list returned.'), z.maxLength(1024)),
);
