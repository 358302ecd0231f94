// QR text for a credential: `rhd:/` + the JWS in two digits per character, and back. No dependencies, so the
// verifier (and the offline checkpoint app) can read QR text without loading a QR encoder.

/** Scheme prefix in front of the numeric body. Scanners may upper-case it, so reading ignores case. */
export const QR_PREFIX = 'rhd:/';

// Every JWS character (base64url and '.') lies in '-'(45)..'z'(122), so `code - 45` always fits two digits.
const MIN_CODE = 45;
const MAX_PAIR = 122 - MIN_CODE;

const PREFIX_LENGTH = QR_PREFIX.length;

/** The QR text could not be turned back into a JWS (or a JWS could not be put into QR text). */
export class QrTextError extends Error {
  override name = 'QrTextError';
}

/** The numeric body alone, without the prefix: two digits per JWS character. */
export function toDigits(jws: string): string {
  let digits = '';
  for (let i = 0; i < jws.length; i++) {
    const pair = jws.charCodeAt(i) - MIN_CODE;
    if (pair < 0 || pair > MAX_PAIR) {
      // Encoding such a character would silently produce a body that decodes to something else.
      throw new QrTextError(
        `Cannot encode character ${JSON.stringify(jws[i])} at position ${i}: a JWS only holds base64url and '.'`,
      );
    }
    digits += pair < 10 ? `0${pair}` : String(pair);
  }
  return digits;
}

/** The QR text for a compact JWS: `rhd:/` followed by two digits per character. */
export function toQrText(jws: string): string {
  return QR_PREFIX + toDigits(jws);
}

/** Drops exactly one trailing CRLF, LF or CR: keyboard-wedge USB scanners end each scan with Enter. */
function stripScannerEnter(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n') || text.endsWith('\r')) return text.slice(0, -1);
  return text;
}

/**
 * The JWS inside scanned QR text. Accepts `rhd:/` + digits (prefix in any case) or a raw JWS, which is
 * returned as is: checking the JWS itself is the verifier's job.
 */
export function fromQrText(text: string): string {
  const scanned = stripScannerEnter(text);
  if (scanned.slice(0, PREFIX_LENGTH).toLowerCase() !== QR_PREFIX) {
    if (scanned.length === 0) throw new QrTextError('QR text is empty');
    return scanned;
  }

  const digits = scanned.slice(PREFIX_LENGTH);
  if (digits.length === 0) throw new QrTextError(`QR text has nothing after "${QR_PREFIX}"`);
  // Checked before the length so that a stray character is named rather than reported as an odd count.
  const nonDigit = /[^0-9]/.exec(digits);
  if (nonDigit !== null) {
    throw new QrTextError(
      `QR text has a non-digit ${JSON.stringify(nonDigit[0])} at position ${PREFIX_LENGTH + nonDigit.index}`,
    );
  }
  if (digits.length % 2 !== 0) {
    throw new QrTextError(`QR text has an odd number of digits (${digits.length}) after "${QR_PREFIX}"`);
  }

  const codes: number[] = new Array(digits.length / 2);
  for (let i = 0; i < digits.length; i += 2) {
    const pair = (digits.charCodeAt(i) - 48) * 10 + (digits.charCodeAt(i + 1) - 48);
    if (pair > MAX_PAIR) {
      throw new QrTextError(
        `QR text has digit pair ${pair} at position ${PREFIX_LENGTH + i}; the largest allowed is ${MAX_PAIR}`,
      );
    }
    codes[i / 2] = pair + MIN_CODE;
  }
  // Chunked so a long body never exceeds the engine's argument-count limit.
  let jws = '';
  for (let i = 0; i < codes.length; i += 4096) {
    jws += String.fromCharCode(...codes.slice(i, i + 4096));
  }
  return jws;
}
