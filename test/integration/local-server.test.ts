// The local stand-ins through the local server: what the dev issuer puts in a token, and what the console shows.
import { existsSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPassType } from '../../shared/domain/pass-types.ts';
import { type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
const logged: string[] = [];

beforeAll(async () => {
  p = await testPlatform({ log: (line) => logged.push(line) });
});
afterAll(() => p.close());

const login = (body: unknown) => p.api('POST', '/dev/login', { body });

describe('POST /dev/login', () => {
  it("binds an applicant to a CNIC as Cognito's custom:cnic, in its 13 digits", async () => {
    const res = await login({ role: 'applicant', sub: 'resident-1', cnic: '54101-1234567-3' });

    expect(res.status).toBe(200);
    expect(decodeJwt(res.json.token)).toMatchObject({
      sub: 'resident-1',
      'cognito:groups': ['applicant'],
      'custom:cnic': '5410112345673',
    });
  });

  it('gives an applicant without a CNIC no custom:cnic claim', async () => {
    const res = await login({ role: 'applicant', sub: 'resident-2' });

    expect(decodeJwt(res.json.token)).not.toHaveProperty('custom:cnic');
  });

  it('refuses a CNIC that is not one, naming the field', async () => {
    const res = await login({ role: 'applicant', sub: 'resident-3', cnic: '54101-1234567' });

    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ field: 'cnic', message: expect.stringMatching(/13 digits/) }]);
  });

  it.each(['fia-officer', 'fia-supervisor', 'moi-analyst'])('refuses a CNIC for a %s', async (role) => {
    const res = await login({ role, sub: 'staff-1', cnic: '5410112345673' });

    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ field: 'cnic', message: 'Only an applicant is bound to a CNIC.' }]);
  });

  it('refuses a CNIC for a checkpoint officer', async () => {
    const res = await login({
      role: 'checkpoint-officer',
      sub: 'fc-1',
      checkpoint: 'TFT',
      cnic: '5410112345673',
    });

    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ field: 'cnic', message: 'Only an applicant is bound to a CNIC.' }]);
  });
});

describe('the test platform', () => {
  it('gives the handlers the rahdari without its placeholder end date, so tests outlive it', () => {
    const rahdari = findPassType('RAHDARI', p.passTypes);

    expect(rahdari).toMatchObject({ code: 'RAHDARI', maxValidityDays: 365 });
    expect(rahdari?.effectiveUntil).toBeUndefined();
  });

  it('removes its key directory, which holds private keys, when closed', async () => {
    const other = await testPlatform();
    expect(existsSync(other.keyDir)).toBe(true);

    await other.close();

    expect(existsSync(other.keyDir)).toBe(false);
  });
});

describe("the local server's request log", () => {
  it('names the route, not the path, so a CNIC in the path never reaches the console', async () => {
    const officer = await p.login('fia-officer', 'officer-1');
    logged.length = 0;

    await p.api('GET', '/watchlist/54101-1234567-3', { token: officer });
    await p.api('GET', '/watchlist/5410112345673', { token: officer });

    expect(logged).toEqual([
      expect.stringMatching(/^GET \/watchlist\/\{cnic\} 404 \d+ms$/),
      expect.stringMatching(/^GET \/watchlist\/\{cnic\} 404 \d+ms$/),
    ]);
  });

  it('shows no path at all for a request that matches no route', async () => {
    logged.length = 0;

    await p.api('GET', '/watchlist/5410112345673/history');

    expect(logged).toEqual([expect.stringMatching(/^GET \(no route\) 404 \d+ms$/)]);
  });
});
