// The border-pass application rule and the dated pass types it depends on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApplicationInput,
  normalizePakistaniMobile,
  normalizePersonName,
  validateApplication,
} from '../../shared/domain/application.ts';
import {
  allowedPointsFor,
  daysBetween,
  findPassType,
  isCalendarDate,
  karachiDate,
  PASS_TYPES,
  type PassType,
  passTypeInEffect,
} from '../../shared/domain/pass-types.ts';
import { loadPassTypes } from '../../shared/domain/pass-types-config.ts';

// Noon in Karachi on 10 March 2026.
const NOW = new Date('2026-03-10T07:00:00Z');

function application(overrides: Partial<ApplicationInput> = {}): ApplicationInput {
  return {
    passType: 'RAHDARI',
    cnic: '54101-1234567-3',
    name: 'Abdul Ghafoor',
    fatherName: 'Muhammad Hassan',
    district: 'KECH',
    crossingPoints: ['MND'],
    validFrom: '2026-03-10',
    validUntil: '2026-09-09',
    ...overrides,
  };
}

function errorsOf(input: ApplicationInput, now = NOW, passTypes?: readonly PassType[]) {
  const result = validateApplication(input, now, passTypes);
  return result.ok ? [] : result.errors;
}

function fieldsOf(input: ApplicationInput, now = NOW, passTypes?: readonly PassType[]) {
  return errorsOf(input, now, passTypes).map((error) => error.field);
}

function rahdari(): PassType {
  const type = findPassType('RAHDARI');
  if (type === undefined) throw new Error('RAHDARI is missing from the defaults');
  return type;
}

describe('validateApplication', () => {
  it('accepts a complete application and returns its normalized form', () => {
    const result = validateApplication(application({ phone: '03001234567' }), NOW);

    expect(result).toEqual({
      ok: true,
      value: {
        passType: 'RAHDARI',
        cnic: '5410112345673',
        name: 'Abdul Ghafoor',
        fatherName: 'Muhammad Hassan',
        district: 'KECH',
        crossingPoints: ['MND'],
        validFrom: '2026-03-10',
        validUntil: '2026-09-09',
        phone: '+923001234567',
        warnings: [],
      },
    });
  });

  it('leaves phone out of the result when none was given', () => {
    const result = validateApplication(application(), NOW);

    expect(result.ok && 'phone' in result.value).toBe(false);
  });

  it('reports every wrong field at once', () => {
    const fields = fieldsOf(application({ cnic: '123', name: '1', district: 'QUETTA', validUntil: 'soon' }));

    expect(fields).toEqual(['cnic', 'name', 'district', 'validUntil']);
  });

  describe('pass type', () => {
    it('refuses a pass type that does not exist', () => {
      expect(errorsOf(application({ passType: 'VISA' }))).toEqual([
        { field: 'passType', message: 'This pass type does not exist.' },
      ]);
    });

    it('refuses a pass type that has not started yet', () => {
      const errors = errorsOf(
        application({
          passType: 'BORDER_RESIDENT_CARD',
          district: 'CHAGAI',
          crossingPoints: ['CMN'],
          validUntil: '2026-04-10',
        }),
      );

      expect(errors).toEqual([
        {
          field: 'passType',
          message: 'The Border resident card (Afghan border) is only issued from 2027-01-01.',
        },
      ]);
    });

    it('refuses a pass type that has ended', () => {
      const afterTheEnd = new Date('2028-01-02T07:00:00Z');

      const errors = errorsOf(
        application({ validFrom: '2028-01-02', validUntil: '2028-02-01' }),
        afterTheEnd,
      );

      expect(errors).toContainEqual({
        field: 'passType',
        message: 'The Rahdari (Iran border resident pass) ended on 2027-12-31.',
      });
    });

    it('refuses a first day of validity after the pass type ends', () => {
      const lateIn2027 = new Date('2027-12-20T07:00:00Z');

      const errors = errorsOf(application({ validFrom: '2028-01-05', validUntil: '2028-02-01' }), lateIn2027);

      expect(errors).toContainEqual({
        field: 'validFrom',
        message: 'The Rahdari (Iran border resident pass) ended on 2027-12-31.',
      });
    });

    it('refuses a last day of validity after the pass type ends', () => {
      const midYear = new Date('2027-06-01T07:00:00Z');

      const errors = errorsOf(application({ validFrom: '2027-06-01', validUntil: '2028-01-31' }), midYear);

      expect(errors).toEqual([
        {
          field: 'validUntil',
          message: 'Must not be after 2027-12-31, the last day of the Rahdari (Iran border resident pass).',
        },
      ]);
    });

    it('follows pass types passed in rather than the defaults', () => {
      const extended = loadPassTypes([{ ...rahdari(), effectiveUntil: '2029-12-31' }]);
      if (!extended.ok) throw new Error(extended.errors.join('; '));
      const midYear = new Date('2027-06-01T07:00:00Z');

      const result = validateApplication(
        application({ validFrom: '2027-06-01', validUntil: '2028-01-31' }),
        midYear,
        extended.passTypes,
      );

      expect(result.ok).toBe(true);
    });
  });

  describe('CNIC', () => {
    it('refuses a CNIC with the wrong number of digits', () => {
      expect(fieldsOf(application({ cnic: '54101-123456-3' }))).toEqual(['cnic']);
    });

    it('passes on the warning for a CNIC starting with 8', () => {
      const result = validateApplication(application({ cnic: '8410112345673' }), NOW);

      expect(result.ok && result.value.warnings).toHaveLength(1);
    });

    it('stores the same CNIC whichever way any 13-digit CNIC starting 1 to 7 was typed', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[1-7][0-9]{12}$/), (digits) => {
          const dashed = `${digits.slice(0, 5)}-${digits.slice(5, 12)}-${digits.slice(12)}`;
          const bare = validateApplication(application({ cnic: digits }), NOW);
          const printed = validateApplication(application({ cnic: dashed }), NOW);
          return bare.ok && printed.ok && bare.value.cnic === digits && printed.value.cnic === digits;
        }),
      );
    });

    it('refuses any CNIC with a non-digit in a digit position', () => {
      fc.assert(
        fc.property(
          fc.stringMatching(/^[1-7][0-9]{12}$/),
          fc.integer({ min: 0, max: 12 }),
          fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }).filter((c) => !/^[0-9]$/.test(c)),
          (digits, position, replacement) => {
            const cnic = `${digits.slice(0, position)}${replacement}${digits.slice(position + 1)}`;
            return fieldsOf(application({ cnic })).includes('cnic');
          },
        ),
      );
    });
  });

  describe('names', () => {
    it('collapses inner runs of spaces of any width and trims the ends', () => {
      const result = validateApplication(application({ name: '  Abdul \u00a0\u2009 Ghafoor\u00a0' }), NOW);

      expect(result.ok && result.value.name).toBe('Abdul Ghafoor');
    });

    it('accepts a name in Urdu script with vowel marks', () => {
      const result = validateApplication(application({ fatherName: 'مُحَمَّد حسن' }), NOW);

      expect(result.ok && result.value.fatherName).toBe('مُحَمَّد حسن');
    });

    it('accepts dots, apostrophes and hyphens between letters', () => {
      const result = validateApplication(application({ name: "M. Ali D'Souza-Baloch" }), NOW);

      expect(result.ok).toBe(true);
    });

    it('turns a typographic apostrophe into a plain one', () => {
      const result = validateApplication(application({ name: 'D’Souza' }), NOW);

      expect(result.ok && result.value.name).toBe("D'Souza");
    });

    it('stores a decomposed accent in composed form', () => {
      const result = validateApplication(application({ name: 'Rene\u0301' }), NOW);

      expect(result.ok && result.value.name).toBe('Ren\u00e9');
    });

    it.each([
      ['digits', 'Ali 2'],
      ['Urdu digits', 'علی ۲'],
      ['an emoji', 'Ali 🙂'],
      ['a comma', 'Khan, Ali'],
      ['Cyrillic letters', 'Алексей'],
      ['a vowel mark with no letter under it', 'علی \u064E'],
    ])('refuses a name with %s', (_, name) => {
      expect(errorsOf(application({ name }))).toEqual([
        { field: 'name', message: 'Name may contain only letters, spaces, dots, apostrophes and hyphens.' },
      ]);
    });

    it.each([
      ['an Urdu name with ZWNJ inside a word', 'پی\u200cٹی\u200cسی خان'],
      ['an Urdu name with ZWNJ after a vowel mark', 'مُ\u200cحمد'],
      ['an Arabic-script name', 'عبد الغفور بلوچ'],
      ['a Latin name with apostrophes and hyphens', "Abdul-Ghafoor O'Brien D'Souza"],
      ['a long Baloch name with honorifics', 'Mir Abdul Ghafoor Khan Sanjrani Baloch'],
      ['a long Pashtun name with honorifics', 'Haji Malik Muhammad Aslam Khan Achakzai Kakar'],
    ])('accepts %s as it was typed', (_, name) => {
      const result = validateApplication(application({ name, fatherName: name }), NOW);

      expect(result.ok && [result.value.name, result.value.fatherName]).toEqual([name, name]);
    });

    it.each([
      [
        'name',
        'Ali\u202eKhan',
        'Name contains U+202E RIGHT-TO-LEFT OVERRIDE at position 4, which is not allowed.',
      ],
      [
        'fatherName',
        'Hassan\u2066',
        "Father's name contains U+2066 LEFT-TO-RIGHT ISOLATE at position 7, which is not allowed.",
      ],
      ['name', 'Ali\u200bKhan', 'Name contains U+200B ZERO WIDTH SPACE at position 4, which is not allowed.'],
      [
        'name',
        '\ufeffAli',
        'Name contains U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark) at position 1, which is not allowed.',
      ],
      [
        'name',
        'Ali\ufffd',
        'Name contains U+FFFD REPLACEMENT CHARACTER at position 4, which is not allowed.',
      ],
      [
        'name',
        'Abdul\tGhafoor',
        'Name contains U+0009 CHARACTER TABULATION at position 6, which is not allowed.',
      ],
      [
        'name',
        'Abdul\nGhafoor',
        'Name contains U+000A LINE FEED at position 6: this field takes a single line.',
      ],
      [
        'name',
        'Al\u200ci',
        'Name contains U+200C ZERO WIDTH NON-JOINER at position 3, which is allowed only between two letters of an Arabic-script word.',
      ],
    ] as const)('refuses a hidden character in %s and names it', (field, value, message) => {
      expect(errorsOf(application({ [field]: value }))).toEqual([{ field, message }]);
    });

    it('refuses a father’s name of one character', () => {
      expect(errorsOf(application({ fatherName: ' A ' }))).toEqual([
        { field: 'fatherName', message: "Father's name must be at least 2 characters." },
      ]);
    });

    it('accepts a name of exactly 60 characters', () => {
      expect(normalizePersonName('a'.repeat(60)).ok).toBe(true);
    });

    it('refuses a name of 61 characters', () => {
      expect(normalizePersonName('a'.repeat(61))).toEqual({
        ok: false,
        message: 'Name must be at most 60 characters.',
      });
    });

    it('refuses a name made only of punctuation', () => {
      expect(normalizePersonName(".'-")).toEqual({ ok: false, message: 'Name must contain letters.' });
    });

    it('refuses a name that is only spaces', () => {
      expect(normalizePersonName(' \u00a0 ')).toEqual({ ok: false, message: 'Name is required.' });
    });
  });

  describe('district and crossing points', () => {
    it('refuses an unknown district', () => {
      expect(errorsOf(application({ district: 'QUETTA' }))).toEqual([
        { field: 'district', message: 'This district is not known.' },
      ]);
    });

    it('refuses a district not eligible for the pass type', () => {
      const in2027 = new Date('2027-03-01T07:00:00Z');

      const errors = errorsOf(
        application({
          passType: 'BORDER_RESIDENT_CARD',
          district: 'KECH',
          crossingPoints: ['CMN'],
          validFrom: '2027-03-01',
          validUntil: '2027-04-01',
        }),
        in2027,
      );

      expect(errors).toEqual([
        {
          field: 'district',
          message: 'Residents of Kech cannot hold a Border resident card (Afghan border).',
        },
      ]);
    });

    it('refuses a crossing point outside the district’s list, pointing at its position', () => {
      expect(errorsOf(application({ crossingPoints: ['MND', 'TFT'] }))).toEqual([
        {
          field: 'crossingPoints/1',
          message:
            'Taftan–Mirjaveh is not open to residents of Kech under the Rahdari (Iran border resident pass).',
        },
      ]);
    });

    it('refuses a crossing point listed twice', () => {
      const errors = errorsOf(application({ district: 'CHAGAI', crossingPoints: ['TFT', 'RJY', 'TFT'] }));

      expect(errors).toEqual([{ field: 'crossingPoints/2', message: 'TFT is listed more than once.' }]);
    });

    it('refuses an unknown crossing point code', () => {
      expect(fieldsOf(application({ crossingPoints: ['tft'] }))).toEqual(['crossingPoints/0']);
    });

    it('refuses a port that is not a crossing point', () => {
      expect(fieldsOf(application({ district: 'GWADAR', crossingPoints: ['GWD'] }))).toEqual([
        'crossingPoints/0',
      ]);
    });

    it('refuses an empty list of crossing points', () => {
      expect(errorsOf(application({ crossingPoints: [] }))).toEqual([
        { field: 'crossingPoints', message: 'Choose at least one crossing point.' },
      ]);
    });

    it('accepts every default crossing point of a district', () => {
      const result = validateApplication(
        application({ district: 'GWADAR', crossingPoints: ['GBD', 'JWN'] }),
        NOW,
      );

      expect(result.ok && result.value.crossingPoints).toEqual(['GBD', 'JWN']);
    });
  });

  describe('validity dates', () => {
    it('accepts a first day that is already today in Pakistan while still yesterday in UTC', () => {
      const earlyMorningInKarachi = new Date('2026-03-09T19:30:00Z');

      expect(fieldsOf(application({ validFrom: '2026-03-10' }), earlyMorningInKarachi)).toEqual([]);
    });

    it('refuses a first day that has passed in Pakistan while still today in UTC', () => {
      const justAfterMidnightInKarachi = new Date('2026-03-10T19:30:00Z');

      const errors = errorsOf(application({ validFrom: '2026-03-10' }), justAfterMidnightInKarachi);

      expect(errors).toEqual([
        { field: 'validFrom', message: 'Must not be in the past; today is 2026-03-11 in Pakistan.' },
      ]);
    });

    it('refuses a first day that is not a real date', () => {
      expect(fieldsOf(application({ validFrom: '2026-02-29', validUntil: '2026-06-01' }))).toEqual([
        'validFrom',
      ]);
    });

    it('refuses a last day written in another format', () => {
      expect(fieldsOf(application({ validUntil: '09/09/2026' }))).toEqual(['validUntil']);
    });

    it('refuses a last day equal to the first', () => {
      expect(errorsOf(application({ validUntil: '2026-03-10' }))).toEqual([
        { field: 'validUntil', message: 'Must be after the first day of validity.' },
      ]);
    });

    it('accepts a pass covering exactly the maximum number of days, both ends counted', () => {
      expect(fieldsOf(application({ validFrom: '2026-03-10', validUntil: '2027-03-09' }))).toEqual([]);
    });

    it('refuses a pass one day longer than the maximum', () => {
      expect(errorsOf(application({ validFrom: '2026-03-10', validUntil: '2027-03-10' }))).toEqual([
        {
          field: 'validUntil',
          message: 'A Rahdari (Iran border resident pass) may cover at most 365 days, counting both ends.',
        },
      ]);
    });
  });

  describe('phone', () => {
    it('keeps a number already in +92 form', () => {
      const result = validateApplication(application({ phone: '+923451234567' }), NOW);

      expect(result.ok && result.value.phone).toBe('+923451234567');
    });

    it('refuses a landline number', () => {
      expect(fieldsOf(application({ phone: '0812345678' }))).toEqual(['phone']);
    });
  });
});

describe('normalizePakistaniMobile', () => {
  it('rewrites the local 03 form as +923', () => {
    expect(normalizePakistaniMobile('03001234567')).toBe('+923001234567');
  });

  it('refuses a number with a digit too many', () => {
    expect(normalizePakistaniMobile('030012345678')).toBeUndefined();
  });
});

describe('pass types', () => {
  it('keeps the rahdari in effect through the last second of its last day in Pakistan', () => {
    expect(passTypeInEffect(rahdari(), new Date('2027-12-31T18:59:59Z'))).toBe(true);
  });

  it('ends the rahdari at midnight in Pakistan after its last day', () => {
    expect(passTypeInEffect(rahdari(), new Date('2027-12-31T19:00:00Z'))).toBe(false);
  });

  it('puts the rahdari in effect from midnight in Pakistan on its first day', () => {
    expect(passTypeInEffect(rahdari(), new Date('2023-12-31T19:00:00Z'))).toBe(true);
  });

  it('finds nothing for an unknown code', () => {
    expect(findPassType('PASSPORT')).toBeUndefined();
  });

  it('gives the district’s crossing points for an eligible district', () => {
    expect(allowedPointsFor(rahdari(), 'PANJGUR')).toEqual(['CDG', 'JRK']);
  });

  it('gives no crossing points for a district the type does not cover', () => {
    const card = findPassType('BORDER_RESIDENT_CARD');
    if (card === undefined) throw new Error('BORDER_RESIDENT_CARD is missing from the defaults');

    expect(allowedPointsFor(card, 'KECH')).toEqual([]);
  });

  it('validates its own defaults', () => {
    expect(loadPassTypes(PASS_TYPES)).toEqual({ ok: true, passTypes: PASS_TYPES });
  });
});

describe('loadPassTypes', () => {
  it('replaces a default type with the override of the same code', () => {
    const result = loadPassTypes([{ ...rahdari(), effectiveUntil: '2028-06-30' }]);

    expect(result.ok && findPassType('RAHDARI', result.passTypes)?.effectiveUntil).toBe('2028-06-30');
  });

  it('appends a type with a new code after the defaults', () => {
    const pilot = { ...rahdari(), code: 'GWADAR_PILOT', name: 'Gwadar pilot', eligibleDistricts: ['GWADAR'] };

    const result = loadPassTypes([{ ...pilot, allowedPoints: { GWADAR: ['GBD'] } }]);

    expect(result.ok && result.passTypes.map((type) => type.code)).toEqual([
      'RAHDARI',
      'BORDER_RESIDENT_CARD',
      'ZIYARAT_GROUP',
      'GWADAR_PILOT',
    ]);
  });

  it('takes a group type with no districts, and refuses districts on one or neither on an ordinary type', () => {
    const group = { crossingPoints: ['TFT'], maxMembers: 200 };
    const pilgrims = { ...rahdari(), code: 'ARBAEEN', eligibleDistricts: [], allowedPoints: {}, group };

    expect(loadPassTypes([pilgrims]).ok).toBe(true);
    expect(loadPassTypes([{ ...rahdari(), group }])).toEqual({
      ok: false,
      errors: ['0/eligibleDistricts: A group type takes no residents: leave its districts empty.'],
    });
    expect(loadPassTypes([{ ...rahdari(), eligibleDistricts: [], allowedPoints: {} }])).toEqual({
      ok: false,
      errors: ['0/eligibleDistricts: Needs at least one district, or group rules.'],
    });
    expect(loadPassTypes([{ ...pilgrims, group: { ...group, maxMembers: 501 } }]).ok).toBe(false);
  });

  it('refuses an individual application for a group type, with that one reason', () => {
    expect(errorsOf(application({ passType: 'ZIYARAT_GROUP' }))).toEqual([
      {
        field: 'passType',
        message:
          'The Ziyarat group pass (pilgrims to Iran and Iraq) is issued to groups: their leader applies for the whole group.',
      },
    ]);
  });

  it('refuses crossing points for a district the type does not make eligible', () => {
    const result = loadPassTypes([{ ...rahdari(), eligibleDistricts: ['KECH'] }]);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toContain(
      '0/allowedPoints/CHAGAI: Only eligible districts may have crossing points.',
    );
  });

  it('refuses an eligible district without crossing points', () => {
    const result = loadPassTypes([{ ...rahdari(), allowedPoints: { KECH: ['MND'] } }]);

    expect(!result.ok && result.errors).toContain(
      '0/allowedPoints/CHAGAI: Every eligible district needs its crossing points.',
    );
  });

  it('refuses an unknown crossing point code', () => {
    const result = loadPassTypes([
      { ...rahdari(), eligibleDistricts: ['KECH'], allowedPoints: { KECH: ['MND', 'XXX'] } },
    ]);

    expect(result.ok).toBe(false);
  });

  it('refuses a crossing point listed twice for one district', () => {
    const result = loadPassTypes([
      { ...rahdari(), eligibleDistricts: ['KECH'], allowedPoints: { KECH: ['MND', 'MND'] } },
    ]);

    expect(!result.ok && result.errors).toEqual(['0/allowedPoints/KECH: Lists each code at most once.']);
  });

  it('refuses an end date before the start date', () => {
    const result = loadPassTypes([{ ...rahdari(), effectiveUntil: '2023-12-31' }]);

    expect(!result.ok && result.errors).toEqual(['0/effectiveUntil: Must not be before effectiveFrom.']);
  });

  it('refuses the same code twice in one list', () => {
    const result = loadPassTypes([rahdari(), rahdari()]);

    expect(!result.ok && result.errors).toEqual(['1/code: RAHDARI is listed more than once.']);
  });

  it('refuses unknown fields so a misspelt setting is not silently ignored', () => {
    const result = loadPassTypes([{ ...rahdari(), maxValidityDay: 30 }]);

    expect(result.ok).toBe(false);
  });

  it('refuses configuration that is not a list', () => {
    expect(loadPassTypes({ RAHDARI: rahdari() }).ok).toBe(false);
  });
});

describe('calendar helpers', () => {
  it('reads the date in Pakistan, five hours ahead of UTC', () => {
    expect(karachiDate(new Date('2026-12-31T19:00:00Z'))).toBe('2027-01-01');
  });

  it('accepts 29 February in a leap year', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
  });

  it.each(['2026-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-3-1', '1899-12-31'])(
    'refuses %s as a calendar date',
    (value) => {
      expect(isCalendarDate(value)).toBe(false);
    },
  );

  it('counts the days between two dates across a leap day', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
  });
});
