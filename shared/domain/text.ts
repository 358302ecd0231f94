// The rule for text a person types (names, reasons): which characters may stand in it, and its stored form.

/**
 * A single-line field (a name, a code) takes no line break at all; a multi-line field (a reason) takes `\n`,
 * and `\r\n` as one line break, which is stored as `\n`.
 */
export type TextLayout = 'single-line' | 'multi-line';

/** The first character that may not stand where it stands, and a sentence saying so. */
export interface ForbiddenCharacter {
  codePoint: number;
  /** 1-based position among the text's code points, so a person can find an invisible character. */
  position: number;
  /** e.g. "U+202E RIGHT-TO-LEFT OVERRIDE at position 5, which is not allowed." */
  description: string;
  /** The description as a field error: "Contains U+202E RIGHT-TO-LEFT OVERRIDE at position 5, …" */
  message: string;
}

const ZWNJ = 0x200c;
const ZWJ = 0x200d;

// Names for the characters people meet by accident (pasted from a web page, a PDF or a chat app); anything
// else refused is described by its class.
const NAMES: ReadonlyMap<number, string> = new Map([
  [0x0000, 'NULL'],
  [0x0009, 'CHARACTER TABULATION'],
  [0x000a, 'LINE FEED'],
  [0x000b, 'LINE TABULATION'],
  [0x000c, 'FORM FEED'],
  [0x000d, 'CARRIAGE RETURN'],
  [0x001b, 'ESCAPE'],
  [0x007f, 'DELETE'],
  [0x0085, 'NEXT LINE'],
  [0x00ad, 'SOFT HYPHEN'],
  [0x061c, 'ARABIC LETTER MARK'],
  [0x180e, 'MONGOLIAN VOWEL SEPARATOR'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [ZWNJ, 'ZERO WIDTH NON-JOINER'],
  [ZWJ, 'ZERO WIDTH JOINER'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x2028, 'LINE SEPARATOR'],
  [0x2029, 'PARAGRAPH SEPARATOR'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2060, 'WORD JOINER'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
  [0xfeff, 'ZERO WIDTH NO-BREAK SPACE (byte order mark)'],
  [0xfffc, 'OBJECT REPLACEMENT CHARACTER'],
  [0xfffd, 'REPLACEMENT CHARACTER'],
]);

const CONTROL = /^\p{Cc}$/u;
// Invisible format characters: the bidi embeddings, overrides, isolates and marks, zero-width spaces, the
// byte order mark, soft hyphens, tags. They change how text looks or sorts without being seen.
const FORMAT = /^\p{Cf}$/u;
const PRIVATE_USE = /^\p{Co}$/u;
const LINE_OR_PARAGRAPH_SEPARATOR = /^[\p{Zl}\p{Zp}]$/u;
const LETTER = /^\p{L}$/u;
const ARABIC_SCRIPT = /^\p{Script_Extensions=Arabic}$/u;
const MARK = /^\p{M}$/u;

function isArabicLetter(char: string): boolean {
  return LETTER.test(char) && ARABIC_SCRIPT.test(char);
}

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** "U+202E RIGHT-TO-LEFT OVERRIDE", or "U+0001 (a control character)" for a character without a listed name. */
export function describeCodePoint(codePoint: number, kind?: string): string {
  const name = NAMES.get(codePoint);
  if (name !== undefined) return `${hex(codePoint)} ${name}`;
  return kind === undefined ? hex(codePoint) : `${hex(codePoint)} (${kind})`;
}

/** Non-characters: U+FDD0..U+FDEF and the last two code points of every plane. */
export function isNonCharacter(codePoint: number): boolean {
  return (codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe;
}

/**
 * Why a character may never stand in typed text, or undefined if it may (ZWNJ and ZWJ are judged by where
 * they stand, elsewhere). Lone surrogates, controls, non-characters, format characters, private-use
 * characters, line and paragraph separators, and U+FFFC/U+FFFD (which mean something was lost on the way).
 */
function forbiddenKind(char: string, codePoint: number): string | undefined {
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return 'an unpaired surrogate';
  if (CONTROL.test(char)) return 'a control character';
  if (isNonCharacter(codePoint)) return 'a non-character';
  if (FORMAT.test(char)) return 'an invisible formatting character';
  if (PRIVATE_USE.test(char)) return 'a private-use character';
  if (LINE_OR_PARAGRAPH_SEPARATOR.test(char)) return 'a line separator';
  if (codePoint === 0xfffc || codePoint === 0xfffd) return 'a placeholder for lost text';
  return undefined;
}

/**
 * The first character not allowed in typed text, or undefined if every one is allowed. ZWNJ and ZWJ are
 * allowed only inside an Arabic-script word, between a letter (with any vowel marks on it) and a letter:
 * Urdu needs them to choose a letter's joined or final form (پی‌ٹی‌سی), and nowhere else do they show.
 */
export function findForbiddenCharacter(text: string, layout: TextLayout): ForbiddenCharacter | undefined {
  const chars = [...text];
  for (let index = 0; index < chars.length; index += 1) {
    const char = chars[index] as string;
    const codePoint = char.codePointAt(0) as number;
    const position = index + 1;
    if (codePoint === 0x0a || (codePoint === 0x0d && chars[index + 1] === '\n')) {
      if (layout === 'multi-line') continue;
      return found(
        codePoint,
        position,
        `${describeCodePoint(codePoint)} at position ${position}: this field takes a single line.`,
      );
    }
    if (codePoint === ZWNJ || codePoint === ZWJ) {
      if (joinsArabicLetters(chars, index)) continue;
      return found(
        codePoint,
        position,
        `${describeCodePoint(codePoint)} at position ${position}, which is allowed only between two letters of an Arabic-script word.`,
      );
    }
    const kind = forbiddenKind(char, codePoint);
    if (kind !== undefined) {
      return found(
        codePoint,
        position,
        `${describeCodePoint(codePoint, kind)} at position ${position}, which is not allowed.`,
      );
    }
  }
  return undefined;
}

function found(codePoint: number, position: number, description: string): ForbiddenCharacter {
  return { codePoint, position, description, message: `Contains ${description}` };
}

function joinsArabicLetters(chars: readonly string[], index: number): boolean {
  const next = chars[index + 1];
  if (next === undefined || !isArabicLetter(next)) return false;
  let before = index - 1;
  while (before >= 0 && MARK.test(chars[before] as string)) before -= 1;
  const base = chars[before];
  return base !== undefined && isArabicLetter(base);
}

/**
 * The form typed text is stored in, for text that `findForbiddenCharacter` let through: composed (NFC), so
 * the same words typed on two keyboards are stored, signed and compared alike; `\r\n` as `\n`; trimmed.
 * Inner runs of spaces are collapsed only where asked (names), since a reason's layout is the writer's.
 */
export function normalizeTypedText(text: string, options: { collapseSpaces?: boolean } = {}): string {
  let value = text.normalize('NFC').replaceAll('\r\n', '\n');
  if (options.collapseSpaces === true) value = value.replace(/\p{Zs}+/gu, ' ');
  return value.trim();
}
