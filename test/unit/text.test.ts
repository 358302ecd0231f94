// Typed text: which characters are refused (and how they are named), which are kept, and the stored form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeCodePoint,
  findForbiddenCharacter,
  isNonCharacter,
  normalizeTypedText,
} from '../../shared/domain/text.ts';

const BIDI_CONTROLS = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];

describe('findForbiddenCharacter', () => {
  it.each([
    [
      'a right-to-left override',
      'Ali\u202eKhan',
      'U+202E RIGHT-TO-LEFT OVERRIDE at position 4, which is not allowed.',
    ],
    [
      'a left-to-right embedding',
      '\u202aAli',
      'U+202A LEFT-TO-RIGHT EMBEDDING at position 1, which is not allowed.',
    ],
    [
      'a pop directional formatting',
      'Ali\u202c',
      'U+202C POP DIRECTIONAL FORMATTING at position 4, which is not allowed.',
    ],
    [
      'a first strong isolate',
      'a\u2068b',
      'U+2068 FIRST STRONG ISOLATE at position 2, which is not allowed.',
    ],
    [
      'a pop directional isolate',
      'ab\u2069',
      'U+2069 POP DIRECTIONAL ISOLATE at position 3, which is not allowed.',
    ],
    ['a left-to-right mark', 'Ali\u200e', 'U+200E LEFT-TO-RIGHT MARK at position 4, which is not allowed.'],
    ['a right-to-left mark', '\u200fعلی', 'U+200F RIGHT-TO-LEFT MARK at position 1, which is not allowed.'],
    ['an Arabic letter mark', 'علی\u061c', 'U+061C ARABIC LETTER MARK at position 4, which is not allowed.'],
    ['a zero width space', 'Ali\u200bKhan', 'U+200B ZERO WIDTH SPACE at position 4, which is not allowed.'],
    [
      'a byte order mark',
      '\ufeffAli',
      'U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark) at position 1, which is not allowed.',
    ],
    ['a word joiner', 'Ali\u2060Khan', 'U+2060 WORD JOINER at position 4, which is not allowed.'],
    ['a soft hyphen', 'Sanj\u00adrani', 'U+00AD SOFT HYPHEN at position 5, which is not allowed.'],
    [
      'a tag character',
      'Ali\u{e0041}',
      'U+E0041 (an invisible formatting character) at position 4, which is not allowed.',
    ],
    [
      'a replacement character',
      'Al\ufffdi',
      'U+FFFD REPLACEMENT CHARACTER at position 3, which is not allowed.',
    ],
    [
      'an object replacement character',
      '\ufffc',
      'U+FFFC OBJECT REPLACEMENT CHARACTER at position 1, which is not allowed.',
    ],
    [
      'a lone high surrogate',
      'ab\ud800c',
      'U+D800 (an unpaired surrogate) at position 3, which is not allowed.',
    ],
    [
      'a lone low surrogate',
      '\udfffab',
      'U+DFFF (an unpaired surrogate) at position 1, which is not allowed.',
    ],
    ['a NUL', 'lost\u0000card', 'U+0000 NULL at position 5, which is not allowed.'],
    ['an escape', 'x\u001b[31m', 'U+001B ESCAPE at position 2, which is not allowed.'],
    [
      'a C0 control without a listed name',
      'x\u0001',
      'U+0001 (a control character) at position 2, which is not allowed.',
    ],
    ['a delete', 'x\u007f', 'U+007F DELETE at position 2, which is not allowed.'],
    ['a C1 next line', 'x\u0085y', 'U+0085 NEXT LINE at position 2, which is not allowed.'],
    [
      'a C1 control without a listed name',
      'x\u009b',
      'U+009B (a control character) at position 2, which is not allowed.',
    ],
    ['a tab', 'Ali\tKhan', 'U+0009 CHARACTER TABULATION at position 4, which is not allowed.'],
    ['a carriage return on its own', 'a\rb', 'U+000D CARRIAGE RETURN at position 2, which is not allowed.'],
    ['a line separator', 'a\u2028b', 'U+2028 LINE SEPARATOR at position 2, which is not allowed.'],
    ['a paragraph separator', 'a\u2029b', 'U+2029 PARAGRAPH SEPARATOR at position 2, which is not allowed.'],
    [
      'a non-character from the Arabic block',
      'a\ufdd0',
      'U+FDD0 (a non-character) at position 2, which is not allowed.',
    ],
    [
      'the last non-character of that block',
      '\ufdef',
      'U+FDEF (a non-character) at position 1, which is not allowed.',
    ],
    ['U+FFFE', 'a\ufffe', 'U+FFFE (a non-character) at position 2, which is not allowed.'],
    ['U+FFFF', 'a\uffff', 'U+FFFF (a non-character) at position 2, which is not allowed.'],
    ['U+1FFFE', 'a\u{1fffe}', 'U+1FFFE (a non-character) at position 2, which is not allowed.'],
    ['U+10FFFF', 'a\u{10ffff}', 'U+10FFFF (a non-character) at position 2, which is not allowed.'],
    [
      'a private-use character',
      'a\ue000',
      'U+E000 (a private-use character) at position 2, which is not allowed.',
    ],
  ])('refuses %s anywhere', (_, text, description) => {
    for (const layout of ['single-line', 'multi-line'] as const) {
      expect(findForbiddenCharacter(text, layout)).toMatchObject({
        description,
        message: `Contains ${description}`,
      });
    }
  });

  it('names the first refused character when there are several', () => {
    expect(findForbiddenCharacter('a\u200bb\u202ec', 'single-line')?.codePoint).toBe(0x200b);
  });

  it('counts positions in characters, not UTF-16 units', () => {
    expect(findForbiddenCharacter('𝒜𝒜\u202e', 'single-line')?.position).toBe(3);
  });

  describe('line breaks', () => {
    it.each([
      ['a line feed', 'Ali\nKhan', 'U+000A LINE FEED at position 4: this field takes a single line.'],
      ['a trailing line feed', 'Ali\n', 'U+000A LINE FEED at position 4: this field takes a single line.'],
      ['a CR LF', 'Ali\r\nKhan', 'U+000D CARRIAGE RETURN at position 4: this field takes a single line.'],
    ])('refuses %s in a single-line field', (_, text, description) => {
      expect(findForbiddenCharacter(text, 'single-line')?.description).toBe(description);
    });

    it.each([
      ['a line feed', 'Reported lost.\nCourt order 12/2026.'],
      ['a CR LF', 'Reported lost.\r\nCourt order 12/2026.'],
      ['blank lines', 'Reported lost.\n\n\nCourt order.'],
    ])('keeps %s in a multi-line field', (_, text) => {
      expect(findForbiddenCharacter(text, 'multi-line')).toBeUndefined();
    });
  });

  describe('ZWNJ and ZWJ', () => {
    it.each([
      ['ZWNJ inside an Urdu word', 'پی\u200cٹی\u200cسی'],
      ['ZWJ inside an Urdu word', 'ہ\u200dا'],
      ['ZWNJ after a vowel mark on an Arabic letter', 'مُ\u200cحَمَّد'],
      ['ZWNJ inside a word in an Urdu sentence', 'پاس گم ہو گیا، پی\u200cٹی\u200cسی کو اطلاع دی'],
      ['ZWNJ in a Persian word', 'می\u200cخواهم'],
    ])('keeps %s', (_, text) => {
      expect(findForbiddenCharacter(text, 'single-line')).toBeUndefined();
    });

    it.each([
      ['ZWNJ at the start', '\u200cعلی', 0x200c, 1],
      ['ZWNJ at the end', 'علی\u200c', 0x200c, 4],
      ['ZWNJ alone', '\u200c', 0x200c, 1],
      ['ZWJ between Latin letters', 'Al\u200di', 0x200d, 3],
      ['ZWNJ between Latin letters', 'Al\u200ci', 0x200c, 3],
      ['ZWNJ doubled inside an Urdu word', 'پی\u200c\u200cٹی', 0x200c, 3],
      ['ZWNJ then ZWJ inside an Urdu word', 'پی\u200c\u200dٹی', 0x200c, 3],
      ['ZWNJ before a space', 'پی\u200c ٹی', 0x200c, 3],
      ['ZWNJ between an Arabic and a Latin letter', 'ی\u200cA', 0x200c, 2],
      ['ZWNJ between a Latin and an Arabic letter', 'A\u200cی', 0x200c, 2],
      ['ZWNJ between Arabic-Indic digits', '۱\u200c۲', 0x200c, 2],
      ['ZWJ in an emoji sequence', '👨\u200d👩', 0x200d, 2],
    ])('refuses %s', (_, text, codePoint, position) => {
      const found = findForbiddenCharacter(text, 'single-line');

      expect(found).toMatchObject({ codePoint, position });
      expect(found?.description).toMatch(
        /which is allowed only between two letters of an Arabic-script word\.$/,
      );
    });
  });

  it.each([
    ['a Latin name with an apostrophe and a hyphen', "M. Ali D'Souza-Baloch"],
    ['an Urdu name with vowel marks', 'مُحَمَّد حسن'],
    ['an Arabic-script name with a tatweel', 'محمـــد'],
    ['a Balochi name', 'میر عبدالغفور بلوچ'],
    ['spaces of other widths', 'Abdul\u00a0Ghafoor\u2009Khan'],
    ['an emoji', 'Ali 🙂'],
    ['a decomposed accent', 'Rene\u0301'],
  ])('keeps %s', (_, text) => {
    expect(findForbiddenCharacter(text, 'single-line')).toBeUndefined();
  });

  it('refuses every bidi control wherever it stands, in every layout', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom(...BIDI_CONTROLS),
        fc.string(),
        fc.constantFrom('single-line' as const, 'multi-line' as const),
        (before, control, after, layout) => {
          expect(
            findForbiddenCharacter(`${before}${String.fromCodePoint(control)}${after}`, layout),
          ).toBeDefined();
        },
      ),
    );
  });
});

describe('isNonCharacter', () => {
  it('finds the 66 non-characters of Unicode and nothing else', () => {
    let count = 0;
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += 1) if (isNonCharacter(codePoint)) count += 1;

    expect(count).toBe(66);
  });
});

describe('describeCodePoint', () => {
  it('pads a code point to four hex digits', () => {
    expect(describeCodePoint(0x1, 'a control character')).toBe('U+0001 (a control character)');
  });
});

describe('normalizeTypedText', () => {
  it('composes a decomposed accent (NFC)', () => {
    expect(normalizeTypedText('Rene\u0301')).toBe('Ren\u00e9');
  });

  it('composes Arabic letters written with a combining hamza (NFC)', () => {
    expect(normalizeTypedText('\u0627\u0654')).toBe('\u0623');
  });

  it('trims surrounding spaces and line breaks', () => {
    expect(normalizeTypedText(' \n Reported lost \r\n')).toBe('Reported lost');
  });

  it('stores CR LF as LF', () => {
    expect(normalizeTypedText('one\r\ntwo')).toBe('one\ntwo');
  });

  it('keeps inner spaces as written unless asked to collapse them', () => {
    expect([
      normalizeTypedText('a  \u00a0b'),
      normalizeTypedText('a  \u00a0b', { collapseSpaces: true }),
    ]).toEqual(['a  \u00a0b', 'a b']);
  });

  it('keeps a ZWNJ inside an Urdu word', () => {
    expect(normalizeTypedText(' پی\u200cٹی\u200cسی ')).toBe('پی\u200cٹی\u200cسی');
  });
});
