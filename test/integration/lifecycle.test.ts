// The border-pass lifecycle end to end on DynamoDB Local: apply, approve, fetch, verify offline, revoke.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
let officer: string;
let supervisor: string;
let checkpoint: string;
let applicant: string;
const work = mkdtempSync(join(tmpdir(), 'rahdari-lifecycle-'));

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.login('fia-officer', 'officer-1');
  supervisor = await p.login('fia-supervisor', 'supervisor-1');
  checkpoint = await p.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
  applicant = await p.login('applicant', 'resident-1', { cnic: '54101-1234567-3' });
});
afterAll(async () => {
  await p.close();
  rmSync(work, { recursive: true, force: true });
});

function verifyWithCli(input: string, bundle: string): { verdict: string; warnings: string[] } {
  const bundleFile = join(work, `bundle-${Math.random().toString(36).slice(2)}.jwt`);
  writeFileSync(bundleFile, bundle);
  try {
    const out = execFileSync(
      process.execPath,
      [
        'cli/rahdari.ts',
        'verify',
        input,
        '--trust',
        bundleFile,
        '--root',
        join(p.keyDir, 'root.jwk'),
        '--checkpoint',
        'TFT',
        '--json',
      ],
      { encoding: 'utf8' },
    );
    return JSON.parse(out);
  } catch (error) {
    const out = (error as { stdout?: string }).stdout;
    if (!out) throw error;
    return JSON.parse(out);
  }
}

describe('a border pass from application to revocation', () => {
  let applicationId: string;
  let passNumber: string;

  it('an applicant applies and sees the application pending', async () => {
    const res = await p.api('POST', '/applications', {
      token: applicant,
      body: applicationFor('5410112345673'),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/applications/${res.json.id}`);
    applicationId = res.json.id;
    const seen = await p.api('GET', `/applications/${applicationId}`, { token: applicant });
    expect(seen.json.status).toBe('PENDING');
  });

  it('the application is in the officer queue', async () => {
    const res = await p.api('GET', '/applications?status=PENDING', { token: officer });
    expect(res.status).toBe(200);
    expect(res.json.items.map((a: { id: string }) => a.id)).toContain(applicationId);
  });

  it('an officer approves it and the pass is issued with the next number', async () => {
    const res = await p.api('POST', `/applications/${applicationId}/approve`, { token: officer });
    expect(res.status).toBe(201);
    passNumber = res.json.pass.number;
    expect(passNumber).toMatch(/^BP-\d{4}-000001$/);
    expect(res.headers.get('location')).toBe(`/passes/${passNumber}`);
  });

  it('approving again returns the same pass', async () => {
    const res = await p.api('POST', `/applications/${applicationId}/approve`, { token: officer });
    expect(res.status).toBe(200);
    expect(res.json.pass.number).toBe(passNumber);
  });

  it('the holder fetches the pass, its QR images and its card', async () => {
    const pass = await p.api('GET', `/passes/${passNumber}`, { token: applicant });
    expect(pass.status).toBe(200);
    expect(pass.json.qrText).toMatch(/^rhd:\/\d+$/);
    const png = await fetch(`${p.url}/passes/${passNumber}/qr.png`, {
      headers: { authorization: `Bearer ${applicant}` },
    });
    expect(png.headers.get('content-type')).toBe('image/png');
    writeFileSync(join(work, 'pass.png'), Buffer.from(await png.arrayBuffer()));
    const etag = png.headers.get('etag') as string;
    const again = await p.api('GET', `/passes/${passNumber}/qr.png`, {
      token: applicant,
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    const svg = await p.api('GET', `/passes/${passNumber}/qr.svg`, { token: applicant });
    expect(svg.text).toMatch(/^<svg/);
    const card = await p.api('GET', `/passes/${passNumber}/card`, { token: applicant });
    expect(card.text).toContain('Abdul Ghafoor Sanjrani');
    expect(card.text).toContain('54101-1234567-3');
    expect(card.text).toContain('والد کا نام');
  });

  it('the QR PNG verifies offline with the CLI against the trust bundle', async () => {
    const bundle = await p.api('GET', '/trust-bundle', { token: checkpoint });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('application/jwt');
    expect(verifyWithCli(join(work, 'pass.png'), bundle.text)).toMatchObject({
      verdict: 'VALID',
      warnings: [],
    });
  });

  it('a supervisor revokes it and the next bundle makes it REVOKED', async () => {
    const before = await p.api('GET', '/trust-bundle', { token: checkpoint });
    const version = JSON.parse(
      Buffer.from(before.text.split('.')[1] as string, 'base64url').toString(),
    ).version;
    const res = await p.api('POST', `/passes/${passNumber}/revoke`, {
      token: supervisor,
      body: { reason: 'reported lost' },
    });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('REVOKED');
    const full = await p.api('GET', '/trust-bundle', { token: checkpoint });
    expect(verifyWithCli(join(work, 'pass.png'), full.text).verdict).toBe('REVOKED');
    const delta = await p.api('GET', `/trust-bundle?since=${version}`, { token: checkpoint });
    const payload = JSON.parse(Buffer.from(delta.text.split('.')[1] as string, 'base64url').toString());
    expect(payload).toMatchObject({ since: version, version: version + 1, revoked: [passNumber] });
  });

  it('revoking twice is a conflict', async () => {
    const res = await p.api('POST', `/passes/${passNumber}/revoke`, {
      token: supervisor,
      body: { reason: 'again' },
    });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('every state change left an audit item', async () => {
    const actions = (await p.items()).filter((i) => i.kind === 'AUDIT').map((i) => i.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'APPLICATION_SUBMITTED',
        'APPLICATION_APPROVED',
        'PASS_ISSUED',
        'PASS_REVOKED',
      ]),
    );
  });
});

describe('the watchlist', () => {
  it('an application from a listed CNIC needs a supervisor, and the applicant cannot tell', async () => {
    const listed = '5220198765432';
    expect(
      (
        await p.api('PUT', `/watchlist/${listed}`, {
          token: supervisor,
          body: { reason: 'known smuggler', category: 'smuggling' },
        })
      ).status,
    ).toBe(201);
    const resident = await p.login('applicant', 'resident-listed', { cnic: listed });
    const res = await p.api('POST', '/applications', {
      token: resident,
      body: applicationFor(listed, { district: 'KECH', crossingPoints: ['MND'] }),
    });
    expect(res.status).toBe(201);
    expect(res.json.status).toBe('PENDING');
    expect(res.json.reviewReason).toBeUndefined();
    const asOfficer = await p.api('GET', `/applications/${res.json.id}`, { token: officer });
    expect(asOfficer.json).toMatchObject({ status: 'NEEDS_REVIEW', reviewReason: 'watchlist: smuggling' });
    expect((await p.api('POST', `/applications/${res.json.id}/approve`, { token: officer })).status).toBe(
      403,
    );
    expect((await p.api('POST', `/applications/${res.json.id}/approve`, { token: supervisor })).status).toBe(
      201,
    );
  });

  it('a CNIC listed after it applied needs a supervisor to approve', async () => {
    const cnic = '5220112345679';
    const created = await p.api('POST', '/applications', {
      token: officer,
      body: applicationFor(cnic, { district: 'KECH', crossingPoints: ['MND'] }),
    });
    expect(created.json.status).toBe('PENDING');
    await p.api('PUT', `/watchlist/${cnic}`, {
      token: supervisor,
      body: { reason: 'reported crossing with contraband', category: 'smuggling' },
    });

    const byOfficer = await p.api('POST', `/applications/${created.json.id}/approve`, { token: officer });
    const bySupervisor = await p.api('POST', `/applications/${created.json.id}/approve`, {
      token: supervisor,
    });

    expect(byOfficer.status).toBe(403);
    expect(byOfficer.json.detail).toMatch(/needs review by an FIA supervisor/);
    expect(bySupervisor.status).toBe(201);
  });

  it('concurrent listings of one CNIC add it once and record the rest as changes', async () => {
    const cnic = '5230198765431';
    const supervisors = await Promise.all(
      Array.from({ length: 6 }, (_, i) => p.login('fia-supervisor', `supervisor-${i + 10}`)),
    );

    const results = await Promise.all(
      supervisors.map((token) =>
        p.api('PUT', `/watchlist/${cnic}`, {
          token,
          body: { reason: 'known smuggler', category: 'smuggling' },
        }),
      ),
    );

    expect(results.map((r) => r.status).sort((a, b) => a - b)).toEqual([...Array(5).fill(200), 201]);
    const added = results.find((r) => r.status === 201)?.json;
    for (const changed of results.filter((r) => r.status === 200)) {
      expect(changed.json).toMatchObject({ addedBy: added.addedBy, addedAt: added.addedAt });
    }
    const stored = await p.api('GET', `/watchlist/${cnic}`, { token: officer });
    expect(stored.json).toMatchObject({ addedBy: added.addedBy, addedAt: added.addedAt });
    const actions = (await p.items())
      .filter((i) => i.kind === 'AUDIT' && i.entity === `WATCH#${cnic}`)
      .map((i) => i.action);
    expect(actions.sort()).toEqual(['WATCHLIST_ADDED', ...Array(5).fill('WATCHLIST_UPDATED')]);
  });

  it('officers read the watchlist; only supervisors change it', async () => {
    const cnic = '54101-7654321-1';
    expect(
      (
        await p.api('PUT', `/watchlist/${cnic}`, {
          token: officer,
          body: { reason: 'x reason', category: 'other' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await p.api('PUT', `/watchlist/${cnic}`, {
          token: supervisor,
          body: { reason: 'blacklisted', category: 'blacklisted' },
        })
      ).status,
    ).toBe(201);
    expect((await p.api('GET', `/watchlist/${cnic}`, { token: officer })).json).toMatchObject({
      cnic: '5410176543211',
      category: 'blacklisted',
    });
    expect((await p.api('DELETE', `/watchlist/${cnic}`, { token: supervisor })).status).toBe(204);
    expect((await p.api('GET', `/watchlist/${cnic}`, { token: officer })).status).toBe(404);
  });
});

describe('concurrent approvals', () => {
  it('20 approvals at once make exactly one pass and one audit trail', async () => {
    const created = await p.api('POST', '/applications', {
      token: officer,
      body: applicationFor('5230112345671', { district: 'PANJGUR', crossingPoints: ['CDG'] }),
    });
    const id = created.json.id;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => p.api('POST', `/applications/${id}/approve`, { token: officer })),
    );
    expect(results.map((r) => r.status).sort((a, b) => a - b)).toEqual([...Array(19).fill(200), 201]);
    const numbers = new Set(results.map((r) => r.json.pass.number));
    expect(numbers.size).toBe(1);
    const items = await p.items();
    const passes = items.filter((i) => i.kind === 'PASS' && i.applicationId === id);
    expect(passes).toHaveLength(1);
    const audit = items.filter((i) => i.kind === 'AUDIT' && i.entity === `APP#${id}`).map((i) => i.action);
    expect(audit.sort()).toEqual(['APPLICATION_APPROVED', 'APPLICATION_SUBMITTED']);
  });
});

describe('one open application per CNIC', () => {
  const cnic = '5210112345675';
  const body = () => applicationFor(cnic, { district: 'GWADAR', crossingPoints: ['GBD'] });
  const stored = async () =>
    (await p.items()).filter((i) => i.kind === 'APP' && i.cnic === cnic).map((i) => i.id as string);

  it('of 10 concurrent applications for one CNIC, exactly one is stored', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => p.api('POST', '/applications', { token: officer, body: body() })),
    );

    expect(results.map((r) => r.status).sort((a, b) => a - b)).toEqual([201, ...Array(9).fill(409)]);
    for (const refused of results.filter((r) => r.status === 409)) {
      expect(refused.json.detail).toBe('An application for this CNIC is already waiting for a decision.');
    }
    const created = results.find((r) => r.status === 201);
    expect(await stored()).toEqual([created?.json.id]);
  });

  it('after a rejection the CNIC may apply again', async () => {
    const [open] = await stored();
    const rejected = await p.api('POST', `/applications/${open}/reject`, {
      token: officer,
      body: { reason: 'documents do not match' },
    });
    expect(rejected.status).toBe(200);

    const again = await p.api('POST', '/applications', { token: officer, body: body() });

    expect(again.status).toBe(201);
    expect(await stored()).toHaveLength(2);
  });

  it('after an approval the active pass refuses a second of its type until revoked, and while one is open a second is refused', async () => {
    const pending = (await p.api('GET', '/applications?status=PENDING&limit=100', { token: officer })).json
      .items as { id: string; cnic: string }[];
    const open = pending.find((a) => a.cnic === '52101-1234567-5');
    expect((await p.api('POST', '/applications', { token: officer, body: body() })).status).toBe(409);

    const approved = await p.api('POST', `/applications/${open?.id}/approve`, { token: officer });
    expect(approved.status).toBe(201);

    const second = await p.api('POST', '/applications', { token: officer, body: body() });
    expect(second.status).toBe(409);
    expect(second.json.activePass).toBe(approved.json.pass.number);
    const revoked = await p.api('POST', `/passes/${approved.json.pass.number}/revoke`, {
      token: supervisor,
      body: { reason: 'reported lost' },
    });
    expect(revoked.status).toBe(200);
    expect((await p.api('POST', '/applications', { token: officer, body: body() })).status).toBe(201);
    const guards = (await p.items()).filter((i) => i.PK === `OPEN#${cnic}`);
    expect(guards).toHaveLength(1);
  });
});
