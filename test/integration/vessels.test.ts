// The boat register end to end on DynamoDB Local: register, verify offline, suspend, reinstate, renew, transfer,
// cancel, duplicates, and a failed write that leaves nothing behind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCredential } from '../../shared/credential.ts';
import type { PublicJwk } from '../../shared/keys.ts';
import { TrustState } from '../../shared/trust-state.ts';
import { karachiDay } from '../support/data.ts';
import { vesselBody } from '../support/fleet.ts';
import { type TestPlatform, testPlatform } from '../support/platform.ts';
import { auditTrail } from '../support/store-queries.ts';

let p: TestPlatform;
let gwadar: string;
let pasni: string;
let portless: string;
let fia: string;
let moi: string;
let gwadarPost: string;
let root: PublicJwk;
const today = karachiDay();

beforeAll(async () => {
  p = await testPlatform();
  gwadar = await p.login('fisheries-officer', 'fisheries-gwd-1', { port: 'GWD' });
  pasni = await p.login('fisheries-officer', 'fisheries-psn-1', { port: 'PSN' });
  portless = await p.login('fisheries-officer', 'fisheries-hq-1');
  fia = await p.login('fia-officer', 'officer-1');
  moi = await p.login('moi-analyst', 'analyst-1');
  gwadarPost = await p.login('checkpoint-officer', 'cg-gwadar-1', { checkpoint: 'GWD' });
  root = JSON.parse(readFileSync(join(p.keyDir, 'root.jwk'), 'utf8')) as PublicJwk;
});
afterAll(async () => {
  await p.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A checkpoint device's trust, started from a real GET /trust-bundle. */
async function deviceTrust(): Promise<TrustState> {
  const bundle = await p.api('GET', '/trust-bundle', { token: gwadarPost });
  expect(bundle.status).toBe(200);
  const started = await TrustState.fromFullBundle(bundle.text, root, nowSeconds());
  if (!started.ok) throw new Error(`bundle refused: ${started.detail}`);
  return started.state;
}

/** Moves a device's trust forward with the delta since its version, as the app does when it gets signal. */
async function refresh(state: TrustState): Promise<TrustState> {
  const delta = await p.api('GET', `/trust-bundle?since=${state.version}`, { token: gwadarPost });
  expect(delta.status).toBe(200);
  const moved = await state.apply(delta.text, nowSeconds());
  if (!moved.ok) throw new Error(`delta refused: ${moved.detail}`);
  return moved.state;
}

const verdictOf = async (qrText: string, trust: TrustState, checkpoint = 'GWD') =>
  (await verifyCredential(qrText, trust, { now: new Date(), kind: 'vr', checkpoint })).verdict;

async function register(body: Record<string, unknown>, token = gwadar) {
  return p.api('POST', '/vessels', { token, body });
}

describe('a boat from registration to cancellation', () => {
  let no: string;
  let first: { serial: string; qrText: string };
  let trust: TrustState;

  it('a Gwadar officer registers a boat and gets its official number and first certificate', async () => {
    const res = await register(vesselBody(today));
    expect(res.status).toBe(201);
    no = res.json.officialNumber;
    expect(no).toMatch(new RegExp(`^GWD-${today.slice(0, 4)}-00001$`));
    expect(res.headers.get('location')).toBe(`/vessels/${no}`);
    expect(res.json).toMatchObject({
      status: 'ACTIVE',
      name: 'Al-Noor 786',
      owner: { cnic: '52101-1234567-3' },
      certificate: { serial: `${no}/1`, revoked: false },
    });
    first = res.json.certificate;
    const trail = await auditTrail(p.platform.store, `VESSEL#${no}`);
    expect(trail.map((e) => e.action)).toEqual(['VESSEL_REGISTERED']);
  });

  it('its certificate verifies offline at a port and at the sea crossing, and not at a land crossing', async () => {
    trust = await deviceTrust();
    expect(await verdictOf(first.qrText, trust, 'GWD')).toBe('VALID');
    expect(await verdictOf(first.qrText, trust, 'JWN')).toBe('VALID');
    expect(await verdictOf(first.qrText, trust, 'TFT')).toBe('NOT_VALID_HERE');
  });

  it('suspension revokes it: the next delta makes the certificate REVOKED', async () => {
    const res = await p.api('POST', `/vessels/${no}/suspend`, {
      token: gwadar,
      body: { reason: 'Carried passengers to Oman.' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      status: 'SUSPENDED',
      certificate: { serial: first.serial, revoked: true },
    });
    trust = await refresh(trust);
    expect(await verdictOf(first.qrText, trust)).toBe('REVOKED');
  });

  it('a suspended boat cannot be suspended again, renewed or transferred', async () => {
    const again = await p.api('POST', `/vessels/${no}/suspend`, {
      token: gwadar,
      body: { reason: 'Twice.' },
    });
    expect(again.status).toBe(409);
    const renew = await p.api('POST', `/vessels/${no}/renew`, {
      token: gwadar,
      body: { licenceValidUntil: karachiDay(500) },
    });
    expect(renew.status).toBe(409);
  });

  it('reinstatement issues a new certificate that is VALID while the old one stays REVOKED', async () => {
    const res = await p.api('POST', `/vessels/${no}/reinstate`, {
      token: gwadar,
      body: { note: 'Owner paid the fine.' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ACTIVE', certificate: { serial: `${no}/2`, revoked: false } });
    trust = await refresh(trust);
    expect(await verdictOf(res.json.certificate.qrText, trust)).toBe('VALID');
    expect(await verdictOf(first.qrText, trust)).toBe('REVOKED');
  });

  it('renewal moves the licence on and replaces the certificate, revoking the one before', async () => {
    const before = (await p.api('GET', `/vessels/${no}`, { token: gwadar })).json;
    const until = karachiDay(700);
    const res = await p.api('POST', `/vessels/${no}/renew`, {
      token: gwadar,
      body: { licenceValidUntil: until },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ licenceValidUntil: until, certificate: { serial: `${no}/3` } });
    trust = await refresh(trust);
    expect(await verdictOf(before.certificate.qrText, trust)).toBe('REVOKED');
    expect(await verdictOf(res.json.certificate.qrText, trust)).toBe('VALID');
  });

  it('a transfer gives the boat a new owner and certificate; the history keeps the old owner', async () => {
    const newOwner = {
      name: 'Karim Bakhsh Baloch',
      fatherName: 'Dad Muhammad',
      cnic: '52102-7654321-5',
      address: 'Ward 4, Shambay Ismail, Gwadar',
    };
    const res = await p.api('POST', `/vessels/${no}/transfer`, { token: gwadar, body: { owner: newOwner } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      owner: { cnic: '52102-7654321-5' },
      certificate: { serial: `${no}/4` },
    });
    trust = await refresh(trust);
    expect(await verdictOf(res.json.certificate.qrText, trust)).toBe('VALID');
    const history = await p.api('GET', `/vessels/${no}/history`, { token: fia });
    expect(history.status).toBe(200);
    expect(history.json.items.map((e: { action: string }) => e.action)).toEqual([
      'VESSEL_REGISTERED',
      'VESSEL_SUSPENDED',
      'VESSEL_REINSTATED',
      'VESSEL_RENEWED',
      'VESSEL_TRANSFERRED',
    ]);
    expect(history.json.items[4].detail.previousOwner).toMatchObject({ cnic: '5210112345673' });
    const byOld = await p.api('GET', '/vessels?ownerCnic=52101-1234567-3', { token: fia });
    expect(byOld.json.items).toEqual([]);
    const byNew = await p.api('GET', '/vessels?ownerCnic=5210276543215', { token: fia });
    expect(byNew.json.items.map((v: { officialNumber: string }) => v.officialNumber)).toEqual([no]);
  });

  it('another port’s officer may read the boat but not change it', async () => {
    expect((await p.api('GET', `/vessels/${no}`, { token: pasni })).status).toBe(200);
    const res = await p.api('POST', `/vessels/${no}/suspend`, {
      token: pasni,
      body: { reason: 'Not mine.' },
    });
    expect(res.status).toBe(403);
    expect(res.json.detail).toContain('PSN');
    const unbound = await p.api('POST', `/vessels/${no}/cancel`, {
      token: portless,
      body: { reason: 'No port.' },
    });
    expect(unbound.status).toBe(403);
  });

  it('cancellation revokes the certificate and frees the name for the same owner', async () => {
    const current = (await p.api('GET', `/vessels/${no}`, { token: gwadar })).json;
    const res = await p.api('POST', `/vessels/${no}/cancel`, {
      token: gwadar,
      body: { reason: 'Hull broken up.' },
    });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('CANCELLED');
    trust = await refresh(trust);
    expect(await verdictOf(current.certificate.qrText, trust)).toBe('REVOKED');
    const again = await p.api('POST', `/vessels/${no}/reinstate`, { token: gwadar, body: {} });
    expect(again.status).toBe(409);
    const owner = current.owner;
    const reused = await register(vesselBody(today, { owner: { ...owner, cnic: '5210276543215' } }));
    expect(reused.status).toBe(201);
  });
});

describe('duplicates', () => {
  it('the same port, name and owner is a 409 naming the boat already registered', async () => {
    const owner = {
      name: 'Gul Muhammad',
      fatherName: 'Noor Ahmed',
      cnic: '52104-1111111-1',
      address: 'Ward 2, Pasni',
    };
    const first = await register(vesselBody(today, { homePort: 'PSN', name: 'Sea Star', owner }), pasni);
    expect(first.status).toBe(201);
    const before = (await p.items()).length;
    const second = await register(vesselBody(today, { homePort: 'PSN', name: 'SEA-STAR', owner }), pasni);
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toBe('application/problem+json');
    expect(second.json.detail).toContain(first.json.officialNumber);
    expect((await p.items()).length).toBe(before);
  });

  it('a previous registration another boat took over is a 409 naming that boat', async () => {
    const previousRegistration = 'KFH-2019-00077';
    const first = await register(
      vesselBody(today, { name: 'Madina', previousRegistration, owner: { ...ownerOf('52101-2222222-3') } }),
    );
    expect(first.status).toBe(201);
    const second = await register(
      vesselBody(today, {
        name: 'Madina Star',
        previousRegistration,
        owner: { ...ownerOf('52101-3333333-5') },
      }),
    );
    expect(second.status).toBe(409);
    expect(second.json.detail).toContain(first.json.officialNumber);
  });

  it('a previous registration still active on this register is a 409', async () => {
    const active = await register(vesselBody(today, { name: 'Old Hull', owner: ownerOf('52101-4444444-7') }));
    const res = await register(
      vesselBody(today, {
        name: 'New Hull',
        previousRegistration: active.json.officialNumber,
        owner: ownerOf('52101-5555555-9'),
      }),
    );
    expect(res.status).toBe(409);
    expect(res.json.detail).toContain('still on this register');
  });
});

describe('registration refused', () => {
  it('an officer registers only at their own port', async () => {
    const res = await register(vesselBody(today, { homePort: 'ORM', owner: ownerOf('52104-6666666-1') }));
    expect(res.status).toBe(403);
  });

  it('bad fields answer 400 naming each one and write nothing', async () => {
    const before = (await p.items()).length;
    const res = await register(
      vesselBody(today, { lengthOverallM: 600, maxCrew: 0, type: 'SUBMARINE', owner: ownerOf('1234') }),
    );
    expect(res.status).toBe(400);
    const fields = res.json.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['lengthOverallM', 'maxCrew', 'type', 'owner/cnic']));
    expect((await p.items()).length).toBe(before);
  });
});

describe('bad input on every field writes nothing', () => {
  const base = () => vesselBody(today, { name: 'Untouched', owner: ownerOf('52101-9999999-1') });
  const owner = (field: string, value: unknown) => ({
    owner: { ...ownerOf('52101-9999999-1'), [field]: value },
  });
  const cases: [string, Record<string, unknown>, string][] = [
    ['name', { name: 'Al-Madina ۲' }, 'name'],
    ['type', { type: 'SUBMARINE' }, 'type'],
    ['homePort', { homePort: 'TFT' }, 'homePort'],
    ['owner name', owner('name', '12345'), 'owner/name'],
    ['owner father', owner('fatherName', ''), 'owner/fatherName'],
    ['owner CNIC', owner('cnic', '52101-123'), 'owner/cnic'],
    ['owner address', owner('address', '12'), 'owner/address'],
    ['length', { lengthOverallM: 61 }, 'lengthOverallM'],
    ['tonnage', { grossTonnageGt: 0.1 }, 'grossTonnageGt'],
    ['engine make', { engine: { make: '!!', powerHp: 40 } }, 'engine/make'],
    ['engine power', { engine: { make: 'Yamaha', powerHp: 0 } }, 'engine/powerHp'],
    ['no engine on a launch', { engine: undefined }, 'engine'],
    ['hull', { hullMaterial: 'PAPER' }, 'hullMaterial'],
    ['gear', { fishingGear: ['DYNAMITE'] }, 'fishingGear/0'],
    ['crew', { maxCrew: 30 }, 'maxCrew'],
    ['licence start', { licenceValidFrom: karachiDay(-1) }, 'licenceValidFrom'],
    ['licence end', { licenceValidUntil: today }, 'licenceValidUntil'],
    ['previous name', { previousName: 'x' }, 'previousName'],
    ['previous registration', { previousRegistration: 'TFT-2020-00001' }, 'previousRegistration'],
    ['an unknown field', { colour: 'blue' }, 'colour'],
  ];

  it.each(cases)('refuses a bad %s with 400 naming it', async (_what, change, field) => {
    const before = (await p.items()).length;
    const body = { ...base(), ...change };
    if ('engine' in change && change.engine === undefined) delete body.engine;

    const res = await register(body);

    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await p.items()).length).toBe(before);
  });

  it('refuses bad lifecycle bodies with 400 and changes nothing', async () => {
    const boat = await register(vesselBody(today, { name: 'Lifecycle', owner: ownerOf('52101-9999998-3') }));
    const no = boat.json.officialNumber;
    const before = await p.items();
    const bad: [string, unknown][] = [
      ['renew', { licenceValidUntil: today }],
      ['renew', { licenceValidUntil: '2026-02-30' }],
      ['suspend', { reason: '' }],
      ['suspend', {}],
      ['cancel', { reason: 'x', extra: 1 }],
      ['reinstate', { note: 'x' }],
      ['transfer', { owner: { ...ownerOf('1') } }],
      ['transfer', { owner: ownerOf('52101-9999998-3') }],
    ];
    for (const [action, body] of bad) {
      const res = await p.api('POST', `/vessels/${no}/${action}`, { token: gwadar, body });
      expect(res.status, `${action} ${JSON.stringify(body)}`).toBe(400);
    }
    expect(await p.items()).toEqual(before);
  });
});

describe('the watchlist', () => {
  const listed = '52101-7777777-1';
  let no: string;

  beforeAll(async () => {
    const supervisor = await p.login('fia-supervisor', 'supervisor-1');
    const put = await p.api('PUT', `/watchlist/${listed}`, {
      token: supervisor,
      body: { reason: 'Boat seen landing migrants at Jask.', category: 'trafficking' },
    });
    expect(put.status).toBe(201);
    const res = await register(vesselBody(today, { name: 'Watched', owner: ownerOf(listed) }));
    expect(res.status).toBe(201);
    no = res.json.officialNumber;
  });

  it('does not block registration and is not shown to Fisheries', async () => {
    const res = await p.api('GET', `/vessels/${no}`, { token: gwadar });
    expect(res.status).toBe(200);
    expect(res.json.watchlistHit).toBeUndefined();
    const history = await p.api('GET', `/vessels/${no}/history`, { token: gwadar });
    expect(JSON.stringify(history.json)).not.toContain('trafficking');
  });

  it('is shown to the MoI, and the audit records who saw it', async () => {
    const res = await p.api('GET', `/vessels/${no}`, { token: moi });
    expect(res.json.watchlistHit).toMatchObject({ category: 'trafficking' });
    const trail = await auditTrail(p.platform.store, `VESSEL#${no}`);
    expect(trail.find((e) => e.action === 'WATCHLIST_HIT_SHOWN')).toMatchObject({
      actor: { sub: 'analyst-1', role: 'moi-analyst' },
    });
  });

  it('shows FIA a hit on an owner listed after the boat was registered', async () => {
    const later = '52101-7777778-3';
    const res = await register(vesselBody(today, { name: 'Listed Later', owner: ownerOf(later) }));
    expect(
      (await p.api('GET', `/vessels/${res.json.officialNumber}`, { token: fia })).json.watchlistHit,
    ).toBeUndefined();
    const supervisor = await p.login('fia-supervisor', 'supervisor-1');
    await p.api('PUT', `/watchlist/${later}`, {
      token: supervisor,
      body: { reason: 'Seen at Jask.', category: 'smuggling' },
    });

    const after = await p.api('GET', `/vessels/${res.json.officialNumber}`, { token: fia });

    expect(after.json.watchlistHit).toMatchObject({ category: 'smuggling' });
  });
});

describe('listing', () => {
  it('a port’s boats page by page, from the port index', async () => {
    const seen: string[] = [];
    let next: string | undefined = '/vessels?port=gwd&limit=2';
    while (next) {
      const page = await p.api('GET', next, { token: fia });
      expect(page.status).toBe(200);
      seen.push(...page.json.items.map((v: { officialNumber: string }) => v.officialNumber));
      next = page.json.next;
    }
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.every((n) => n.startsWith('GWD-'))).toBe(true);
    expect([...seen].sort()).toEqual(seen);
  });

  it('a Fisheries officer without a filter lists their own port; FIA must name one', async () => {
    const own = await p.api('GET', '/vessels', { token: pasni });
    expect(own.status).toBe(200);
    expect(own.json.port).toBe('PSN');
    const fiaNone = await p.api('GET', '/vessels', { token: fia });
    expect(fiaNone.status).toBe(400);
  });

  it('a status filter and a tampered cursor', async () => {
    const cancelled = await p.api('GET', '/vessels?port=GWD&status=cancelled', { token: moi });
    expect(cancelled.json.items.every((v: { status: string }) => v.status === 'CANCELLED')).toBe(true);
    expect(cancelled.json.items.length).toBe(1);
    const bad = await p.api('GET', '/vessels?port=GWD&cursor=e30', { token: moi });
    expect(bad.status).toBe(400);
  });
});

describe('certificate images', () => {
  it('serves the QR as SVG and PNG and the printable A5 page in both languages', async () => {
    const res = await register(vesselBody(today, { name: 'Printed', owner: ownerOf('52101-8888888-3') }));
    const no = res.json.officialNumber;
    const svg = await p.api('GET', `/vessels/${no}/qr.svg`, { token: gwadar });
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.text).toContain('<svg');
    const png = await fetch(`${p.url}/vessels/${no}/qr.png`, {
      headers: { authorization: `Bearer ${gwadar}` },
    });
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const page = await p.api('GET', `/vessels/${no}/certificate`, { token: fia });
    expect(page.text).toContain('size: A5');
    expect(page.text).toContain(`${no}/1`);
    expect(page.text).toContain('کشتی کا نام');
  });
});

function ownerOf(cnic: string) {
  return {
    name: 'Abdul Ghafoor Sanjrani',
    fatherName: 'Haji Muhammad Hassan',
    cnic,
    address: 'Mulla Band, Gwadar',
  };
}
