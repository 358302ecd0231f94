// Bad input on every field of every body, path and query parameter: an RFC 9457 problem naming it, and no write.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCnic } from '../../shared/domain/cnic.ts';
import { daysBetween, findPassType, type PassType } from '../../shared/domain/pass-types.ts';
import { cnicSeries, dayAfter, karachiDay } from '../support/data.ts';
import { generatePilgrims, groupBody, ORGANIZER } from '../support/pilgrims.ts';
import { type ApiResponse, applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
/** An applicant account bound to a CNIC no application here uses, for bodies that never get as far as the CNIC. */
let applicant: string;
let officer: string;
let supervisor: string;
let checkpoint: string;

beforeAll(async () => {
  p = await testPlatform({ passTypes: [RAHDARI] });
  applicant = await p.login('applicant', 'resident-1', { cnic: '5490000000003' });
  officer = await p.login('fia-officer', 'officer-1');
  supervisor = await p.login('fia-supervisor', 'supervisor-1');
  checkpoint = await p.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
});
afterAll(() => p.close());

/** A CNIC no other case uses, so a refusal is never a duplicate by accident. */
const freshCnic = cnicSeries('54', 3);

/** The calendar day in Pakistan `offset` days from today. */
const day = (offset: number) => karachiDay(offset);

// The end-date cases need a rahdari that ends, and one that ends at a fixed distance from today, so they
// neither depend on the built-in placeholder end date nor break as it nears. 400 days leaves room for the
// longest (365-day) pass to be refused for its length alone.
const RAHDARI_END = day(400);
const RAHDARI: PassType = { ...(findPassType('RAHDARI') as PassType), effectiveUntil: RAHDARI_END };

type Body = Record<string, unknown>;
const validApplication = (): Body => applicationFor(freshCnic());
const withFields = (changes: Body) => (): Body => ({ ...validApplication(), ...changes });
const withoutField = (field: string) => (): Body =>
  Object.fromEntries(Object.entries(validApplication()).filter(([key]) => key !== field));

const byKey = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  `${a.PK}|${a.SK}`.localeCompare(`${b.PK}|${b.SK}`);
const snapshot = async () => (await p.items()).sort(byKey);

/** Sends one request between two snapshots of the whole table. */
async function attempt(send: () => Promise<ApiResponse>) {
  const before = await snapshot();
  const res = await send();
  const after = await snapshot();
  return { res, before, after };
}

function expectProblem(res: ApiResponse, status: number): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.json).toMatchObject({
    type: expect.stringMatching(/^urn:rahdari:problem:[a-z-]+$/),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
}

function expectFieldProblem(res: ApiResponse, field: string): void {
  expectProblem(res, 400);
  expect(res.json.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringMatching(/\S/) }]));
}

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await p.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300)
    throw new Error(`${method} ${path} failed while preparing: ${res.status} ${res.text}`);
  return res.json;
}

/**
 * An applicant account bound to the CNIC a body names, so that a refusal is about the field under test and
 * never about whose CNIC it is; a body whose CNIC does not parse gets the shared account.
 */
async function applicantFor(body: unknown): Promise<string> {
  const named = typeof body === 'object' && body !== null ? (body as Body).cnic : undefined;
  const parsed = typeof named === 'string' ? parseCnic(named) : undefined;
  if (!parsed?.ok) return applicant;
  return p.login('applicant', `resident-${parsed.cnic}`, { cnic: parsed.cnic });
}

const pendingApplication = async (): Promise<string> => {
  const body = validApplication();
  return (await call('POST', '/applications', await applicantFor(body), body)).id;
};
const activePass = async (): Promise<string> =>
  (await call('POST', `/applications/${await pendingApplication()}/approve`, officer)).pass.number;

interface FieldCase {
  name: string;
  body: () => unknown;
  field: string;
}

const APPLICATION_CASES: FieldCase[] = [
  { name: 'a missing passType', body: withoutField('passType'), field: 'passType' },
  { name: 'a passType that is a number', body: withFields({ passType: 1 }), field: 'passType' },
  { name: 'an empty passType', body: withFields({ passType: '' }), field: 'passType' },
  {
    name: 'a passType over 32 characters',
    body: withFields({ passType: 'R'.repeat(33) }),
    field: 'passType',
  },
  { name: 'an unknown passType', body: withFields({ passType: 'HAJJ_PERMIT' }), field: 'passType' },
  { name: 'a passType in lower case', body: withFields({ passType: 'rahdari' }), field: 'passType' },

  { name: 'a missing CNIC', body: withoutField('cnic'), field: 'cnic' },
  { name: 'a CNIC sent as a number', body: withFields({ cnic: 5410112345673 }), field: 'cnic' },
  { name: 'an empty CNIC', body: withFields({ cnic: '' }), field: 'cnic' },
  { name: 'a CNIC over 32 characters', body: withFields({ cnic: '5'.repeat(33) }), field: 'cnic' },
  { name: 'a CNIC of 12 digits', body: withFields({ cnic: '541011234567' }), field: 'cnic' },
  { name: 'a CNIC of 14 digits', body: withFields({ cnic: '54101123456731' }), field: 'cnic' },
  { name: 'a CNIC dashed 6-6-1', body: withFields({ cnic: '541011-234567-3' }), field: 'cnic' },
  { name: 'a CNIC grouped by spaces', body: withFields({ cnic: '54101 1234567 3' }), field: 'cnic' },
  { name: 'a CNIC with letters', body: withFields({ cnic: '54101-ABCDEFG-3' }), field: 'cnic' },
  { name: 'a CNIC in Arabic-Indic digits', body: withFields({ cnic: '٥٤١٠١١٢٣٤٥٦٧٣' }), field: 'cnic' },
  { name: 'a CNIC starting with 0', body: withFields({ cnic: '0410112345673' }), field: 'cnic' },
  { name: 'a CNIC starting with 9', body: withFields({ cnic: '9410112345673' }), field: 'cnic' },

  { name: 'a missing name', body: withoutField('name'), field: 'name' },
  { name: 'a name that is a number', body: withFields({ name: 42 }), field: 'name' },
  { name: 'an empty name', body: withFields({ name: '' }), field: 'name' },
  { name: 'a name of only spaces', body: withFields({ name: '   ' }), field: 'name' },
  { name: 'a name of one letter', body: withFields({ name: 'A' }), field: 'name' },
  { name: 'a name over 60 letters', body: withFields({ name: 'A'.repeat(61) }), field: 'name' },
  { name: 'a name over 120 characters', body: withFields({ name: 'A'.repeat(121) }), field: 'name' },
  { name: 'a name with digits', body: withFields({ name: 'Abdul 2nd' }), field: 'name' },
  { name: 'a name with markup', body: withFields({ name: '<b>Abdul</b>' }), field: 'name' },
  { name: 'a name with an emoji', body: withFields({ name: 'Abdul 🙂' }), field: 'name' },
  { name: 'a name in Cyrillic', body: withFields({ name: 'Иван Петров' }), field: 'name' },
  { name: 'a name of only punctuation', body: withFields({ name: "- . '" }), field: 'name' },

  { name: "a missing father's name", body: withoutField('fatherName'), field: 'fatherName' },
  {
    name: "a father's name that is an array",
    body: withFields({ fatherName: ['Hassan'] }),
    field: 'fatherName',
  },
  {
    name: "a father's name over 60 letters",
    body: withFields({ fatherName: 'H'.repeat(61) }),
    field: 'fatherName',
  },
  { name: "a father's name with digits", body: withFields({ fatherName: 'Hassan 3' }), field: 'fatherName' },

  { name: 'a missing district', body: withoutField('district'), field: 'district' },
  {
    name: 'a district that is an object',
    body: withFields({ district: { code: 'CHAGAI' } }),
    field: 'district',
  },
  {
    name: 'a district over 32 characters',
    body: withFields({ district: 'C'.repeat(33) }),
    field: 'district',
  },
  { name: 'an unknown district', body: withFields({ district: 'QUETTA' }), field: 'district' },
  { name: 'a district in lower case', body: withFields({ district: 'chagai' }), field: 'district' },
  {
    name: 'an inherited property name as district',
    body: withFields({ district: 'toString' }),
    field: 'district',
  },
  {
    name: 'a district not eligible for the pass type',
    body: withFields({ passType: 'BORDER_RESIDENT_CARD', district: 'WASHUK', crossingPoints: ['CMN'] }),
    field: 'district',
  },

  { name: 'missing crossing points', body: withoutField('crossingPoints'), field: 'crossingPoints' },
  {
    name: 'crossing points as one string',
    body: withFields({ crossingPoints: 'TFT' }),
    field: 'crossingPoints',
  },
  {
    name: 'an empty list of crossing points',
    body: withFields({ crossingPoints: [] }),
    field: 'crossingPoints',
  },
  {
    name: 'a crossing point that is a number',
    body: withFields({ crossingPoints: [7] }),
    field: 'crossingPoints/0',
  },
  {
    name: 'a crossing point over 8 characters',
    body: withFields({ crossingPoints: ['TFTTFTTFT'] }),
    field: 'crossingPoints/0',
  },
  {
    name: 'an unknown crossing point',
    body: withFields({ crossingPoints: ['TFT', 'XYZ'] }),
    field: 'crossingPoints/1',
  },
  {
    name: 'a crossing point listed twice',
    body: withFields({ crossingPoints: ['TFT', 'TFT'] }),
    field: 'crossingPoints/1',
  },
  {
    name: 'a crossing point not open to the district',
    body: withFields({ district: 'CHAGAI', crossingPoints: ['MSK'] }),
    field: 'crossingPoints/0',
  },
  {
    name: 'an Afghan crossing point on a rahdari',
    body: withFields({ district: 'CHAGAI', crossingPoints: ['CMN'] }),
    field: 'crossingPoints/0',
  },
  {
    name: 'more than 16 crossing points',
    body: withFields({ crossingPoints: Array(17).fill('TFT') }),
    field: 'crossingPoints',
  },

  { name: 'a missing validFrom', body: withoutField('validFrom'), field: 'validFrom' },
  {
    name: 'a validFrom that is a timestamp number',
    body: withFields({ validFrom: Date.now() }),
    field: 'validFrom',
  },
  {
    name: 'a validFrom that is not a real day',
    body: withFields({ validFrom: '2027-02-30' }),
    field: 'validFrom',
  },
  {
    name: 'a validFrom written day first',
    body: withFields({ validFrom: '29/11/2026' }),
    field: 'validFrom',
  },
  {
    name: 'a validFrom with a time',
    body: withFields({ validFrom: `${day(1)}T00:00:00Z` }),
    field: 'validFrom',
  },
  { name: 'a validFrom in the past', body: withFields({ validFrom: day(-1) }), field: 'validFrom' },
  {
    name: 'a validFrom after the pass type has ended',
    body: withFields({ validFrom: dayAfter(RAHDARI_END, 10), validUntil: dayAfter(RAHDARI_END, 20) }),
    field: 'validFrom',
  },

  { name: 'a missing validUntil', body: withoutField('validUntil'), field: 'validUntil' },
  { name: 'a validUntil that is null', body: withFields({ validUntil: null }), field: 'validUntil' },
  {
    name: 'a validUntil that is not a real day',
    body: withFields({ validUntil: '2027-13-01' }),
    field: 'validUntil',
  },
  {
    name: 'a validUntil before validFrom',
    body: withFields({ validFrom: day(10), validUntil: day(5) }),
    field: 'validUntil',
  },
  {
    name: 'a validUntil equal to validFrom',
    body: withFields({ validFrom: day(10), validUntil: day(10) }),
    field: 'validUntil',
  },
  {
    name: "a validity one day over the pass type's maximum",
    body: withFields({ validFrom: day(0), validUntil: day(RAHDARI.maxValidityDays) }),
    field: 'validUntil',
  },
  {
    name: 'a validUntil after the pass type ends',
    body: withFields({
      validFrom: day(Math.max(0, daysBetween(day(0), RAHDARI_END) - 5)),
      validUntil: dayAfter(RAHDARI_END, 1),
    }),
    field: 'validUntil',
  },

  { name: 'a phone number that is a number', body: withFields({ phone: 3001234567 }), field: 'phone' },
  { name: 'a landline phone number', body: withFields({ phone: '0812345678' }), field: 'phone' },
  { name: 'a foreign phone number', body: withFields({ phone: '+989121234567' }), field: 'phone' },

  {
    name: 'an unknown extra field',
    body: withFields({ religion: 'none of your business' }),
    field: 'religion',
  },
  { name: 'an attempt to set its own status', body: withFields({ status: 'APPROVED' }), field: 'status' },
  {
    name: 'an attempt to name its own applicant',
    body: withFields({ applicantSub: 'someone-else' }),
    field: 'applicantSub',
  },
];

describe('POST /applications', () => {
  for (const c of APPLICATION_CASES) {
    it(`refuses ${c.name}, naming ${c.field}, and writes nothing`, async () => {
      const body = c.body();
      const token = await applicantFor(body);

      const { res, before, after } = await attempt(() => p.api('POST', '/applications', { token, body }));

      expectFieldProblem(res, c.field);
      expect(after).toEqual(before);
    });
  }

  it('refuses a second open application for the same CNIC with 409 and writes nothing', async () => {
    const cnic = freshCnic();
    await call('POST', '/applications', await applicantFor(applicationFor(cnic)), applicationFor(cnic));

    const { res, before, after } = await attempt(() =>
      p.api('POST', '/applications', { token: officer, body: applicationFor(cnic) }),
    );

    expectProblem(res, 409);
    expect(after).toEqual(before);
  });
});

const REASON_CASES: { name: string; body: unknown; field: string }[] = [
  { name: 'a missing reason', body: {}, field: 'reason' },
  { name: 'a reason that is a number', body: { reason: 123 }, field: 'reason' },
  { name: 'a reason of two characters', body: { reason: 'ab' }, field: 'reason' },
  { name: 'a reason of only spaces', body: { reason: '      ' }, field: 'reason' },
  { name: 'a reason over 500 characters', body: { reason: 'x'.repeat(501) }, field: 'reason' },
  {
    name: 'an unknown extra field',
    body: { reason: 'documents do not match', notify: true },
    field: 'notify',
  },
];

describe('POST /applications/{id}/reject', () => {
  for (const c of REASON_CASES) {
    it(`refuses ${c.name}, naming ${c.field}, and writes nothing`, async () => {
      const id = await pendingApplication();

      const { res, before, after } = await attempt(() =>
        p.api('POST', `/applications/${id}/reject`, { token: officer, body: c.body }),
      );

      expectFieldProblem(res, c.field);
      expect(after).toEqual(before);
    });
  }

  it('refuses to reject an approved application with 409 and writes nothing', async () => {
    const id = await pendingApplication();
    await call('POST', `/applications/${id}/approve`, officer);

    const { res, before, after } = await attempt(() =>
      p.api('POST', `/applications/${id}/reject`, { token: supervisor, body: { reason: 'too late now' } }),
    );

    expectProblem(res, 409);
    expect(after).toEqual(before);
  });
});

describe('POST /applications/{id}/approve', () => {
  it('refuses to approve a rejected application with 409 and writes nothing', async () => {
    const id = await pendingApplication();
    await call('POST', `/applications/${id}/reject`, officer, { reason: 'documents do not match' });

    const { res, before, after } = await attempt(() =>
      p.api('POST', `/applications/${id}/approve`, { token: supervisor }),
    );

    expectProblem(res, 409);
    expect(after).toEqual(before);
  });
});

const MISSING_RECORDS: { name: string; method: string; path: string; token: () => string; body?: unknown }[] =
  [
    {
      name: 'reading an application id that is not a ULID',
      method: 'GET',
      path: '/applications/123',
      token: () => officer,
    },
    {
      name: 'reading an unknown application',
      method: 'GET',
      path: '/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV',
      token: () => officer,
    },
    {
      name: 'approving an unknown application',
      method: 'POST',
      path: '/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV/approve',
      token: () => officer,
    },
    {
      name: 'approving an application id in lower case',
      method: 'POST',
      path: '/applications/01arz3ndektsv4rrffq69g5fav/approve',
      token: () => officer,
    },
    {
      name: 'rejecting an unknown application',
      method: 'POST',
      path: '/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV/reject',
      token: () => officer,
      body: { reason: 'documents do not match' },
    },
    { name: 'reading a malformed pass number', method: 'GET', path: '/passes/BP-26-1', token: () => officer },
    { name: 'reading an unknown pass', method: 'GET', path: '/passes/BP-2026-999999', token: () => officer },
    {
      name: 'the QR of an unknown pass',
      method: 'GET',
      path: '/passes/BP-2026-999999/qr.png',
      token: () => officer,
    },
    {
      name: 'revoking an unknown pass',
      method: 'POST',
      path: '/passes/BP-2026-999999/revoke',
      token: () => supervisor,
      body: { reason: 'reported lost' },
    },
    {
      name: 'removing a CNIC that is not on the watchlist',
      method: 'DELETE',
      path: `/watchlist/5410199999993`,
      token: () => supervisor,
    },
    { name: 'a route that does not exist', method: 'GET', path: '/applications/x/y/z', token: () => officer },
    {
      name: 'redriving a feed batch that is not dead',
      method: 'POST',
      path: '/feed/dead/01ARZ3NDEKTSV4RRFFQ69G5FAV/redrive',
      token: () => supervisor,
    },
    {
      name: 'redriving a malformed delivery id',
      method: 'POST',
      path: '/feed/dead/not-a-delivery-id/redrive',
      token: () => supervisor,
    },
  ];

describe('unknown records', () => {
  for (const c of MISSING_RECORDS) {
    it(`answers 404 to ${c.name} and writes nothing`, async () => {
      const { res, before, after } = await attempt(() =>
        p.api(c.method, c.path, { token: c.token(), ...(c.body === undefined ? {} : { body: c.body }) }),
      );

      expectProblem(res, 404);
      expect(after).toEqual(before);
    });
  }
});

describe('POST /passes/{no}/revoke', () => {
  for (const c of REASON_CASES) {
    it(`refuses ${c.name}, naming ${c.field}, and writes nothing`, async () => {
      const no = await activePass();

      const { res, before, after } = await attempt(() =>
        p.api('POST', `/passes/${no}/revoke`, { token: supervisor, body: c.body }),
      );

      expectFieldProblem(res, c.field);
      expect(after).toEqual(before);
    });
  }

  it('refuses to revoke a revoked pass with 409 and writes nothing', async () => {
    const no = await activePass();
    await call('POST', `/passes/${no}/revoke`, supervisor, { reason: 'reported lost' });

    const { res, before, after } = await attempt(() =>
      p.api('POST', `/passes/${no}/revoke`, { token: supervisor, body: { reason: 'reported lost again' } }),
    );

    expectProblem(res, 409);
    expect(after).toEqual(before);
  });
});

const WATCH = { reason: 'known smuggler', category: 'smuggling' };
const WATCHLIST_CASES: { name: string; body: unknown; field: string }[] = [
  ...REASON_CASES.map((c) => ({
    ...c,
    body: { category: 'smuggling', ...(c.body as Body) },
  })),
  { name: 'a missing category', body: { reason: WATCH.reason }, field: 'category' },
  { name: 'an unknown category', body: { ...WATCH, category: 'terrorism' }, field: 'category' },
  { name: 'a category in upper case', body: { ...WATCH, category: 'SMUGGLING' }, field: 'category' },
  { name: 'a category that is a list', body: { ...WATCH, category: ['smuggling'] }, field: 'category' },
];

/** Path segments that are not a CNIC; `%25` arrives as a literal percent sign. */
const BAD_CNIC_SEGMENTS = [
  '123',
  '9410112345673',
  '0410112345673',
  '54101-1234567',
  '54101-1234567-33',
  'abc',
  '%25',
  '%20',
];

describe('PUT /watchlist/{cnic}', () => {
  for (const c of WATCHLIST_CASES) {
    it(`refuses ${c.name}, naming ${c.field}, and writes nothing`, async () => {
      const cnic = freshCnic();

      const { res, before, after } = await attempt(() =>
        p.api('PUT', `/watchlist/${cnic}`, { token: supervisor, body: c.body }),
      );

      expectFieldProblem(res, c.field);
      expect(after).toEqual(before);
    });
  }

  for (const segment of BAD_CNIC_SEGMENTS) {
    it(`refuses the CNIC "${segment}" in the path, naming cnic, and writes nothing`, async () => {
      const { res, before, after } = await attempt(() =>
        p.api('PUT', `/watchlist/${segment}`, { token: supervisor, body: WATCH }),
      );

      expectFieldProblem(res, 'cnic');
      expect(after).toEqual(before);
    });
  }
});

describe('GET and DELETE /watchlist/{cnic}', () => {
  for (const method of ['GET', 'DELETE']) {
    for (const segment of BAD_CNIC_SEGMENTS) {
      it(`${method} refuses the CNIC "${segment}" in the path, naming cnic, and writes nothing`, async () => {
        const { res, before, after } = await attempt(() =>
          p.api(method, `/watchlist/${segment}`, { token: supervisor }),
        );

        expectFieldProblem(res, 'cnic');
        expect(after).toEqual(before);
      });
    }
  }

  it('refuses a path segment that is not valid percent-encoding with 400 and writes nothing', async () => {
    const { res, before, after } = await attempt(() =>
      p.api('DELETE', '/watchlist/%E0%A4', { token: supervisor }),
    );

    expectProblem(res, 400);
    expect(after).toEqual(before);
  });
});

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('GET /applications', () => {
  const QUERIES: { name: string; query: string | (() => Promise<string>); field: string }[] = [
    { name: 'an unknown status', query: 'status=LOST', field: 'status' },
    { name: 'two statuses at once', query: 'status=PENDING&status=REJECTED', field: 'status' },
    { name: 'an empty status', query: 'status=', field: 'status' },
    { name: 'a limit that is not a number', query: 'limit=ten', field: 'limit' },
    { name: 'a limit of 0', query: 'limit=0', field: 'limit' },
    { name: 'a limit over 100', query: 'limit=101', field: 'limit' },
    { name: 'a fractional limit', query: 'limit=1.5', field: 'limit' },
    { name: 'a negative limit', query: 'limit=-1', field: 'limit' },
    { name: 'an empty limit', query: 'limit=', field: 'limit' },
    { name: 'a cursor that is not base64', query: 'cursor=!!!', field: 'cursor' },
    {
      name: 'a cursor that is not JSON',
      query: `cursor=${Buffer.from('not json').toString('base64url')}`,
      field: 'cursor',
    },
    { name: 'a cursor that is JSON null', query: `cursor=${cursorOf(null)}`, field: 'cursor' },
    {
      name: 'a cursor that is a JSON array',
      query: `cursor=${cursorOf(['STATUS#PENDING'])}`,
      field: 'cursor',
    },
    {
      name: 'a cursor with only the partition key',
      query: `cursor=${cursorOf({ GSI1PK: 'STATUS#PENDING' })}`,
      field: 'cursor',
    },
    {
      name: 'a cursor with empty key values',
      query: `cursor=${cursorOf({ GSI1PK: 'STATUS#PENDING', GSI1SK: '', PK: '', SK: '' })}`,
      field: 'cursor',
    },
    {
      name: 'a cursor with an extra attribute',
      query: `cursor=${cursorOf({ GSI1PK: 'STATUS#PENDING', GSI1SK: 'a', PK: 'b', SK: 'c', status: 'x' })}`,
      field: 'cursor',
    },
    {
      name: 'a cursor from another status’s list',
      query: async () => {
        await pendingApplication();
        await pendingApplication();
        const page = await call('GET', '/applications?status=PENDING&limit=1', officer);
        const cursor = new URL(page.next, 'http://x').searchParams.get('cursor') as string;
        return `status=REJECTED&cursor=${cursor}`;
      },
      field: 'cursor',
    },
  ];

  for (const c of QUERIES) {
    it(`refuses ${c.name}, naming ${c.field}, and writes nothing`, async () => {
      const query = typeof c.query === 'string' ? c.query : await c.query();

      const { res, before, after } = await attempt(() =>
        p.api('GET', `/applications?${query}`, { token: officer }),
      );

      expectFieldProblem(res, c.field);
      expect(after).toEqual(before);
    });
  }
});

describe('GET /trust-bundle', () => {
  for (const since of ['abc', '-1', '1.5', '1e3', '', '0x10', ' 1', '1234567890123', 'NaN']) {
    it(`refuses since=${JSON.stringify(since)}, naming since, and writes nothing`, async () => {
      const { res, before, after } = await attempt(() =>
        p.api('GET', `/trust-bundle?since=${encodeURIComponent(since)}`, { token: checkpoint }),
      );

      expectFieldProblem(res, 'since');
      expect(after).toEqual(before);
    });
  }
});

describe('the reports', () => {
  const RANGE = 'from=2026-03-01&to=2026-03-10';
  const QUERIES: { route: string; name: string; query: string; field: string }[] = [
    { route: 'crossings', name: 'no range', query: '', field: 'from' },
    { route: 'crossings', name: 'no end', query: 'from=2026-03-01', field: 'to' },
    {
      route: 'crossings',
      name: 'a day that does not exist',
      query: 'from=2026-02-29&to=2026-03-01',
      field: 'from',
    },
    {
      route: 'crossings',
      name: 'a day written another way',
      query: 'from=1/3/2026&to=2026-03-02',
      field: 'from',
    },
    {
      route: 'crossings',
      name: 'an end before the start',
      query: 'from=2026-03-10&to=2026-03-01',
      field: 'to',
    },
    { route: 'crossings', name: 'a range of 367 days', query: 'from=2026-01-01&to=2027-01-02', field: 'to' },
    {
      route: 'crossings',
      name: 'an unknown checkpoint',
      query: `${RANGE}&checkpoint=tft`,
      field: 'checkpoint',
    },
    {
      route: 'crossings',
      name: 'two checkpoints',
      query: `${RANGE}&checkpoint=TFT&checkpoint=RJY`,
      field: 'checkpoint',
    },
    { route: 'crossings', name: 'an unknown parameter', query: `${RANGE}&post=TFT`, field: 'post' },
    { route: 'anomalies', name: 'an unknown type', query: `${RANGE}&type=SMUGGLING`, field: 'type' },
    { route: 'anomalies', name: 'a limit over 100', query: `${RANGE}&limit=101`, field: 'limit' },
    {
      route: 'anomalies',
      name: 'a cursor that is not base64',
      query: `${RANGE}&cursor=!!!`,
      field: 'cursor',
    },
    {
      route: 'anomalies',
      name: 'a cursor that is JSON null',
      query: `${RANGE}&cursor=${cursorOf(null)}`,
      field: 'cursor',
    },
    {
      route: 'anomalies',
      name: 'a cursor for a day outside the range',
      query: `${RANGE}&cursor=${cursorOf({ day: '2026-04-01' })}`,
      field: 'cursor',
    },
    {
      route: 'anomalies',
      name: "a cursor with another day's key",
      query: `${RANGE}&cursor=${cursorOf({
        day: '2026-03-02',
        key: { GSI1PK: 'ANOMALY#2026-03-05', GSI1SK: 'a', PK: 'b', SK: 'c' },
      })}`,
      field: 'cursor',
    },
    { route: 'overstays', name: 'an asOf that is no time', query: 'asOf=soon', field: 'asOf' },
    {
      route: 'overstays',
      name: 'an asOf without an offset',
      query: 'asOf=2026-03-01T10:00:00',
      field: 'asOf',
    },
    { route: 'vessels-at-sea', name: 'an unknown parameter', query: 'port=GWD', field: 'port' },
  ];

  for (const c of QUERIES) {
    it(`GET /reports/${c.route} refuses ${c.name}, naming ${c.field}, and writes nothing`, async () => {
      const { res, before, after } = await attempt(() =>
        p.api('GET', `/reports/${c.route}?${c.query}`, { token: officer }),
      );

      expectFieldProblem(res, c.field);
      expect(after).toEqual(before);
    });
  }
});

interface SendInit {
  rawBody?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as bytes, so fetch adds no content type of its own as it does for a string body. */
  bytes?: Uint8Array<ArrayBuffer>;
}
type Send = (init: SendInit) => Promise<ApiResponse>;

async function request(method: string, path: string, token: string, init: SendInit): Promise<ApiResponse> {
  const { bytes, ...rest } = init;
  if (bytes === undefined) return p.api(method, path, { token, ...rest });
  const res = await fetch(`${p.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    body: bytes,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

/** Every route that takes a body: `prepare` makes a fresh record and returns a call on it by an allowed caller. */
const BODY_ROUTES: { route: string; prepare: () => Promise<Send> }[] = [
  {
    route: 'POST /applications',
    prepare: async () => (init) => request('POST', '/applications', applicant, init),
  },
  {
    route: 'POST /applications/{id}/reject',
    prepare: async () => {
      const id = await pendingApplication();
      return (init) => request('POST', `/applications/${id}/reject`, officer, init);
    },
  },
  {
    route: 'POST /passes/{no}/revoke',
    prepare: async () => {
      const no = await activePass();
      return (init) => request('POST', `/passes/${no}/revoke`, supervisor, init);
    },
  },
  {
    route: 'PUT /watchlist/{cnic}',
    prepare: async () => {
      const cnic = freshCnic();
      return (init) => request('PUT', `/watchlist/${cnic}`, supervisor, init);
    },
  },
];

const JSON_TYPE = { 'content-type': 'application/json' };
const MALFORMED: { name: string; init: () => SendInit; status: number; field?: string }[] = [
  { name: 'malformed JSON', init: () => ({ rawBody: '{"reason": ', headers: JSON_TYPE }), status: 400 },
  {
    name: 'JSON with a trailing comma',
    init: () => ({ rawBody: '{"reason": "lost",}', headers: JSON_TYPE }),
    status: 400,
  },
  { name: 'an empty body', init: () => ({ rawBody: '', headers: JSON_TYPE }), status: 400 },
  { name: 'a JSON array', init: () => ({ body: [WATCH] }), status: 400, field: '' },
  { name: 'JSON null', init: () => ({ rawBody: 'null', headers: JSON_TYPE }), status: 400, field: '' },
  { name: 'a JSON string', init: () => ({ body: 'reported lost' }), status: 400, field: '' },
  {
    name: 'a body without a content type',
    init: () => ({ bytes: new TextEncoder().encode(JSON.stringify(WATCH)) }),
    status: 415,
  },
  {
    name: 'a text/plain body',
    init: () => ({ rawBody: JSON.stringify(WATCH), headers: { 'content-type': 'text/plain' } }),
    status: 415,
  },
  {
    name: 'a form-encoded body',
    init: () => ({
      rawBody: 'reason=known+smuggler&category=smuggling',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
    status: 415,
  },
  {
    name: 'a body over 64 KB',
    init: () => ({ body: { ...WATCH, reason: 'x'.repeat(64 * 1024) } }),
    status: 413,
  },
];

for (const { route, prepare } of BODY_ROUTES) {
  describe(`${route} with a body that is not a JSON object`, () => {
    for (const c of MALFORMED) {
      it(`refuses ${c.name} with ${c.status} and writes nothing`, async () => {
        const send = await prepare();

        const { res, before, after } = await attempt(() => send(c.init()));

        if (c.field === undefined) expectProblem(res, c.status);
        else expectFieldProblem(res, c.field);
        expect(after).toEqual(before);
      });
    }
  });
}

/** A GET with the request target exactly as given, which fetch would normalize first. */
function rawGet(target: string, token: string): Promise<ApiResponse> {
  const url = new URL(p.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: target, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers, text, json: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the request target', () => {
  it('refuses one that is not a URL with 400 and writes nothing', async () => {
    const { res, before, after } = await attempt(() => rawGet('//[', officer));

    expectProblem(res, 400);
    expect(after).toEqual(before);
  });
});

describe('pilgrim groups', () => {
  const LEADER = '4210155555551';
  let leader: string;
  const members = generatePilgrims(3, 9);
  const group = (changes: Body = {}): Body => groupBody(members, changes);
  const member = (changes: Body) => ({ members: [{ ...(group().members as Body[])[0], ...changes }] });

  beforeAll(async () => {
    await call('PUT', `/organizers/${LEADER}`, supervisor, ORGANIZER);
    leader = await p.login('applicant', 'leader-1', { cnic: LEADER });
  });

  const GROUP_CASES: { name: string; body: () => Body; field: string }[] = [
    { name: 'an unknown pass type', body: () => group({ passType: 'HAJJ' }), field: 'passType' },
    { name: 'a pass type for residents', body: () => group({ passType: 'RAHDARI' }), field: 'passType' },
    {
      name: 'a crossing point groups do not use',
      body: () => group({ crossingPoint: 'RJY' }),
      field: 'crossingPoint',
    },
    {
      name: 'an unknown crossing point',
      body: () => group({ crossingPoint: 'XYZ' }),
      field: 'crossingPoint',
    },
    { name: 'a route of one letter', body: () => group({ route: 'T' }), field: 'route' },
    {
      name: 'a departure in the past',
      body: () => group({ departOn: day(-1), returnBy: day(20) }),
      field: 'departOn',
    },
    {
      name: 'a departure that is not a date',
      body: () => group({ departOn: '2026-02-30' }),
      field: 'departOn',
    },
    { name: 'a return before departure', body: () => group({ returnBy: day(0) }), field: 'returnBy' },
    {
      name: 'a trip longer than the type allows',
      body: () => group({ returnBy: day(60) }),
      field: 'returnBy',
    },
    { name: 'no members', body: () => group({ members: [] }), field: 'members' },
    {
      name: 'more than 500 members',
      body: () => group({ members: new Array(501).fill((group().members as Body[])[0]) }),
      field: 'members',
    },
    {
      name: 'a member whose CNIC is short',
      body: () => group(member({ cnic: '42101-123456-1' })),
      field: 'members/0/cnic',
    },
    {
      name: 'a member named with digits',
      body: () => group(member({ name: 'Ali 786' })),
      field: 'members/0/name',
    },
    {
      name: "a member whose father's name hides a bidi control",
      body: () => group(member({ fatherName: 'Ali\u202eRaza' })),
      field: 'members/0/fatherName',
    },
    {
      name: 'a member with no district',
      body: () => group(member({ district: '' })),
      field: 'members/0/district',
    },
    {
      name: 'a member with a field the API does not know',
      body: () => group(member({ passport: 'AB1234567' })),
      field: 'members/0/passport',
    },
    {
      name: 'the same CNIC twice',
      body: () => group({ members: [...(group().members as Body[]), (group().members as Body[])[0]] }),
      field: 'members/3/cnic',
    },
    {
      name: 'a field the API does not know',
      body: () => group({ visaNumber: 'IR-2026-1' }),
      field: 'visaNumber',
    },
  ];

  for (const c of GROUP_CASES) {
    it(`POST /groups refuses ${c.name}, naming ${c.field || 'the body'}, and writes nothing`, async () => {
      const { res, before, after } = await attempt(() =>
        p.api('POST', '/groups', { token: leader, body: c.body() }),
      );

      expectFieldProblem(res, c.field);
      expect(after).toEqual(before);
    });
  }

  it('POST /groups by an officer refuses a leader who is not a registered organizer, naming leaderCnic', async () => {
    const { res, before, after } = await attempt(() =>
      p.api('POST', '/groups', { token: officer, body: group({ leaderCnic: '4210100000001' }) }),
    );
    expectFieldProblem(res, 'leaderCnic');
    expect(after).toEqual(before);
  });

  it('POST /groups refuses a body over 256 KB with 413 and writes nothing', async () => {
    const { res, before, after } = await attempt(() =>
      p.api('POST', '/groups', { token: leader, body: group({ route: 'x'.repeat(257 * 1024) }) }),
    );
    expectProblem(res, 413);
    expect(after).toEqual(before);
  });

  const ORGANIZER_CASES: { name: string; body: Body; field: string }[] = [
    {
      name: 'a phone that is not a Pakistani mobile',
      body: { ...ORGANIZER, phone: '021-1234567' },
      field: 'phone',
    },
    { name: 'a name with digits', body: { ...ORGANIZER, name: 'Raza 110' }, field: 'name' },
    { name: 'no organization', body: { ...ORGANIZER, organization: '' }, field: 'organization' },
  ];
  for (const c of ORGANIZER_CASES) {
    it(`PUT /organizers/{cnic} refuses ${c.name}, naming ${c.field}, and writes nothing`, async () => {
      const { res, before, after } = await attempt(() =>
        p.api('PUT', '/organizers/4210166666661', { token: supervisor, body: c.body }),
      );
      expectFieldProblem(res, c.field);
      expect(after).toEqual(before);
    });
  }

  it.each([
    ['status=LOST', 'status'],
    ['leader=12345', 'leader'],
    ['status=PENDING&leader=4210155555551', 'leader'],
    ['limit=0', 'limit'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
  ])('GET /groups?%s is refused, naming %s', async (query, field) => {
    const { res, before, after } = await attempt(() => p.api('GET', `/groups?${query}`, { token: officer }));
    expectFieldProblem(res, field);
    expect(after).toEqual(before);
  });

  it('GET /reports/groups refuses an unknown state, naming state', async () => {
    const res = await p.api('GET', '/reports/groups?state=LOST', { token: officer });
    expectFieldProblem(res, 'state');
  });

  it('refuses to clear a group that is not overdue, or to reject an approved one, with 409 and writes nothing', async () => {
    const made = await call('POST', '/groups', leader, group());
    await call('POST', `/groups/${made.number}/approve`, officer);

    const clear = await attempt(() =>
      p.api('POST', `/groups/${made.number}/clear`, {
        token: supervisor,
        body: { reason: 'Nothing to clear.' },
      }),
    );
    const reject = await attempt(() =>
      p.api('POST', `/groups/${made.number}/reject`, { token: officer, body: { reason: 'Too late.' } }),
    );

    expectProblem(clear.res, 409);
    expect(clear.after).toEqual(clear.before);
    expectProblem(reject.res, 409);
    expect(reject.after).toEqual(reject.before);
  });

  it('answers 404 to an unknown or malformed group number and writes nothing', async () => {
    for (const no of ['ZG-2026-99999', 'ZG-26-1', 'BP-2026-000001']) {
      const { res, before, after } = await attempt(() => p.api('GET', `/groups/${no}`, { token: officer }));
      expectProblem(res, 404);
      expect(after).toEqual(before);
    }
  });
});
