// CNIC parsing, formatting and masking, including the inputs a counter officer or a scanner may produce.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCnic, maskCnic, parseCnic } from '../../shared/domain/cnic.ts';

describe('parseCnic', () => {
  it('accepts 13 bare digits and returns both the stored and the printed form', () => {
    const result = parseCnic('5410112345673');

    expect(result).toEqual({
      ok: true,
      cnic: '5410112345673',
      formatted: '54101-1234567-3',
      province: 'Balochistan',
      gender: 'male',
      warnings: [],
    });
  });

  it('accepts the dashed 5-7-1 form and stores it without dashes', () => {
    const result = parseCnic('54101-1234567-3');

    expect(result.ok && result.cnic).toBe('5410112345673');
  });

  it('trims surrounding whitespace, including a newline from a scanner', () => {
    const result = parseCnic('  54101-1234567-3\n');

    expect(result.ok && result.formatted).toBe('54101-1234567-3');
  });

  it('reads an even last digit as female', () => {
    const result = parseCnic('3520212345678');

    expect(result.ok && result.gender).toBe('female');
  });

  it('reads a last digit of 0 as female', () => {
    const result = parseCnic('3520212345670');

    expect(result.ok && result.gender).toBe('female');
  });

  it.each([
    ['1', 'Khyber Pakhtunkhwa'],
    ['2', 'FATA (merged districts)'],
    ['3', 'Punjab'],
    ['4', 'Sindh'],
    ['5', 'Balochistan'],
    ['6', 'Islamabad'],
    ['7', 'Gilgit-Baltistan'],
  ])('reads first digit %s as %s without a warning', (digit, province) => {
    const result = parseCnic(`${digit}410112345673`);

    expect(result).toMatchObject({ ok: true, province, warnings: [] });
  });

  it('accepts a first digit of 8 with a warning that it is unusual', () => {
    const result = parseCnic('8410112345673');

    expect(result).toMatchObject({ ok: true, province: 'AJK or other' });
    expect(result.ok && result.warnings).toHaveLength(1);
  });

  it.each(['0410112345673', '9410112345673'])(
    'refuses %s because its first digit is no province',
    (input) => {
      const result = parseCnic(input);

      expect(result).toEqual({
        ok: false,
        error: `CNIC cannot start with ${input[0]}: the first digit must be a province code from 1 to 8.`,
      });
    },
  );

  it.each([
    ['too short', '541011234567'],
    ['too long', '54101123456730'],
    ['a letter', '54101123456A3'],
    ['dashes in the wrong places', '5410-11234567-3'],
    ['only one dash', '54101-12345673'],
    ['an en dash', '54101–1234567–3'],
    ['inner spaces', '54101 1234567 3'],
    ['Arabic-Indic digits', '٥٤١٠١١٢٣٤٥٦٧٣'],
    ['full-width digits', '５４１０１１２３４５６７３'],
    ['a sign', '+5410112345673'],
  ])('refuses a CNIC with %s', (_, input) => {
    const result = parseCnic(input);

    expect(result.ok).toBe(false);
  });

  it('says a blank CNIC is required', () => {
    const result = parseCnic('   ');

    expect(result).toEqual({ ok: false, error: 'CNIC is required.' });
  });

  it('answers a malformed CNIC with one sentence naming both accepted forms', () => {
    const result = parseCnic('12345');

    expect(result).toEqual({
      ok: false,
      error: 'CNIC must be 13 digits, written either as 13 digits or as XXXXX-XXXXXXX-X.',
    });
  });

  it('parses any 13 digits starting 1 to 7 and round-trips through the printed form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }),
        (first, rest) => {
          const digits = `${first}${rest.join('')}`;
          const parsed = parseCnic(digits);
          if (!parsed.ok) return false;
          const again = parseCnic(parsed.formatted);
          return again.ok && again.cnic === digits && again.formatted === parsed.formatted;
        },
      ),
    );
  });

  it('refuses any input with a non-digit in one of the 13 digit positions', () => {
    const nonDigit = fc
      .string({ minLength: 1, maxLength: 1, unit: 'binary' })
      .filter((c) => !/^[0-9]$/.test(c));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 }),
        fc.integer({ min: 0, max: 12 }),
        nonDigit,
        fc.boolean(),
        (digits, position, replacement, dashed) => {
          const chars = digits.map(String);
          chars[position] = replacement;
          const bare = chars.join('');
          const input = dashed ? `${bare.slice(0, 5)}-${bare.slice(5, 12)}-${bare.slice(12)}` : bare;
          return !parseCnic(input).ok;
        },
      ),
    );
  });
});

describe('formatCnic', () => {
  it('dashes 13 bare digits as 5-7-1', () => {
    expect(formatCnic('5410112345673')).toBe('54101-1234567-3');
  });

  it('leaves an already dashed CNIC unchanged', () => {
    expect(formatCnic('54101-1234567-3')).toBe('54101-1234567-3');
  });

  it('throws on text that is not a CNIC', () => {
    expect(() => formatCnic('not a cnic')).toThrow(RangeError);
  });
});

describe('maskCnic', () => {
  it('keeps the area prefix and the last digit of a bare CNIC', () => {
    expect(maskCnic('5410112345673')).toBe('54101-*******-3');
  });

  it('masks a dashed CNIC the same way', () => {
    expect(maskCnic('54101-1234567-3')).toBe('54101-*******-3');
  });

  it('hides every character of input that is not CNIC-shaped', () => {
    expect(maskCnic('5410112345')).toBe('*****-*******-*');
  });
});
