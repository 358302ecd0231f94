// The bodies of decisions (reject, revoke): a reason. Apart from the other schemas so a function that only
// takes decisions loads no more of the schema library than a reason needs.
import * as z from 'zod/mini';
import './zod-config.ts';

// Reasons go into audit items and officers' screens: printable text only (no control characters and no
// unpaired surrogates, which some stores and every log viewer mangle).
export const reason = z
  .string()
  .check(
    z.trim(),
    z.minLength(3, 'Give a reason of at least 3 characters.'),
    z.maxLength(500),
    z.regex(/^[^\p{Cc}\p{Cs}]*$/u, 'Use printable text only.'),
  );

export const RejectInput = z.strictObject({ reason });
export type RejectInput = z.infer<typeof RejectInput>;

export const RevokeInput = z.strictObject({ reason });
export type RevokeInput = z.infer<typeof RevokeInput>;
