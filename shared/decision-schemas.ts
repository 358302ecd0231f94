// The bodies of decisions (reject, revoke): a reason. Apart from the other schemas so a function that only
// takes decisions loads no more of the schema library than a reason needs.
import * as z from 'zod/mini';
import './zod-config.ts';
import { MAX_REASON_LENGTH, MIN_REASON_LENGTH } from './domain/reasons.ts';
import { findForbiddenCharacter, normalizeTypedText, type TextLayout } from './domain/text.ts';

/**
 * Refuses a character that may not stand in typed text (shared/domain/text.ts), naming it by code point.
 * It aborts the field's later checks: a length error beside it would only hide the real problem.
 */
export const typedText = (layout: TextLayout) =>
  z.superRefine((value: string, ctx) => {
    const forbidden = findForbiddenCharacter(value, layout);
    if (forbidden !== undefined) {
      ctx.addIssue({ code: 'custom', message: forbidden.message, input: value, continue: false });
    }
  });

// Reasons go into audit items and officers' screens. They may run over several lines; they are stored in
// their normal form (composed, `\r\n` as `\n`, trimmed), and their inner layout is left as written.
export const reason = z.string().check(
  typedText('multi-line'),
  z.overwrite((value: string) => normalizeTypedText(value)),
  z.minLength(MIN_REASON_LENGTH, `Give a reason of at least ${MIN_REASON_LENGTH} characters.`),
  z.maxLength(MAX_REASON_LENGTH),
);

export const RejectInput = z.strictObject({ reason });
export type RejectInput = z.infer<typeof RejectInput>;

export const RevokeInput = z.strictObject({ reason });
export type RevokeInput = z.infer<typeof RevokeInput>;
