// Parses, formats and masks Pakistani CNICs (13 digits, 5-7-1) without pretending they carry a check digit.

export const PROVINCES = {
  '1': 'Khyber Pakhtunkhwa',
  '2': 'FATA (merged districts)',
  '3': 'Punjab',
  '4': 'Sindh',
  '5': 'Balochistan',
  '6': 'Islamabad',
  '7': 'Gilgit-Baltistan',
  // NADRA's published table stops at 7; 8 is seen on AJK and other cards, so it is let through but flagged.
  '8': 'AJK or other',
} as const;

export type Province = (typeof PROVINCES)[keyof typeof PROVINCES];
export type Gender = 'male' | 'female';

export interface ParsedCnic {
  ok: true;
  /** 13 ASCII digits, no dashes: the form stored and signed. */
  cnic: string;
  /** XXXXX-XXXXXXX-X, the form printed on the card. */
  formatted: string;
  province: Province;
  gender: Gender;
  warnings: string[];
}

export interface CnicError {
  ok: false;
  error: string;
}

export type CnicResult = ParsedCnic | CnicError;

// [0-9] rather than \d keeps the intent explicit: Arabic-Indic and other Unicode digits are refused.
const PLAIN = /^[0-9]{13}$/;
const DASHED = /^[0-9]{5}-[0-9]{7}-[0-9]$/;

/** Accepts 13 digits, bare or dashed 5-7-1, and nothing else; the province digit is checked, gender derived. */
export function parseCnic(input: string): CnicResult {
  if (typeof input !== 'string') return { ok: false, error: 'CNIC must be text.' };
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, error: 'CNIC is required.' };
  const digits = toDigits(trimmed);
  if (digits === undefined) {
    return { ok: false, error: 'CNIC must be 13 digits, written either as 13 digits or as XXXXX-XXXXXXX-X.' };
  }
  const first = digits.charAt(0);
  if (!Object.hasOwn(PROVINCES, first)) {
    return {
      ok: false,
      error: `CNIC cannot start with ${first}: the first digit must be a province code from 1 to 8.`,
    };
  }
  const province = PROVINCES[first as keyof typeof PROVINCES];
  const warnings =
    first === '8' ? ['CNIC starts with 8 (AJK or other), which is unusual: check the card by eye.'] : [];
  return {
    ok: true,
    cnic: digits,
    formatted: dash(digits),
    province,
    gender: Number(digits.charAt(12)) % 2 === 1 ? 'male' : 'female',
    warnings,
  };
}

/** Formats a CNIC (bare or already dashed) as XXXXX-XXXXXXX-X; throws on anything that is not 13 digits. */
export function formatCnic(cnic: string): string {
  const digits = toDigits(cnic.trim());
  if (digits === undefined) throw new RangeError('formatCnic expects 13 digits, bare or as XXXXX-XXXXXXX-X.');
  return dash(digits);
}

/**
 * Keeps the area prefix and the gender digit, which officers need when reading logs, and hides the rest.
 * Never throws, because it is called while logging: input that is not CNIC-shaped is hidden entirely.
 */
export function maskCnic(cnic: string): string {
  const digits = typeof cnic === 'string' ? toDigits(cnic.trim()) : undefined;
  if (digits === undefined) return '*****-*******-*';
  return `${digits.slice(0, 5)}-*******-${digits.slice(12)}`;
}

function toDigits(text: string): string | undefined {
  if (PLAIN.test(text)) return text;
  if (DASHED.test(text)) return text.replaceAll('-', '');
  return undefined;
}

function dash(digits: string): string {
  return `${digits.slice(0, 5)}-${digits.slice(5, 12)}-${digits.slice(12)}`;
}
