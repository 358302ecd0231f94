// Request-body schemas: what each API input accepts and refuses, and how zod issues become field errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { validateApplication } from '../../shared/domain/application.ts';
import {
  ApplicationInput,
  ApplicationStatus,
  capFieldErrors,
  DevLoginInput,
  MAX_FIELD_ERRORS,
  RejectInput,
  RevokeInput,
  ROLES,
  Role,
  WatchlistInput,
  zodIssuesToFieldErrors,
} from '../../shared/schemas.ts';

const application = {
  passType: 'RAHDARI',
  cnic: '54101-1234567-3',
  name: 'Abdul Ghafoor',
  fatherName: 'Muhammad Hassan',
  district: 'KECH',
  crossingPoints: ['MND'],
  validFrom: '2026-03-10',
  validUntil: '2026-09-09',
};

function fieldErrors(schema: z.ZodMiniType, input: unknown) {
  const result = schema.safeParse(input);
  return result.success ? [] : zodIssuesToFieldErrors(result.error.issues);
}

function fields(schema: z.ZodMiniType, input: unknown) {
  return fieldErrors(schema, input).map((error) => error.field);
}

describe('ApplicationInput', () => {
  it('accepts a complete application', () => {
    expect(ApplicationInput.safeParse(application).success).toBe(true);
  });

  it('accepts a phone number in either Pakistani mobile form', () => {
    expect([
      ApplicationInput.safeParse({ ...application, phone: '03001234567' }).success,
      ApplicationInput.safeParse({ ...application, phone: '+923001234567' }).success,
    ]).toEqual([true, true]);
  });

  it('refuses a phone number that is not a Pakistani mobile', () => {
    expect(fields(ApplicationInput, { ...application, phone: '+4420712345678' })).toEqual(['phone']);
  });

  it('refuses an unknown field and names it', () => {
    expect(fieldErrors(ApplicationInput, { ...application, approved: true })).toEqual([
      { field: 'approved', message: 'This field is not allowed.' },
    ]);
  });

  it('refuses a missing field', () => {
    const { district: _, ...withoutDistrict } = application;

    expect(fields(ApplicationInput, withoutDistrict)).toEqual(['district']);
  });

  it('refuses an empty list of crossing points', () => {
    expect(fieldErrors(ApplicationInput, { ...application, crossingPoints: [] })).toEqual([
      { field: 'crossingPoints', message: 'Choose at least one crossing point.' },
    ]);
  });

  it('points at the crossing point that is too long', () => {
    expect(fields(ApplicationInput, { ...application, crossingPoints: ['MND', 'X'.repeat(9)] })).toEqual([
      'crossingPoints/1',
    ]);
  });

  it('refuses more than 16 crossing points', () => {
    expect(fields(ApplicationInput, { ...application, crossingPoints: Array(17).fill('MND') })).toEqual([
      'crossingPoints',
    ]);
  });

  it('refuses a date that does not exist', () => {
    expect(fields(ApplicationInput, { ...application, validFrom: '2026-02-30' })).toEqual(['validFrom']);
  });

  it('refuses a name far longer than any real one', () => {
    expect(fields(ApplicationInput, { ...application, name: 'a'.repeat(121) })).toEqual(['name']);
  });

  it('refuses a body that is not an object, reporting it at the root', () => {
    expect(fields(ApplicationInput, [application])).toEqual(['']);
  });
});

describe('reasons', () => {
  it('trims a reason before checking its length', () => {
    expect(fieldErrors(RejectInput, { reason: '  no ' })).toEqual([
      { field: 'reason', message: 'Give a reason of at least 3 characters.' },
    ]);
  });

  it('returns the trimmed reason', () => {
    expect(RevokeInput.parse({ reason: ' Reported lost \n' })).toEqual({ reason: 'Reported lost' });
  });

  it('refuses a reason over 500 characters', () => {
    expect(fields(RevokeInput, { reason: 'x'.repeat(501) })).toEqual(['reason']);
  });
});

describe('WatchlistInput', () => {
  it('accepts a known category with a reason', () => {
    expect(WatchlistInput.safeParse({ reason: 'Court order 12/2026', category: 'smuggling' }).success).toBe(
      true,
    );
  });

  it('refuses an unknown category', () => {
    expect(fields(WatchlistInput, { reason: 'Court order 12/2026', category: 'terrorism' })).toEqual([
      'category',
    ]);
  });
});

describe('DevLoginInput', () => {
  it('binds a checkpoint officer to a checkpoint', () => {
    const login = DevLoginInput.parse({ role: 'checkpoint-officer', sub: 'fc.taftan-01', checkpoint: 'TFT' });

    expect(login).toEqual({ role: 'checkpoint-officer', sub: 'fc.taftan-01', checkpoint: 'TFT' });
  });

  it('accepts a port as a checkpoint', () => {
    expect(
      DevLoginInput.safeParse({ role: 'checkpoint-officer', sub: 'msa1', checkpoint: 'KFH' }).success,
    ).toBe(true);
  });

  it('requires a checkpoint officer to name a checkpoint', () => {
    expect(fieldErrors(DevLoginInput, { role: 'checkpoint-officer', sub: 'fc1' })).toEqual([
      { field: 'checkpoint', message: 'A checkpoint officer must name a checkpoint.' },
    ]);
  });

  it('refuses an unknown checkpoint code', () => {
    expect(fieldErrors(DevLoginInput, { role: 'checkpoint-officer', sub: 'fc1', checkpoint: 'QTA' })).toEqual(
      [{ field: 'checkpoint', message: 'Not a known checkpoint code.' }],
    );
  });

  it('refuses a checkpoint for any other role', () => {
    expect(fieldErrors(DevLoginInput, { role: 'fia-officer', sub: 'officer1', checkpoint: 'TFT' })).toEqual([
      { field: 'checkpoint', message: 'Only a checkpoint officer is bound to a checkpoint.' },
    ]);
  });

  it.each(ROLES.filter((role) => role !== 'checkpoint-officer'))(
    'accepts %s without a checkpoint',
    (role) => {
      expect(DevLoginInput.safeParse({ role, sub: 'user@example.pk' }).success).toBe(true);
    },
  );

  it('refuses an unknown role and lists the known ones', () => {
    expect(fieldErrors(DevLoginInput, { role: 'admin', sub: 'root' })).toEqual([
      {
        field: 'role',
        message:
          'Role must be one of: applicant, fia-officer, fia-supervisor, fisheries-officer, checkpoint-officer, moi-analyst.',
      },
    ]);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'a b'],
    ['with a slash', 'a/b'],
    ['65 characters long', 'a'.repeat(65)],
  ])('refuses a subject that is %s', (_, sub) => {
    expect(fields(DevLoginInput, { role: 'applicant', sub })).toEqual(['sub']);
  });

  it("refuses a byte order mark before an applicant's CNIC rather than dropping it", () => {
    expect(fieldErrors(DevLoginInput, { role: 'applicant', sub: 'a1', cnic: '\ufeff5410112345673' })).toEqual(
      [
        {
          field: 'cnic',
          message:
            'Contains U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark) at position 1, which is not allowed.',
        },
      ],
    );
  });

  it('accepts a subject of exactly 64 characters', () => {
    expect(DevLoginInput.safeParse({ role: 'applicant', sub: 'a'.repeat(64) }).success).toBe(true);
  });
});

describe('enums', () => {
  it('lists the roles of the design', () => {
    expect(Role.options).toEqual([
      'applicant',
      'fia-officer',
      'fia-supervisor',
      'fisheries-officer',
      'checkpoint-officer',
      'moi-analyst',
    ]);
  });

  it('lists the application statuses of the design', () => {
    expect(ApplicationStatus.options).toEqual(['PENDING', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED']);
  });
});

describe('zodIssuesToFieldErrors', () => {
  it('joins a nested path with slashes', () => {
    const errors = zodIssuesToFieldErrors([
      { code: 'custom', path: ['crew', 2, 'cnic'], message: 'Bad CNIC.', input: 'x' },
    ]);

    expect(errors).toEqual([{ field: 'crew/2/cnic', message: 'Bad CNIC.' }]);
  });

  it('gives each unknown key its own error', () => {
    const errors = zodIssuesToFieldErrors([
      {
        code: 'unrecognized_keys',
        keys: ['a', 'b'],
        path: ['meta'],
        message: 'Unrecognized keys',
        input: {},
      },
    ]);

    expect(errors.map((error) => error.field)).toEqual(['meta/a', 'meta/b']);
  });

  it('escapes a slash inside a key so the path stays unambiguous', () => {
    const errors = zodIssuesToFieldErrors([
      { code: 'unrecognized_keys', keys: ['a/b', 'c~d'], path: [], message: 'Unrecognized keys', input: {} },
    ]);

    expect(errors.map((error) => error.field)).toEqual(['a~1b', 'c~0d']);
  });
});

describe('typed text', () => {
  const RLO = 'U+202E RIGHT-TO-LEFT OVERRIDE';

  it.each([
    ['name', ApplicationInput, { ...application, name: 'Abdul\u202eGhafoor' }, 6],
    ['fatherName', ApplicationInput, { ...application, fatherName: '\u202eMuhammad Hassan' }, 1],
    ['reason', RejectInput, { reason: 'Forged\u202e papers' }, 7],
    ['reason', RevokeInput, { reason: 'Reported lost \u202e' }, 15],
    ['reason', WatchlistInput, { reason: 'Court order\u202e', category: 'other' }, 12],
  ] as const)(
    'refuses a bidi override in %s, naming the field and the character',
    (field, schema, body, at) => {
      expect(fieldErrors(schema, body)).toEqual([
        { field, message: `Contains ${RLO} at position ${at}, which is not allowed.` },
      ]);
    },
  );

  it.each([
    ['passType', { ...application, passType: 'RAHDARI\u200b' }],
    ['cnic', { ...application, cnic: '\ufeff54101-1234567-3' }],
    ['district', { ...application, district: 'KE\u00adCH' }],
    ['crossingPoints/0', { ...application, crossingPoints: ['\u2066MND'] }],
  ])('refuses a hidden character in a code (%s), rather than calling the code unknown', (field, body) => {
    expect(fieldErrors(ApplicationInput, body)).toEqual([
      { field, message: expect.stringMatching(/^Contains U\+[0-9A-F]{4} .*, which is not allowed\.$/) },
    ]);
  });

  it('reports only the character, not a length as well, when a name is long and holds one', () => {
    expect(fieldErrors(ApplicationInput, { ...application, name: `\u0000${'a'.repeat(130)}` })).toEqual([
      { field: 'name', message: 'Contains U+0000 NULL at position 1, which is not allowed.' },
    ]);
  });

  it('refuses a line break in a name', () => {
    expect(fieldErrors(ApplicationInput, { ...application, name: 'Abdul\nGhafoor' })).toEqual([
      { field: 'name', message: 'Contains U+000A LINE FEED at position 6: this field takes a single line.' },
    ]);
  });

  it('refuses a lone surrogate and a non-character in a reason', () => {
    expect([
      fields(RejectInput, { reason: 'ab\ud800c' }),
      fields(RejectInput, { reason: 'lost card \ufdd0' }),
      fields(RejectInput, { reason: 'lost\u0000card' }),
    ]).toEqual([['reason'], ['reason'], ['reason']]);
  });

  it('accepts a reason over several lines, storing CR LF as LF', () => {
    expect(RevokeInput.parse({ reason: 'Reported lost.\r\nCourt order 12/2026.\n' })).toEqual({
      reason: 'Reported lost.\nCourt order 12/2026.',
    });
  });

  it('stores a reason composed (NFC)', () => {
    expect(RejectInput.parse({ reason: 'Rene\u0301 was not present' }).reason).toBe(
      'Ren\u00e9 was not present',
    );
  });

  it('accepts an Urdu reason with a ZWNJ inside a word', () => {
    expect(RejectInput.parse({ reason: 'پاس گم ہو گیا، پی\u200cٹی\u200cسی کو اطلاع دی' }).reason).toBe(
      'پاس گم ہو گیا، پی\u200cٹی\u200cسی کو اطلاع دی',
    );
  });

  it('refuses a ZWJ between Latin letters in a reason', () => {
    expect(fieldErrors(RejectInput, { reason: 'lo\u200dst' })).toEqual([
      {
        field: 'reason',
        message:
          'Contains U+200D ZERO WIDTH JOINER at position 3, which is allowed only between two letters of an Arabic-script word.',
      },
    ]);
  });

  it.each([
    ['an Urdu name with ZWNJ inside a word', 'پی\u200cٹی\u200cسی خان'],
    ['an Arabic-script name', 'مُحَمَّد حسن'],
    ['a Latin name with an apostrophe and a hyphen', "M. Ali D'Souza-Baloch"],
    ['a long Baloch name with honorifics', 'Mir Abdul Ghafoor Khan Sanjrani Baloch'],
  ])('accepts %s', (_, name) => {
    expect(ApplicationInput.safeParse({ ...application, name, fatherName: name }).success).toBe(true);
  });

  const BIDI = fc.constantFrom(
    ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069].map((c) =>
      String.fromCodePoint(c),
    ),
  );
  const FREE_TEXT_FIELDS = ['name', 'fatherName'] as const;
  const CODE_FIELDS = ['passType', 'cnic', 'district'] as const;

  it('never accepts a bidi control in a free-text field of ApplicationInput, at the edge or in the domain', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FREE_TEXT_FIELDS),
        fc.string({ maxLength: 40 }),
        BIDI,
        fc.string({ maxLength: 40 }),
        (field, before, control, after) => {
          const value = `${before}${control}${after}`;
          const body = { ...application, [field]: value };

          expect(fields(ApplicationInput, body)).toContain(field);
          const checked = validateApplication(body, new Date('2026-03-10T07:00:00Z'));
          expect(checked.ok).toBe(false);
          expect(checked.ok ? [] : checked.errors.map((error) => error.field)).toContain(field);
        },
      ),
    );
  });

  it('never accepts a bidi control in any string field of ApplicationInput', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FREE_TEXT_FIELDS, ...CODE_FIELDS, 'crossingPoints/0' as const),
        fc.string({ maxLength: 3 }),
        BIDI,
        fc.string({ maxLength: 3 }),
        (field, before, control, after) => {
          const value = `${before}${control}${after}`;
          const body =
            field === 'crossingPoints/0'
              ? { ...application, crossingPoints: [value] }
              : { ...application, [field]: value };

          expect(fieldErrors(ApplicationInput, body)).toContainEqual({
            field,
            message: expect.stringMatching(/^Contains U\+(202[A-E]|206[6-9]) /),
          });
        },
      ),
    );
  });
});

describe('capFieldErrors', () => {
  const errorsFor = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ field: `f${i}`, message: 'This field is not allowed.' }));

  it('keeps the first 20 errors in order and counts the rest', () => {
    const capped = capFieldErrors(errorsFor(27));

    expect([capped.errors.map((error) => error.field), capped.omitted]).toEqual([
      errorsFor(20).map((error) => error.field),
      7,
    ]);
  });

  it('leaves a list of exactly 20 whole', () => {
    expect(capFieldErrors(errorsFor(20))).toEqual({ errors: errorsFor(20), omitted: 0 });
  });

  it('caps the errors of a body with hundreds of unknown fields', () => {
    const body = { ...application, ...Object.fromEntries(errorsFor(300).map((e) => [e.field, 1])) };

    const capped = capFieldErrors(fieldErrors(ApplicationInput, body));

    expect([capped.errors.length, capped.omitted]).toEqual([MAX_FIELD_ERRORS, 300 - MAX_FIELD_ERRORS]);
  });
});
