// Applicant accounts created at an FIA counter, end to end through the local server onto DynamoDB Local: the
// table-backed directory `npm start` uses in place of Cognito, and the audit item beside each account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnicSeries } from '../support/data.ts';
import { type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
let officer: string;
const freshCnic = cnicSeries('61', 1);

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.login('fia-officer', 'officer-3');
});
afterAll(() => p.close());

const dashed = (cnic: string) => `${cnic.slice(0, 5)}-${cnic.slice(5, 12)}-${cnic.slice(12)}`;
const create = (body: unknown, token = officer) => p.api('POST', '/accounts/applicants', { token, body });
const itemsOf = async (cnic: string) =>
  (await p.items())
    .filter((item) => item.PK === `ACCOUNT#${cnic}`)
    .sort((a, b) => String(a.SK).localeCompare(String(b.SK)));

describe('POST /accounts/applicants on the local stack', () => {
  it('stores the account under its CNIC with an audit item of who created it', async () => {
    const cnic = freshCnic();

    const res = await create({ cnic: dashed(cnic), name: ' Gul   Bibi ', email: 'gul.bibi@example.pk' });

    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      username: cnic,
      cnic: dashed(cnic),
      name: 'Gul Bibi',
      email: 'gul.bibi@example.pk',
    });
    const [account, audit, ...rest] = await itemsOf(cnic);
    expect(rest).toEqual([]);
    expect(account).toMatchObject({
      SK: 'ACCOUNT',
      kind: 'ACCOUNT',
      username: cnic,
      cnic,
      name: 'Gul Bibi',
      email: 'gul.bibi@example.pk',
    });
    expect(audit).toMatchObject({
      SK: expect.stringMatching(/^AUDIT#/),
      kind: 'AUDIT',
      action: 'ACCOUNT_CREATED',
      actor: { sub: 'officer-3', role: 'fia-officer' },
    });
  });

  it('answers 409 to a second account for the same CNIC, however it is written, and changes nothing', async () => {
    const cnic = freshCnic();
    await create({ cnic, name: 'Gul Bibi', email: 'gul.bibi@example.pk' });
    const before = await itemsOf(cnic);

    const again = await create(
      { cnic: dashed(cnic), name: 'Someone Else', email: 'someone@example.pk' },
      await p.login('fia-supervisor', 'supervisor-3'),
    );

    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.json.detail).toMatch(/^An account for this CNIC exists already/);
    expect(await itemsOf(cnic)).toEqual(before);
  });

  it('writes nothing for a body that tries to bind a checkpoint', async () => {
    const cnic = freshCnic();

    const res = await create({
      cnic,
      name: 'Gul Bibi',
      email: 'gul.bibi@example.pk',
      'custom:checkpoint': 'TFT',
    });

    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ field: 'custom:checkpoint', message: 'This field is not allowed.' }]);
    expect(await itemsOf(cnic)).toEqual([]);
  });

  it('writes nothing when an applicant asks', async () => {
    const cnic = freshCnic();
    const applicant = await p.login('applicant', `resident-${cnic}`, { cnic });

    const res = await create({ cnic, name: 'Gul Bibi', email: 'gul.bibi@example.pk' }, applicant);

    expect(res.status).toBe(403);
    expect(await itemsOf(cnic)).toEqual([]);
  });
});
