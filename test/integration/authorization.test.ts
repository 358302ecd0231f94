// Who may call what: every route × every role, no token and bad tokens, end to end through the local server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, generateKeyPair, importPKCS8, type JWTPayload, SignJWT } from 'jose';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_GROUPS } from '../../functions/routes.ts';
import { DEV_AUDIENCE } from '../../local/dev-issuer.ts';
import { cnicSeries, karachiDay } from '../support/data.ts';
import { vesselBody } from '../support/fleet.ts';
import { generatePilgrims, groupBody, ORGANIZER } from '../support/pilgrims.ts';
import { applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

type RouteKey = (typeof ROUTE_GROUPS)[keyof typeof ROUTE_GROUPS]['routes'][number];

/**
 * The columns of the policy. `own` is the applicant whose application or pass it is (for an application not
 * yet made, the applicant whose CNIC it names), `applicant` any other applicant; a route about no one's record
 * has no `own` column (—). Every applicant account is bound to its own CNIC.
 */
const CALLERS = [
  'own',
  'applicant',
  'fia-officer',
  'fia-supervisor',
  'fisheries-officer',
  'checkpoint-officer',
  'moi-analyst',
  'no token',
  'bad token',
] as const;
type Caller = (typeof CALLERS)[number];

/** The state an application (or a group) must be in before the call, where the answer depends on it. */
type Subject = 'PENDING' | 'NEEDS_REVIEW';

interface Rule {
  route: RouteKey;
  on?: Subject;
  expected: Partial<Record<Caller, number>>;
}

/** One row of the grid: the answer for each caller, in the order of CALLERS; '—' where a column does not apply. */
function rule(route: RouteKey, on: Subject | undefined, ...statuses: (number | '—')[]): Rule {
  const expected: Partial<Record<Caller, number>> = {};
  CALLERS.forEach((caller, i) => {
    const status = statuses[i];
    if (typeof status === 'number') expected[caller] = status;
  });
  return { route, ...(on ? { on } : {}), expected };
}

// Another applicant's application or pass answers 404, as a missing one does: 403 would confirm it exists.
// biome-ignore format: the policy reads as a grid
const POLICY: readonly Rule[] = [
  //                                                     own  applicant fia-off fia-sup fish chkpt moi  none bad
  rule('POST /applications', undefined,                   201, 403,      201,    403,    403, 403,  403, 401, 401),
  rule('GET /applications', undefined,                    '—', 403,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /applications/{id}', undefined,               200, 404,      200,    200,    403, 403,  403, 401, 401),
  rule('POST /applications/{id}/approve', 'PENDING',      403, 403,      201,    201,    403, 403,  403, 401, 401),
  rule('POST /applications/{id}/approve', 'NEEDS_REVIEW', 403, 403,      403,    201,    403, 403,  403, 401, 401),
  rule('POST /applications/{id}/reject', 'PENDING',       403, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('POST /applications/{id}/reject', 'NEEDS_REVIEW',  403, 403,      403,    200,    403, 403,  403, 401, 401),
  rule('GET /passes/{no}', undefined,                     200, 404,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /passes/{no}/qr.svg', undefined,              200, 404,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /passes/{no}/qr.png', undefined,              200, 404,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /passes/{no}/card', undefined,                200, 404,      200,    200,    403, 403,  403, 401, 401),
  rule('POST /passes/{no}/revoke', undefined,             403, 403,      403,    200,    403, 403,  403, 401, 401),
  rule('GET /watchlist/{cnic}', undefined,                '—', 403,      200,    200,    403, 403,  403, 401, 401),
  rule('PUT /watchlist/{cnic}', undefined,                '—', 403,      403,    201,    403, 403,  403, 401, 401),
  rule('DELETE /watchlist/{cnic}', undefined,             '—', 403,      403,    204,    403, 403,  403, 401, 401),
  rule('GET /.well-known/jwks.json', undefined,           '—', 200,      200,    200,    200, 200,  200, 200, 200),
  rule('GET /trust-bundle', undefined,                    '—', 403,      403,    403,    403, 200,  403, 401, 401),
  rule('GET /health', undefined,                          '—', 200,      200,    200,    200, 200,  200, 200, 200),
  rule('POST /accounts/applicants', undefined,            '—', 403,      201,    201,    403, 403,  403, 401, 401),
  // Boats: the fisheries officer is bound to GWD, where each case's boat is registered.
  rule('POST /vessels', undefined,                        '—', 403,      403,    403,    201, 403,  403, 401, 401),
  rule('GET /vessels', undefined,                         '—', 403,      200,    200,    200, 403,  200, 401, 401),
  rule('GET /vessels/{no}', undefined,                    '—', 403,      200,    200,    200, 403,  200, 401, 401),
  rule('GET /vessels/{no}/qr.svg', undefined,             '—', 403,      200,    200,    200, 403,  200, 401, 401),
  rule('GET /vessels/{no}/qr.png', undefined,             '—', 403,      200,    200,    200, 403,  200, 401, 401),
  rule('GET /vessels/{no}/certificate', undefined,        '—', 403,      200,    200,    200, 403,  200, 401, 401),
  rule('GET /vessels/{no}/history', undefined,            '—', 403,      200,    200,    200, 403,  403, 401, 401),
  rule('POST /vessels/{no}/suspend', undefined,           '—', 403,      403,    403,    200, 403,  403, 401, 401),
  rule('POST /vessels/{no}/cancel', undefined,            '—', 403,      403,    403,    200, 403,  403, 401, 401),
  rule('POST /vessels/{no}/renew', undefined,             '—', 403,      403,    403,    200, 403,  403, 401, 401),
  rule('POST /vessels/{no}/reinstate', undefined,         '—', 403,      403,    403,    200, 403,  403, 401, 401),
  rule('POST /vessels/{no}/transfer', undefined,          '—', 403,      403,    403,    200, 403,  403, 401, 401),
  // Crossings: the checkpoint officer is bound to TFT, where each case's crossing is recorded.
  rule('POST /crossings', undefined,                      '—', 403,      403,    403,    403, 200,  403, 401, 401),
  rule('GET /crossings', undefined,                       '—', 403,      200,    200,    403, 403,  200, 401, 401),
  // The Ministry feed: its state for FIA supervisors and the Ministry, redrive for FIA supervisors; its public key
  // for any receiver.
  rule('GET /feed/status', undefined,                     '—', 403,      403,    200,    403, 403,  200, 401, 401),
  rule('POST /feed/dead/{id}/redrive', undefined,         '—', 403,      403,    202,    403, 403,  403, 401, 401),
  rule('GET /feed/jwks.json', undefined,                  '—', 200,      200,    200,    200, 200,  200, 200, 200),
  // Reports: the Ministry's analysts and FIA.
  rule('GET /reports/crossings', undefined,               '—', 403,      200,    200,    403, 403,  200, 401, 401),
  rule('GET /reports/anomalies', undefined,               '—', 403,      200,    200,    403, 403,  200, 401, 401),
  rule('GET /reports/overstays', undefined,               '—', 403,      200,    200,    403, 403,  200, 401, 401),
  rule('GET /reports/vessels-at-sea', undefined,          '—', 403,      200,    200,    403, 403,  200, 401, 401),
  // Pilgrim groups: `own` is the group's leader, an applicant account bound to a registered organizer's CNIC.
  rule('PUT /organizers/{cnic}', undefined,               '—', 403,      403,    201,    403, 403,  403, 401, 401),
  rule('GET /organizers/{cnic}', undefined,               200, 404,      200,    200,    403, 403,  200, 401, 401),
  rule('POST /groups', undefined,                         201, 403,      201,    403,    403, 403,  403, 401, 401),
  rule('GET /groups', undefined,                          '—', 200,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /groups/{no}', undefined,                     200, 404,      200,    200,    403, 403,  200, 401, 401),
  rule('POST /groups/{no}/members', undefined,            200, 404,      200,    403,    403, 403,  403, 401, 401),
  rule('DELETE /groups/{no}/members/{cnic}', undefined,   200, 404,      200,    403,    403, 403,  403, 401, 401),
  rule('POST /groups/{no}/approve', 'PENDING',            403, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('POST /groups/{no}/approve', 'NEEDS_REVIEW',       403, 403,      403,    200,    403, 403,  403, 401, 401),
  rule('POST /groups/{no}/reject', 'PENDING',             403, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('POST /groups/{no}/reject', 'NEEDS_REVIEW',        403, 403,      403,    200,    403, 403,  403, 401, 401),
  rule('POST /groups/{no}/clear', undefined,              403, 403,      403,    200,    403, 403,  403, 401, 401),
  rule('GET /groups/{no}/card', undefined,                200, 404,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /groups/{no}/passes', undefined,              200, 404,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /groups/{no}/qr.svg', undefined,              200, 404,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /groups/{no}/qr.png', undefined,              200, 404,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /rosters', undefined,                         '—', 403,      403,    403,    403, 200,  403, 401, 401),
  rule('GET /reports/groups', undefined,                  '—', 403,      200,    200,    403, 403,  200, 401, 401),
  // FIA's desk: search and the person page for FIA and the Ministry; who did what for FIA.
  rule('GET /search', undefined,                          '—', 403,      200,    200,    403, 403,  200, 401, 401),
  rule('GET /people/{cnic}', undefined,                   403, 403,      200,    200,    403, 403,  200, 401, 401),
  rule('GET /applications/{id}/history', undefined,       403, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /passes/{no}/history', undefined,             403, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /groups/{no}/history', undefined,             403, 403,      200,    200,    403, 403,  403, 401, 401),
];

/** Ways a bearer token can be wrong; each is tried wherever the policy says `bad`. */
const BAD_TOKENS = [
  'a token signed by another key',
  'an expired token',
  'a token for another audience',
  'a token from another issuer',
  'an unsigned token (alg none)',
  'a token whose claims were changed after signing',
  'text that is not a JWT',
] as const;
type BadToken = (typeof BAD_TOKENS)[number];

let p: TestPlatform;
let officer: string;
let supervisor: string;
/** The callers whose token is the same in every case; `own` is made per case with the record it owns. */
const tokens = {} as Record<Exclude<Caller, 'own' | 'no token' | 'bad token'>, string>;
const badTokens = {} as Record<BadToken, string>;

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.login('fia-officer', 'officer-1');
  supervisor = await p.login('fia-supervisor', 'supervisor-1');
  Object.assign(tokens, {
    applicant: await p.login('applicant', 'applicant-2', { cnic: '5490000000001' }),
    'fia-officer': officer,
    'fia-supervisor': supervisor,
    'fisheries-officer': await p.login('fisheries-officer', 'fisheries-1', { port: 'GWD' }),
    'checkpoint-officer': await p.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' }),
    'moi-analyst': await p.login('moi-analyst', 'moi-1'),
  } satisfies typeof tokens);

  // Every bad token claims the strongest role, so only the token check can be what refuses it.
  const issuer = decodeJwt(supervisor).iss as string;
  const devKey = await importPKCS8(readFileSync(join(p.keyDir, 'dev-issuer.pem'), 'utf8'), 'ES256');
  const otherKey = (await generateKeyPair('ES256')).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    'cognito:groups': ['fia-supervisor'],
    token_use: 'id',
    sub: 'intruder',
    iss: issuer,
    aud: DEV_AUDIENCE,
    iat: now,
    exp: now + 3600,
  };
  const sign = (payload: JWTPayload, key: CryptoKey) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(key);
  const [header, , signature] = (await p.login('applicant', 'intruder')).split('.');
  Object.assign(badTokens, {
    'a token signed by another key': await sign(claims, otherKey),
    'an expired token': await sign({ ...claims, iat: now - 7200, exp: now - 3600 }, devKey),
    'a token for another audience': await sign({ ...claims, aud: 'another-app' }, devKey),
    'a token from another issuer': await sign(
      { ...claims, iss: 'https://cognito-idp.example/other' },
      devKey,
    ),
    'an unsigned token (alg none)': `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`,
    'a token whose claims were changed after signing': `${header}.${b64url(claims)}.${signature}`,
    'text that is not a JWT': 'not-a-jwt',
  } satisfies Record<BadToken, string>);
});
afterAll(() => p.close());

/** A CNIC no other case uses, so every case starts from its own records. */
const freshCnic = cnicSeries('54', 1);

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await p.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300)
    throw new Error(`${method} ${path} failed while preparing: ${res.status} ${res.text}`);
  return res.json;
}

/** A fresh resident with an applicant account bound to their CNIC: the `own` caller of one case's records. */
async function resident(): Promise<{ cnic: string; token: string }> {
  const cnic = freshCnic();
  return { cnic, token: await p.login('applicant', `resident-${cnic}`, { cnic }) };
}

/** A fresh application by its own applicant; a watchlist hit first where it must need review. */
async function application(on: Subject = 'PENDING'): Promise<{ id: string; own: string }> {
  const { cnic, token } = await resident();
  if (on === 'NEEDS_REVIEW') {
    await call('PUT', `/watchlist/${cnic}`, supervisor, { reason: 'known smuggler', category: 'smuggling' });
  }
  const app = await call('POST', '/applications', token, applicationFor(cnic));
  return { id: app.id, own: token };
}

/** A fresh pass held by its own applicant. */
async function pass(): Promise<{ no: string; own: string }> {
  const { id, own } = await application();
  const approved = await call('POST', `/applications/${id}/approve`, officer);
  return { no: approved.pass.number, own };
}

async function listed(): Promise<string> {
  const cnic = freshCnic();
  await call('PUT', `/watchlist/${cnic}`, supervisor, { reason: 'known smuggler', category: 'smuggling' });
  return cnic;
}

/** A boat owner's CNIC no other case uses, so every boat is new to the register. */
const freshOwner = cnicSeries('52', 3);
let boats = 0;

/** A body for a new Gwadar boat with its own name and owner. */
function newBoat(): Record<string, unknown> {
  boats += 1;
  const owner = {
    name: 'Karim Bakhsh',
    fatherName: 'Dad Muhammad',
    cnic: freshOwner(),
    address: 'Mulla Band, Gwadar',
  };
  return vesselBody(karachiDay(), { name: `Sea Star ${boats}`, owner });
}

/** A fresh Gwadar boat, registered by the fisheries caller; suspended first where the route needs it. */
async function boat(suspended = false): Promise<string> {
  const registered = await call('POST', '/vessels', tokens['fisheries-officer'], newBoat());
  const no = registered.officialNumber as string;
  if (suspended)
    await call('POST', `/vessels/${no}/suspend`, tokens['fisheries-officer'], { reason: 'Unpaid dues.' });
  return no;
}

/** A fresh pass's departure through Taftan, as the checkpoint app records it. */
async function crossingAtTaftan(): Promise<Record<string, unknown>> {
  const { no } = await pass();
  const shown = await call('GET', `/passes/${no}`, officer);
  return {
    id: ulid(),
    credential: shown.qrText,
    kind: 'bp',
    checkpoint: 'TFT',
    direction: 'OUT',
    at: new Date().toISOString(),
    officer: 'fc-taftan-1',
    device: 'taftan-phone-1',
    verdict: 'VALID',
  };
}

interface Target {
  path: string;
  body?: unknown;
  /** The token of the applicant whose record (or CNIC) the case is about. */
  own?: string;
}

/** What each route is called on: records made fresh for the case, so no case depends on another. */
const TARGETS: Record<RouteKey, (on?: Subject) => Promise<Target>> = {
  'POST /applications': async () => {
    const { cnic, token } = await resident();
    return { path: '/applications', body: applicationFor(cnic), own: token };
  },
  'GET /applications': async () => ({ path: '/applications?status=PENDING' }),
  'GET /applications/{id}': async () => {
    const { id, own } = await application();
    return { path: `/applications/${id}`, own };
  },
  'POST /applications/{id}/approve': async (on) => {
    const { id, own } = await application(on);
    return { path: `/applications/${id}/approve`, own };
  },
  'POST /applications/{id}/reject': async (on) => {
    const { id, own } = await application(on);
    return { path: `/applications/${id}/reject`, body: { reason: 'documents do not match' }, own };
  },
  'GET /passes/{no}': async () => {
    const { no, own } = await pass();
    return { path: `/passes/${no}`, own };
  },
  'GET /passes/{no}/qr.svg': async () => {
    const { no, own } = await pass();
    return { path: `/passes/${no}/qr.svg`, own };
  },
  'GET /passes/{no}/qr.png': async () => {
    const { no, own } = await pass();
    return { path: `/passes/${no}/qr.png`, own };
  },
  'GET /passes/{no}/card': async () => {
    const { no, own } = await pass();
    return { path: `/passes/${no}/card`, own };
  },
  'POST /passes/{no}/revoke': async () => {
    const { no, own } = await pass();
    return { path: `/passes/${no}/revoke`, body: { reason: 'reported lost' }, own };
  },
  'GET /watchlist/{cnic}': async () => ({ path: `/watchlist/${await listed()}` }),
  'PUT /watchlist/{cnic}': async () => ({
    path: `/watchlist/${freshCnic()}`,
    body: { reason: 'known smuggler', category: 'smuggling' },
  }),
  'DELETE /watchlist/{cnic}': async () => ({ path: `/watchlist/${await listed()}` }),
  'GET /.well-known/jwks.json': async () => ({ path: '/.well-known/jwks.json' }),
  'GET /trust-bundle': async () => ({ path: '/trust-bundle' }),
  'GET /health': async () => ({ path: '/health' }),
  'POST /accounts/applicants': async () => ({
    path: '/accounts/applicants',
    body: { cnic: freshCnic(), name: 'Gul Bibi', email: 'gul.bibi@example.pk' },
  }),
  'POST /vessels': async () => ({ path: '/vessels', body: newBoat() }),
  'GET /vessels': async () => ({ path: '/vessels?port=GWD' }),
  'GET /vessels/{no}': async () => ({ path: `/vessels/${await boat()}` }),
  'GET /vessels/{no}/qr.svg': async () => ({ path: `/vessels/${await boat()}/qr.svg` }),
  'GET /vessels/{no}/qr.png': async () => ({ path: `/vessels/${await boat()}/qr.png` }),
  'GET /vessels/{no}/certificate': async () => ({ path: `/vessels/${await boat()}/certificate` }),
  'GET /vessels/{no}/history': async () => ({ path: `/vessels/${await boat()}/history` }),
  'POST /vessels/{no}/suspend': async () => ({
    path: `/vessels/${await boat()}/suspend`,
    body: { reason: 'Carried passengers.' },
  }),
  'POST /vessels/{no}/cancel': async () => ({
    path: `/vessels/${await boat()}/cancel`,
    body: { reason: 'Hull broken up.' },
  }),
  'POST /vessels/{no}/renew': async () => ({
    path: `/vessels/${await boat()}/renew`,
    body: { licenceValidUntil: karachiDay(400) },
  }),
  'POST /vessels/{no}/reinstate': async () => ({ path: `/vessels/${await boat(true)}/reinstate`, body: {} }),
  'POST /crossings': async () => ({ path: '/crossings', body: { records: [await crossingAtTaftan()] } }),
  'GET /crossings': async () => {
    const { no } = await pass();
    return { path: `/crossings?credential=${no}` };
  },
  'POST /vessels/{no}/transfer': async () => ({
    path: `/vessels/${await boat()}/transfer`,
    body: { owner: { ...(newBoat().owner as object) } },
  }),
  'GET /feed/status': async () => ({ path: '/feed/status' }),
  'POST /feed/dead/{id}/redrive': async () => ({ path: `/feed/dead/${await deadBatch()}/redrive` }),
  'GET /feed/jwks.json': async () => ({ path: '/feed/jwks.json' }),
  'GET /reports/crossings': async () => ({
    path: `/reports/crossings?from=${karachiDay(-7)}&to=${karachiDay()}`,
  }),
  'GET /reports/anomalies': async () => ({
    path: `/reports/anomalies?from=${karachiDay(-7)}&to=${karachiDay()}`,
  }),
  'GET /reports/overstays': async () => ({ path: '/reports/overstays' }),
  'GET /reports/vessels-at-sea': async () => ({ path: '/reports/vessels-at-sea' }),
  'PUT /organizers/{cnic}': async () => ({ path: `/organizers/${freshLeader()}`, body: ORGANIZER }),
  'GET /organizers/{cnic}': async () => {
    const { cnic, token } = await organizer();
    return { path: `/organizers/${cnic}`, own: token };
  },
  'POST /groups': async () => {
    const { cnic, token } = await organizer();
    return { path: '/groups', body: groupBody(pilgrims(2), { leaderCnic: cnic }), own: token };
  },
  'GET /groups': async () => ({ path: '/groups?status=PENDING' }),
  'GET /groups/{no}': async () => {
    const { no, own } = await group();
    return { path: `/groups/${no}`, own };
  },
  'POST /groups/{no}/members': async () => {
    const { no, own } = await group();
    return { path: `/groups/${no}/members`, body: { members: groupBody(pilgrims(1)).members }, own };
  },
  'DELETE /groups/{no}/members/{cnic}': async () => {
    const { no, own, members } = await group();
    return { path: `/groups/${no}/members/${members[1]}`, own };
  },
  'POST /groups/{no}/approve': async (on) => {
    const { no, own } = await group(on);
    return { path: `/groups/${no}/approve`, own };
  },
  'POST /groups/{no}/reject': async (on) => {
    const { no, own } = await group(on);
    return { path: `/groups/${no}/reject`, body: { reason: 'The organizer’s licence has lapsed.' }, own };
  },
  'POST /groups/{no}/clear': async () => {
    const { no, own } = await overdueGroup();
    return { path: `/groups/${no}/clear`, body: { reason: 'Reported at the FIA desk; case opened.' }, own };
  },
  'GET /groups/{no}/card': async () => {
    const { no, own } = await group('PENDING', true);
    return { path: `/groups/${no}/card`, own };
  },
  'GET /groups/{no}/passes': async () => {
    const { no, own } = await group('PENDING', true);
    return { path: `/groups/${no}/passes`, own };
  },
  'GET /groups/{no}/qr.svg': async () => {
    const { no, own } = await group('PENDING', true);
    return { path: `/groups/${no}/qr.svg`, own };
  },
  'GET /groups/{no}/qr.png': async () => {
    const { no, own } = await group('PENDING', true);
    return { path: `/groups/${no}/qr.png`, own };
  },
  'GET /rosters': async () => ({ path: '/rosters' }),
  'GET /search': async () => ({ path: '/search?q=Karim%20Bakhsh' }),
  'GET /people/{cnic}': async () => {
    const { cnic, token } = await resident();
    await call('POST', '/applications', token, applicationFor(cnic));
    return { path: `/people/${cnic}`, own: token };
  },
  'GET /applications/{id}/history': async () => {
    const { id, own } = await application();
    return { path: `/applications/${id}/history`, own };
  },
  'GET /passes/{no}/history': async () => {
    const { no, own } = await pass();
    return { path: `/passes/${no}/history`, own };
  },
  'GET /groups/{no}/history': async () => {
    const { no, own } = await group();
    return { path: `/groups/${no}/history`, own };
  },
  'GET /reports/groups': async () => ({ path: '/reports/groups' }),
};

/** Organizers and pilgrims no other case uses. */
const freshLeader = cnicSeries('44', 1);
const freshPilgrim = cnicSeries('45', 2);
const pilgrims = (count: number) =>
  generatePilgrims(count, count).map((p) => ({ ...p, cnic: freshPilgrim() }));

/** A registered organizer and their applicant account: the `own` caller of their groups. */
async function organizer(): Promise<{ cnic: string; token: string }> {
  const cnic = freshLeader();
  await call('PUT', `/organizers/${cnic}`, supervisor, ORGANIZER);
  return { cnic, token: await p.login('applicant', `leader-${cnic}`, { cnic }) };
}

/** A fresh group of two by its own leader; a member listed first where it must need review; approved if asked. */
async function group(on: Subject = 'PENDING', approved = false) {
  const { token } = await organizer();
  const members = pilgrims(2);
  if (on === 'NEEDS_REVIEW') {
    await call('PUT', `/watchlist/${members[0]?.cnic}`, supervisor, {
      reason: 'Overstayed',
      category: 'other',
    });
  }
  const made = await call('POST', '/groups', token, groupBody(members));
  if (approved) await call('POST', `/groups/${made.number}/approve`, supervisor);
  return { no: made.number as string, own: token, members: members.map((m) => m.cnic) };
}

/** An approved group one of whose members left and whose return date is over (its dates moved back in the table). */
async function overdueGroup() {
  const { no, own } = await group('PENDING', true);
  const shown = await call('GET', `/groups/${no}`, supervisor);
  const pass = await call('GET', `/passes/${shown.members[0].pass}`, supervisor);
  await call('POST', '/crossings', tokens['checkpoint-officer'], {
    records: [
      {
        id: ulid(),
        credential: pass.qrText,
        kind: 'bp',
        checkpoint: 'TFT',
        direction: 'OUT',
        at: new Date().toISOString(),
        officer: 'fc-taftan-1',
        device: 'taftan-phone-1',
        verdict: 'VALID',
      },
    ],
  });
  const stored = await p.platform.store.groups.get(no);
  if (!stored) throw new Error(`group ${no} vanished`);
  await p.platform.store.groups.save(
    { ...stored, returnBy: karachiDay(-1), version: stored.version + 1 },
    stored.version,
  );
  return { no, own };
}

/** A dead-lettered feed batch of its own for the case, stored as the deliverer leaves one after its last try. */
async function deadBatch(): Promise<string> {
  const deliveryId = ulid();
  const at = new Date().toISOString();
  const feed = p.platform.store.feed;
  await feed.claim({
    deliveryId,
    entries: [],
    records: 0,
    jws: '',
    createdAt: at,
    oldestQueuedAt: at,
    attempts: 10,
    nextAttemptAt: at,
    status: 'OPEN',
  });
  await feed.deadLetter(deliveryId, at, 'the receiver answered HTTP 500');
  return deliveryId;
}

const DESCRIBED: Record<Caller, string> = {
  own: 'its own applicant',
  applicant: 'another applicant',
  'fia-officer': 'an FIA officer',
  'fia-supervisor': 'an FIA supervisor',
  'fisheries-officer': 'a fisheries officer',
  'checkpoint-officer': 'a checkpoint officer',
  'moi-analyst': 'an MoI analyst',
  'no token': 'a caller without a token',
  'bad token': 'a bad token',
};

interface Case {
  name: string;
  rule: Rule;
  caller: Caller;
  badToken?: BadToken;
  status: number;
}

/** The grid unrolled into one case per cell, with `bad token` tried once per kind of bad token. */
const CASES: Case[] = POLICY.flatMap((r) => {
  const subject = r.on ? ` (${r.on === 'PENDING' ? 'pending' : 'needing review'})` : '';
  return Object.entries(r.expected).flatMap(([key, status]): Case[] => {
    const caller = key as Caller;
    const name = (by: string) => `${r.route}${subject} answers ${status} to ${by}`;
    if (caller === 'bad token') {
      return BAD_TOKENS.map((badToken) => ({ name: name(badToken), rule: r, caller, badToken, status }));
    }
    const who =
      r.route === 'POST /applications' && (caller === 'own' || caller === 'applicant')
        ? `an applicant for ${caller === 'own' ? 'their own' : "another resident's"} CNIC`
        : caller === 'applicant' && r.expected.own === undefined
          ? 'an applicant'
          : DESCRIBED[caller];
    return [{ name: name(who), rule: r, caller, status }];
  });
});

function authorizationOf(c: Case, target: Target): string | undefined {
  if (c.caller === 'no token') return undefined;
  if (c.caller === 'bad token') return `Bearer ${badTokens[c.badToken as BadToken]}`;
  if (c.caller === 'own') {
    if (!target.own) throw new Error(`${c.rule.route} made no record with an owner`);
    return `Bearer ${target.own}`;
  }
  return `Bearer ${tokens[c.caller]}`;
}

describe('the policy table', () => {
  it('covers every route of the API', () => {
    const routes = Object.values(ROUTE_GROUPS).flatMap((group) => group.routes as readonly string[]);
    expect(new Set(POLICY.map((r) => r.route))).toEqual(new Set(routes));
  });

  it('gives every route an answer for every role, no token and a bad token', () => {
    const missing = POLICY.flatMap((r) =>
      CALLERS.filter((c) => c !== 'own' && r.expected[c] === undefined).map((c) => `${r.route} × ${c}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('each route answers each caller as the policy says', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const target = await TARGETS[c.rule.route](c.rule.on);
      const authorization = authorizationOf(c, target);

      const res = await p.api(c.rule.route.split(' ')[0] as string, target.path, {
        ...(target.body === undefined ? {} : { body: target.body }),
        ...(authorization ? { headers: { authorization } } : {}),
      });

      expect(res.status, res.text).toBe(c.status);
      if (c.status === 401 || c.status === 403) {
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(res.json.type).toBe(`urn:rahdari:problem:${c.status === 401 ? 'unauthorized' : 'forbidden'}`);
      }
      if (c.status === 404) expect(res.json.type).toBe('urn:rahdari:problem:not-found');
    });
  }
});

describe('an applicant account is bound to its CNIC', () => {
  it('refuses an application for another CNIC, saying so', async () => {
    const res = await p.api('POST', '/applications', {
      token: tokens.applicant,
      body: applicationFor(freshCnic()),
    });

    expect(res.status).toBe(403);
    expect(res.json.detail).toBe('You may apply only for your own CNIC.');
  });

  it('refuses an account without a CNIC, saying where to register it', async () => {
    const unbound = await p.login('applicant', 'resident-unregistered');

    const res = await p.api('POST', '/applications', { token: unbound, body: applicationFor(freshCnic()) });

    expect(res.status).toBe(403);
    expect(res.json.detail).toBe('Your account has no CNIC; ask an FIA office to register it.');
  });
});
