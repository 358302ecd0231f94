// The one rule for a reason a person gives (an override at a post, a rejection, a revocation): how long it must
// be once its surrounding space is gone. The checkpoint app and the server both read it from here.

/** Fewer characters than this say nothing a reader of the record could act on ("ok", "x"). */
export const MIN_REASON_LENGTH = 3;
/** A reason is a sentence or two, not a report: longer text belongs in a case file. */
export const MAX_REASON_LENGTH = 500;

/** Why a reason is not acceptable as typed, or undefined when it is; length counts code points after trimming. */
export function reasonProblem(text: string): 'empty' | 'too-short' | 'too-long' | undefined {
  const length = [...text.trim()].length;
  if (length === 0) return 'empty';
  if (length < MIN_REASON_LENGTH) return 'too-short';
  if (length > MAX_REASON_LENGTH) return 'too-long';
  return undefined;
}
