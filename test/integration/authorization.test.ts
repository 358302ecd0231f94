// Who may call what: every route × every role, no token and bad tokens, end to end through the local server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, generateKeyPair, importPKCS8, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_GROUPS } from '../../functions/routes.ts';
import { DEV_AUDIENCE } from '../../local/dev-issuer.ts';
import { applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

type RouteKey = (typeof ROUTE_GROUPS)[keyof typeof ROUTE_GROUPS]['routes'][number];

/**
 * The columns of the policy. `own` is the applicant whose application or pass it is, `applicant` any other
 * applicant; a route about no one's record has no `own` column (—).
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

/** The state an application must be in before the call, where the answer depends on it. */
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

// biome-ignore format: the policy reads as a grid
const POLICY: readonly Rule[] = [
  //                                                     own  applicant fia-off fia-sup fish chkpt moi  none bad
  rule('POST /applications', undefined,                   '—', 201,      201,    403,    403, 403,  403, 401, 401),
  rule('GET /applications', undefined,                    '—', 403,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /applications/{id}', undefined,               200, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('POST /applications/{id}/approve', 'PENDING',      403, 403,      201,    201,    403, 403,  403, 401, 401),
  rule('POST /applications/{id}/approve', 'NEEDS_REVIEW', 403, 403,      403,    201,    403, 403,  403, 401, 401),
  rule('POST /applications/{id}/reject', 'PENDING',       403, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('POST /applications/{id}/reject', 'NEEDS_REVIEW',  403, 403,      403,    200,    403, 403,  403, 401, 401),
  rule('GET /passes/{no}', undefined,                     200, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /passes/{no}/qr.svg', undefined,              200, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /passes/{no}/qr.png', undefined,              200, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('GET /passes/{no}/card', undefined,                200, 403,      200,    200,    403, 403,  403, 401, 401),
  rule('POST /passes/{no}/revoke', undefined,             403, 403,      403,    200,    403, 403,  403, 401, 401),
  rule('GET /watchlist/{cnic}', undefined,                '—', 403,      200,    200,    403, 403,  403, 401, 401),
  rule('PUT /watchlist/{cnic}', undefined,                '—', 403,      403,    201,    403, 403,  403, 401, 401),
  rule('DELETE /watchlist/{cnic}', undefined,             '—', 403,      403,    204,    403, 403,  403, 401, 401),
  rule('GET /.well-known/jwks.json', undefined,           '—', 200,      200,    200,    200, 200,  200, 200, 200),
  rule('GET /trust-bundle', undefined,                    '—', 403,      403,    403,    403, 200,  403, 401, 401),
  rule('GET /health', undefined,                          '—', 200,      200,    200,    200, 200,  200, 200, 200),
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
let holder: string;
const tokens = {} as Record<Exclude<Caller, 'no token' | 'bad token'>, string>;
const badTokens = {} as Record<BadToken, string>;

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.login('fia-officer', 'officer-1');
  supervisor = await p.login('fia-supervisor', 'supervisor-1');
  holder = await p.login('applicant', 'holder-1');
  Object.assign(tokens, {
    own: holder,
    applicant: await p.login('applicant', 'applicant-2'),
    'fia-officer': officer,
    'fia-supervisor': supervisor,
    'fisheries-officer': await p.login('fisheries-officer', 'fisheries-1'),
    'checkpoint-officer': await p.login('checkpoint-officer', 'fc-taftan-1', 'TFT'),
    'moi-analyst': await p.login('moi-analyst', 'moi-1'),
  });

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

let serial = 0;
/** A CNIC no other case uses, so every case starts from its own records. */
const freshCnic = () => `54${String(++serial).padStart(10, '0')}1`;

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await p.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300)
    throw new Error(`${method} ${path} failed while preparing: ${res.status} ${res.text}`);
  return res.json;
}

/** A fresh application by the `own` applicant; a watchlist hit first where it must need review. */
async function application(on: Subject = 'PENDING'): Promise<string> {
  const cnic = freshCnic();
  if (on === 'NEEDS_REVIEW') {
    await call('PUT', `/watchlist/${cnic}`, supervisor, { reason: 'known smuggler', category: 'smuggling' });
  }
  const app = await call('POST', '/applications', holder, applicationFor(cnic));
  return app.id;
}

/** A fresh pass held by the `own` applicant. */
async function pass(): Promise<string> {
  const approved = await call('POST', `/applications/${await application()}/approve`, officer);
  return approved.pass.number;
}

async function listed(): Promise<string> {
  const cnic = freshCnic();
  await call('PUT', `/watchlist/${cnic}`, supervisor, { reason: 'known smuggler', category: 'smuggling' });
  return cnic;
}

interface Target {
  path: string;
  body?: unknown;
}

/** What each route is called on: records made fresh for the case, so no case depends on another. */
const TARGETS: Record<RouteKey, (on?: Subject) => Promise<Target>> = {
  'POST /applications': async () => ({ path: '/applications', body: applicationFor(freshCnic()) }),
  'GET /applications': async () => ({ path: '/applications?status=PENDING' }),
  'GET /applications/{id}': async () => ({ path: `/applications/${await application()}` }),
  'POST /applications/{id}/approve': async (on) => ({
    path: `/applications/${await application(on)}/approve`,
  }),
  'POST /applications/{id}/reject': async (on) => ({
    path: `/applications/${await application(on)}/reject`,
    body: { reason: 'documents do not match' },
  }),
  'GET /passes/{no}': async () => ({ path: `/passes/${await pass()}` }),
  'GET /passes/{no}/qr.svg': async () => ({ path: `/passes/${await pass()}/qr.svg` }),
  'GET /passes/{no}/qr.png': async () => ({ path: `/passes/${await pass()}/qr.png` }),
  'GET /passes/{no}/card': async () => ({ path: `/passes/${await pass()}/card` }),
  'POST /passes/{no}/revoke': async () => ({
    path: `/passes/${await pass()}/revoke`,
    body: { reason: 'reported lost' },
  }),
  'GET /watchlist/{cnic}': async () => ({ path: `/watchlist/${await listed()}` }),
  'PUT /watchlist/{cnic}': async () => ({
    path: `/watchlist/${freshCnic()}`,
    body: { reason: 'known smuggler', category: 'smuggling' },
  }),
  'DELETE /watchlist/{cnic}': async () => ({ path: `/watchlist/${await listed()}` }),
  'GET /.well-known/jwks.json': async () => ({ path: '/.well-known/jwks.json' }),
  'GET /trust-bundle': async () => ({ path: '/trust-bundle' }),
  'GET /health': async () => ({ path: '/health' }),
};

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
    const who = caller === 'applicant' && r.expected.own === undefined ? 'an applicant' : DESCRIBED[caller];
    return [{ name: name(who), rule: r, caller, status }];
  });
});

function authorizationOf(c: Case): string | undefined {
  if (c.caller === 'no token') return undefined;
  if (c.caller === 'bad token') return `Bearer ${badTokens[c.badToken as BadToken]}`;
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
      const authorization = authorizationOf(c);

      const res = await p.api(c.rule.route.split(' ')[0] as string, target.path, {
        ...(target.body === undefined ? {} : { body: target.body }),
        ...(authorization ? { headers: { authorization } } : {}),
      });

      expect(res.status, res.text).toBe(c.status);
      if (c.status === 401 || c.status === 403) {
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(res.json.type).toBe(`urn:rahdari:problem:${c.status === 401 ? 'unauthorized' : 'forbidden'}`);
      }
    });
  }
});
