// Request-body schemas: what each API input accepts and refuses, and how zod issues become field errors.
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  ApplicationInput,
  ApplicationStatus,
  DevLoginInput,
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

describe('reason text', () => {
  it('refuses control characters and unpaired surrogates', async () => {
    const { RejectInput } = await import('../../shared/schemas.ts');
    expect(RejectInput.safeParse({ reason: 'lost\u0000card' }).success).toBe(false);
    expect(RejectInput.safeParse({ reason: 'ab\ud800c' }).success).toBe(false);
    expect(RejectInput.safeParse({ reason: 'پاس گم ہو گیا' }).success).toBe(true);
  });
});
