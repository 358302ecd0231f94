// An application's short reference, read over the phone and printed on the receipt: RA-2026-004512.

export const APPLICATION_REFERENCE = /^RA-(\d{4})-(\d{6})$/;
const REFERENCE_DIGITS = 6;

/** The reference of the `sequence`th application of `year` (Pakistan calendar year), as stored and shown. */
export function formatApplicationReference(year: number, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence >= 10 ** REFERENCE_DIGITS)
    throw new RangeError(`application sequence out of range: ${sequence}`);
  return `RA-${year}-${String(sequence).padStart(REFERENCE_DIGITS, '0')}`;
}

/**
 * A reference as a person reads it out or a clerk types it: any case, spaces or no dashes (`ra 2026 4512`,
 * `RA20264512`), the number with or without its leading zeros. Undefined when it is not a reference at all.
 */
export function parseApplicationReference(input: string): string | undefined {
  const m = /^\s*RA[\s-]*(\d{4})[\s-]*(\d{1,6})\s*$/i.exec(input);
  if (!m) return undefined;
  const sequence = Number(m[2]);
  if (sequence < 1) return undefined;
  return formatApplicationReference(Number(m[1]), sequence);
}
