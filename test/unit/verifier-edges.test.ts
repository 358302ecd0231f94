// The offline verifier at its edges: malformed tokens, missing claims, size limits and the exact verdict details.
import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CLOCK_DRIFT_SECONDS,
  checkSignature,
  DEFAULT_SKEW_SECONDS,
  isGroupPass,
  MAX_TOKEN_LENGTH,
  MalformedTrustError,
  type PassClaims,
  parseJws,
  passPoints,
  STALE_BUNDLE_SECONDS,
  signCredential,
  signJwt,
  TYP,
  trustStoreFromJwks,
  UnknownCheckpointError,
  type VesselClaims,
  verifyCredential,
} from '../../shared/credential.ts';
import { generateSigningKey, type Signer, signerFromPkcs8 } from '../../shared/keys.ts';
import { toQrText } from '../../shared/qr-text.ts';
import { signTrustBundle } from '../../shared/trust-bundle.ts';
import { TrustState } from '../../shared/trust-state.ts';

const now = new Date('2026-07-01T00:00:00Z');
const T = now.getTime() / 1000;
let issuer: Signer;
let otherIssuer: Signer;
let trust: TrustState;

beforeAll(async () => {
  const [a, b, root] = await Promise.all(
    [1, 2, 3].map(async () => signerFromPkcs8((await generateSigningKey()).pkcs8Pem)),
  );
  [issuer, otherIssuer] = [a as Signer, b as Signer];
  const started = await TrustState.fromFullBundle(
    await signTrustBundle(root as Signer, {
      iss: 'rahdari',
      iat: T,
      validUntil: T + 72 * 3600,
      keys: [issuer.publicJwk],
      version: 1,
      revoked: ['BP-2026-000666'],
    }),
    (root as Signer).publicJwk,
    T,
  );
  if (!started.ok) throw new Error(started.detail);
  trust = started.state;
});

const pass = (): PassClaims => ({
  sub: 'BP-2026-000123',
  nbf: T - 86400,
  exp: T + 86400,
  n: 'Abdul Ghafoor Sanjrani',
  f: 'Haji Muhammad Hassan',
  c: 5410112345673,
  p: 'TFT RJY',
});

const vessel = (): VesselClaims => ({
  sub: 'GWD-2026-00042/1',
  exp: T + 86400,
  n: 'Al-Madina',
  o: 'Karim Bakhsh Baloch',
  c: 5220198765431,
  h: 'GWD',
  m: 8,
});

/** Verifies a payload signed by the trusted issuer as the given typ. */
async function verifySigned(payload: object, typ: string = TYP.bp, options: { checkpoint?: string } = {}) {
  return verifyCredential(await signJwt(issuer, typ, payload), trust, { now, ...options });
}

/** A compact JWS over any header, signed by the trusted issuer, so only the header is at fault. */
async function signedWithHeader(header: object, payload: object = pass()): Promise<string> {
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
  return `${input}.${base64url.encode(await issuer.sign(new TextEncoder().encode(input)))}`;
}

const textPart = (text: string) => base64url.encode(text);
const goodHeader = () => textPart(JSON.stringify({ alg: 'ES256', kid: 'abcdefgh', typ: 'bp+jwt' }));
const goodPayload = () => textPart('{}');
const zeroSignature = base64url.encode(new Uint8Array(64));

describe('a signed pass that lacks a claim or carries a wrong one', () => {
  it.each([
    ['no sub', { sub: undefined }],
    ['an empty sub', { sub: '' }],
    ['no exp', { exp: undefined }],
    ['an exp past the safe integers', { exp: 2 ** 53 }],
    ['a fractional exp', { exp: T + 0.5 }],
    ['no nbf', { nbf: undefined }],
    ['no name', { n: undefined }],
    ['an empty name', { n: '' }],
    ["no father's name", { f: undefined }],
    ["an empty father's name", { f: '' }],
    ['a CNIC of 12 digits', { c: 999_999_999_999 }],
    ['a CNIC whose first digit is 9', { c: 9_000_000_000_000 }],
    ['a CNIC as text', { c: '5410112345673' }],
    ['crossing points as a list', { p: ['TFT'] }],
    ['a crossing point in lower case', { p: 'tft' }],
    ['crossing points with a trailing space', { p: 'TFT ' }],
    ['crossing points with a code of four letters', { p: 'TFTX' }],
    ['crossing points after a stray word', { p: 'x TFT' }],
    ['a group number with a sixth digit', { g: 'ZG-2026-000123' }],
    ['a group number after a stray letter', { g: 'XZG-2026-00012' }],
    ['a group number inside a list', { g: ['ZG-2026-00012'] }],
    ['a group size of zero on the group pass', { sub: 'ZG-2026-00012', g: 'ZG-2026-00012', s: 0 }],
  ])('is MALFORMED with %s, never VALID', async (_case, change) => {
    const result = await verifySigned({ ...pass(), ...change });

    expect([result.verdict, result.detail, result.kind, result.kid]).toEqual([
      'MALFORMED',
      'the claims do not form a bp+jwt',
      'bp',
      issuer.kid,
    ]);
  });

  it('takes CNICs at both ends of the 13-digit range', async () => {
    const lowest = await verifySigned({ ...pass(), c: 1_000_000_000_000 });
    const highest = await verifySigned({ ...pass(), c: 8_999_999_999_999 });

    expect([lowest.verdict, highest.verdict]).toEqual(['VALID', 'VALID']);
  });

  it('takes a group pass for a group of one', async () => {
    const result = await verifySigned({ ...pass(), sub: 'ZG-2026-00012', g: 'ZG-2026-00012', s: 1 });

    expect(result.verdict).toBe('VALID');
  });

  it("tells a leader's group pass from a member's own pass by its size", async () => {
    const member = { ...pass(), g: 'ZG-2026-00012' };
    const leader = { ...member, sub: 'ZG-2026-00012', s: 40 };

    expect([isGroupPass(member), isGroupPass(leader)]).toEqual([false, true]);
  });

  it('returns exactly the pass claims, adding no group or size the pass does not carry', async () => {
    const result = await verifySigned({ ...pass(), extra: 'ignored' });

    expect(result.claims).toStrictEqual(pass());
  });

  it('returns a group pass with exactly its group and size', async () => {
    const groupPass = { ...pass(), sub: 'ZG-2026-00012', g: 'ZG-2026-00012', s: 3 };

    const result = await verifySigned(groupPass);

    expect(result.claims).toStrictEqual(groupPass);
  });
});

describe('a signed vessel registration that lacks a claim or carries a wrong one', () => {
  it.each([
    ['no sub', { sub: undefined }],
    ['no exp', { exp: undefined }],
    ['a fractional nbf', { nbf: T - 0.5 }],
    ['an nbf as text', { nbf: String(T) }],
    ["no owner's name", { o: undefined }],
    ["an empty owner's name", { o: '' }],
    ['no home port', { h: undefined }],
    ['an empty home port', { h: '' }],
    ['no crew limit', { m: undefined }],
    ['a crew limit of zero', { m: 0 }],
    ['a fractional crew limit', { m: 1.5 }],
  ])('is MALFORMED with %s, never VALID', async (_case, change) => {
    const result = await verifySigned({ ...vessel(), ...change }, TYP.vr);

    expect([result.verdict, result.detail, result.kind]).toEqual([
      'MALFORMED',
      'the claims do not form a vr+jwt',
      'vr',
    ]);
  });

  it('takes a boat with a crew limit of one', async () => {
    const result = await verifySigned({ ...vessel(), m: 1 }, TYP.vr);

    expect(result.verdict).toBe('VALID');
  });

  it('returns a certificate without nbf with no nbf among its claims', async () => {
    const result = await verifySigned(vessel(), TYP.vr);

    expect(result.claims).toStrictEqual(vessel());
  });

  it('keeps the nbf of a licence that starts later', async () => {
    const claims = { ...vessel(), nbf: T - 60 };

    const result = await verifySigned(claims, TYP.vr);

    expect(result.claims).toStrictEqual(claims);
  });
});

describe('a token that is not a credential', () => {
  it('answers WRONG_TYPE for a trust bundle signed by a pass key, naming its typ', async () => {
    const result = await verifySigned(pass(), TYP.tb);

    expect([result.verdict, result.detail, result.kid, result.kind]).toEqual([
      'WRONG_TYPE',
      'typ tb+jwt is not a credential',
      issuer.kid,
      undefined,
    ]);
  });

  it('answers WRONG_TYPE for a plain JWT typ signed by a pass key', async () => {
    const result = await verifySigned(pass(), 'JWT');

    expect([result.verdict, result.detail]).toEqual(['WRONG_TYPE', 'typ JWT is not a credential']);
  });

  it('names both kinds when a vessel registration is shown where a pass is expected', async () => {
    const token = await signCredential(issuer, 'vr', vessel());

    const result = await verifyCredential(token, trust, { now, kind: 'bp' });

    expect([result.verdict, result.detail, result.kind, result.kid]).toEqual([
      'WRONG_TYPE',
      'a vr+jwt was shown where a bp+jwt is expected',
      'vr',
      issuer.kid,
    ]);
  });

  it('takes a vessel registration where a vessel registration is expected', async () => {
    const token = await signCredential(issuer, 'vr', vessel());

    const result = await verifyCredential(token, trust, { now, kind: 'vr' });

    expect([result.verdict, result.kind]).toEqual(['VALID', 'vr']);
  });
});

describe('a token that is not a compact JWS', () => {
  it.each([
    ['two parts', `${goodHeader()}.${goodPayload()}`],
    ['four parts', `${goodHeader()}.${goodPayload()}.${zeroSignature}.${zeroSignature}`],
    ['one part', goodHeader()],
  ])('answers MALFORMED for %s, without throwing', async (_case, token) => {
    const result = await verifyCredential(token, trust, { now });

    expect([result.verdict, result.detail]).toEqual([
      'MALFORMED',
      'a JWS has exactly three dot-separated parts',
    ]);
  });

  it.each([
    ['an empty header', `.${goodPayload()}.${zeroSignature}`],
    ['an empty payload', `${goodHeader()}..${zeroSignature}`],
    ['a space after the signature', `${goodHeader()}.${goodPayload()}.${zeroSignature} `],
    ['a plus sign before the payload', `${goodHeader()}.+${goodPayload()}.${zeroSignature}`],
    ['padding on the payload', `${goodHeader()}.${textPart('{}x')}=.${zeroSignature}`],
  ])('refuses %s as not base64url text', (_case, token) => {
    expect(parseJws(token)).toBe('a part is not base64url text');
  });

  it('refuses a part of one character, which is no whole byte, as not valid base64url', () => {
    expect(parseJws(`${goodHeader()}.A.${zeroSignature}`)).toBe('a part is not valid base64url');
  });

  it('refuses a part whose last character carries stray bits as not canonical', () => {
    expect(parseJws(`${goodHeader()}.${goodPayload().slice(0, -1)}D.${zeroSignature}`)).toBe(
      'a part is not canonical base64url',
    );
  });

  it('lets an empty signature through parsing, so that alg none is refused by name', async () => {
    const token = `${textPart(JSON.stringify({ alg: 'none', kid: issuer.kid, typ: 'bp+jwt' }))}.${textPart(JSON.stringify(pass()))}.`;

    const result = await verifyCredential(token, trust, { now });

    expect([result.verdict, result.detail]).toEqual([
      'INVALID_SIGNATURE',
      'alg none is refused: only ES256 is accepted',
    ]);
  });

  it.each([
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a JSON string', '"ES256"'],
    ['not JSON', '{alg'],
  ])('refuses a header that is %s', (_case, header) => {
    expect(parseJws(`${textPart(header)}.${goodPayload()}.${zeroSignature}`)).toBe(
      'the header is not a JSON object',
    );
  });

  it.each([
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a number', '42'],
  ])('refuses a payload that is %s', (_case, payload) => {
    expect(parseJws(`${goodHeader()}.${textPart(payload)}.${zeroSignature}`)).toBe(
      'the payload is not a JSON object',
    );
  });

  it('refuses a payload that is not valid UTF-8 rather than repairing it', () => {
    // {"n":"\xff"}: JSON either way, so only strict UTF-8 decoding can refuse it.
    const payload = base64url.encode(new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));

    expect(parseJws(`${goodHeader()}.${payload}.${zeroSignature}`)).toBe('the payload is not a JSON object');
  });

  it.each([
    ['no alg', { kid: 'abcdefgh', typ: 'bp+jwt' }],
    ['a numeric kid', { alg: 'ES256', kid: 1, typ: 'bp+jwt' }],
    ['no typ', { alg: 'ES256', kid: 'abcdefgh' }],
  ])('refuses a header with %s', (_case, header) => {
    expect(parseJws(`${textPart(JSON.stringify(header))}.${goodPayload()}.${zeroSignature}`)).toBe(
      'the header lacks alg, kid or typ',
    );
  });

  it('keeps the token, header, payload and signature bytes of a well-formed JWS', async () => {
    const token = await signCredential(issuer, 'bp', pass());

    const parsed = parseJws(token);

    expect(parsed).toEqual({
      token,
      header: { alg: 'ES256', kid: issuer.kid, typ: 'bp+jwt' },
      payload: pass(),
      signature: base64url.decode(token.split('.')[2] as string),
    });
  });
});

describe('the 64 KiB limit on a credential', () => {
  it(`refuses a token of ${MAX_TOKEN_LENGTH + 1} characters before parsing it`, async () => {
    const token = `${goodHeader()}.${'A'.repeat(MAX_TOKEN_LENGTH)}.${zeroSignature}`.slice(
      0,
      MAX_TOKEN_LENGTH + 1,
    );

    const result = await verifyCredential(token, trust, { now });

    expect([result.verdict, result.detail]).toEqual(['MALFORMED', 'longer than 65536 characters']);
  });

  it('parses a token of exactly 64 KiB', () => {
    const filler = 'A'.repeat(MAX_TOKEN_LENGTH - goodHeader().length - zeroSignature.length - 2);

    const parsed = parseJws(`${goodHeader()}.${filler}.${zeroSignature}`);

    expect(parsed).not.toMatch(/^longer than/);
  });

  it('is 64 KiB', () => {
    expect(MAX_TOKEN_LENGTH).toBe(65_536);
  });
});

describe('checking an ES256 signature', () => {
  it('refuses a signature that is not 64 raw bytes, even when it verifies in DER form', async () => {
    const token = await signCredential(issuer, 'bp', pass());
    const [h, p] = token.split('.') as [string, string];

    const result = await verifyCredential(`${h}.${p}.${base64url.encode(new Uint8Array(70))}`, trust, {
      now,
    });

    expect([result.verdict, result.detail]).toEqual([
      'INVALID_SIGNATURE',
      'the signature is not a raw 64-byte ES256 signature',
    ]);
  });

  it('names the kid no trusted key has', async () => {
    const token = await signCredential(otherIssuer, 'bp', pass());

    const result = await verifyCredential(token, trust, { now });

    expect([result.verdict, result.detail]).toEqual([
      'UNKNOWN_KEY',
      `no trusted key has kid ${otherIssuer.kid}`,
    ]);
  });

  it('says the signature does not verify when the trusted key did not make it', async () => {
    const token = await signedWithHeader({ alg: 'ES256', kid: issuer.kid, typ: 'bp+jwt' });
    const [h, p] = token.split('.') as [string, string];
    const forged = `${h}.${p}.${base64url.encode(await otherIssuer.sign(new TextEncoder().encode(`${h}.${p}`)))}`;

    const result = await verifyCredential(forged, trust, { now });

    expect([result.verdict, result.detail]).toEqual(['INVALID_SIGNATURE', 'the signature does not verify']);
  });

  it('tries every key that shares the kid until one verifies', async () => {
    const token = await signCredential(issuer, 'bp', pass());
    const jws = parseJws(token);
    if (typeof jws === 'string') throw new Error(jws);
    const lookalike = (await trustStoreFromJwks({ keys: [otherIssuer.publicJwk] })).keys[0];
    const real = trust.keys[0];
    if (!lookalike || !real) throw new Error('no keys');

    const result = await checkSignature(jws, [{ ...lookalike, kid: issuer.kid }, real]);

    expect(result).toEqual({ verdict: 'VALID', detail: 'signature verified' });
  });

  it('treats a key that cannot verify at all as one that does not verify, without throwing', async () => {
    const token = await signCredential(issuer, 'bp', pass());
    const jws = parseJws(token);
    if (typeof jws === 'string') throw new Error(jws);
    const hmac = await crypto.subtle.importKey(
      'raw',
      new Uint8Array(32),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );

    const result = await checkSignature(jws, [{ kid: issuer.kid, key: hmac }]);

    expect(result).toEqual({ verdict: 'INVALID_SIGNATURE', detail: 'the signature does not verify' });
  });

  it('refuses to sign with a signer that returns anything but 64 bytes', async () => {
    const derSigner: Signer = { ...issuer, sign: async () => new Uint8Array(71) };

    await expect(signJwt(derSigner, TYP.bp, pass())).rejects.toThrow(
      'an ES256 signer must return a raw 64-byte r‖s signature',
    );
  });

  it('signs a header of alg, kid and typ, in that order', async () => {
    const token = await signCredential(issuer, 'vr', vessel());

    const header = new TextDecoder().decode(base64url.decode(token.split('.')[0] as string));

    expect(header).toBe(`{"alg":"ES256","kid":"${issuer.kid}","typ":"vr+jwt"}`);
  });
});

describe('the validity window and its tolerance', () => {
  const at = async (claims: Partial<PassClaims>, seconds: number, skewSeconds?: number) =>
    verifyCredential(await signCredential(issuer, 'bp', { ...pass(), ...claims }), trust, {
      now: new Date(seconds * 1000),
      ...(skewSeconds === undefined ? {} : { skewSeconds }),
    });

  it('tolerates five minutes by default', () => {
    expect(DEFAULT_SKEW_SECONDS).toBe(300);
  });

  it('is valid from exactly nbf less the tolerance, and not a second before', async () => {
    const nbf = T + 1000;
    const first = await at({ nbf }, nbf - DEFAULT_SKEW_SECONDS);
    const before = await at({ nbf }, nbf - DEFAULT_SKEW_SECONDS - 1);

    expect([first.verdict, before.verdict, before.detail]).toEqual([
      'VALID',
      'NOT_YET_VALID',
      `valid from ${new Date(nbf * 1000).toISOString().replace('.000Z', 'Z')}`,
    ]);
  });

  it('is expired from exactly exp plus the tolerance, and valid a second before', async () => {
    const exp = T + 1000;
    const last = await at({ exp }, exp + DEFAULT_SKEW_SECONDS - 1);
    const expired = await at({ exp }, exp + DEFAULT_SKEW_SECONDS);

    expect([last.verdict, expired.verdict, expired.detail]).toEqual([
      'VALID',
      'EXPIRED',
      'expired at 2026-07-01T00:16:40Z',
    ]);
  });

  it('uses the tolerance it is given instead of the default', async () => {
    const exp = T + 1000;

    const result = await at({ exp }, exp, 0);

    expect(result.verdict).toBe('EXPIRED');
  });

  it('reads the validation time to the second, rounding down', async () => {
    const exp = T + 1000;

    const result = await verifyCredential(await signCredential(issuer, 'bp', { ...pass(), exp }), trust, {
      now: new Date((exp + DEFAULT_SKEW_SECONDS) * 1000 - 1),
    });

    expect(result.verdict).toBe('VALID');
  });

  it.each([
    ['a validation time that is no date', { now: new Date('not a time') }],
    ['a tolerance that is not a number', { now, skewSeconds: Number.NaN }],
    ['an endless tolerance', { now, skewSeconds: Number.POSITIVE_INFINITY }],
  ])('refuses %s rather than read an expired pass as VALID', async (_case, options) => {
    const token = await signCredential(issuer, 'bp', { ...pass(), nbf: 1000, exp: 2000 });

    const verifying = verifyCredential(token, trust, options);

    await expect(verifying).rejects.toThrow(
      new RangeError('the validation time and the skew must be finite numbers'),
    );
  });

  it('answers REVOKED with the credential number and its claims', async () => {
    const result = await verifySigned({ ...pass(), sub: 'BP-2026-000666' });

    expect([result.verdict, result.detail, result.kind, result.claims?.sub]).toEqual([
      'REVOKED',
      'BP-2026-000666 has been revoked',
      'bp',
      'BP-2026-000666',
    ]);
  });

  it('carries the trust state warnings in every verdict, a malformed one included', async () => {
    const late = new Date((T + STALE_BUNDLE_SECONDS + 1) * 1000);

    const result = await verifyCredential('rhd:/5', trust, { now: late });

    expect([result.verdict, result.warnings]).toEqual(['MALFORMED', ['BUNDLE_STALE']]);
  });

  it('measures clock drift beyond five minutes', () => {
    expect(CLOCK_DRIFT_SECONDS).toBe(300);
  });
});

describe('QR text and posts', () => {
  it('answers MALFORMED with the reason QR text cannot be read', async () => {
    const result = await verifyCredential('rhd:/123', trust, { now });

    expect([result.verdict, result.detail]).toEqual([
      'MALFORMED',
      'QR text has an odd number of digits (3) after "rhd:/"',
    ]);
  });

  it('verifies a pass from its QR text as from its raw JWS', async () => {
    const token = await signCredential(issuer, 'bp', pass());

    const result = await verifyCredential(toQrText(token), trust, { now });

    expect([result.verdict, result.detail]).toEqual(['VALID', 'signature, type and validity verified']);
  });

  it('names the points a pass lists when it is shown at another crossing point', async () => {
    const result = await verifySigned(pass(), TYP.bp, { checkpoint: 'CDG' });

    expect([result.verdict, result.detail]).toEqual(['NOT_VALID_HERE', 'not valid at CDG: only TFT, RJY']);
  });

  it('says a port is for boats when a pass that lists it is shown there', async () => {
    const result = await verifySigned({ ...pass(), p: 'GWD' }, TYP.bp, { checkpoint: 'GWD' });

    expect([result.verdict, result.detail]).toEqual([
      'NOT_VALID_HERE',
      'not valid at GWD: a border pass is checked at crossing points, and GWD is a port',
    ]);
  });

  it('says where a vessel registration is checked when it is shown at a land post', async () => {
    const result = await verifySigned(vessel(), TYP.vr, { checkpoint: 'TFT' });

    expect([result.verdict, result.detail]).toEqual([
      'NOT_VALID_HERE',
      'not valid at TFT: a vessel registration is checked at sea crossings and ports',
    ]);
  });

  it('lists the crossing points of a pass in order', () => {
    expect(passPoints({ ...pass(), p: 'TFT RJY JWN' })).toEqual(['TFT', 'RJY', 'JWN']);
  });

  it('throws UnknownCheckpointError, by name, for a post the reference data lacks', async () => {
    const error = await verifySigned(pass(), TYP.bp, { checkpoint: 'XYZ' }).catch((e: unknown) => e);

    expect([
      error instanceof UnknownCheckpointError,
      (error as Error).name,
      (error as Error).message,
    ]).toEqual([true, 'UnknownCheckpointError', 'XYZ is not a crossing point or port code']);
  });
});

describe('keys from a bare JWKS', () => {
  it.each([
    ['null', null],
    ['an object without keys', {}],
    ['keys that are not a list', { keys: 'x' }],
  ])('refuses %s as no JWKS', async (_case, jwks) => {
    const error = await trustStoreFromJwks(jwks).catch((e: unknown) => e);

    expect([error instanceof MalformedTrustError, (error as Error).name, (error as Error).message]).toEqual([
      true,
      'MalformedTrustError',
      'a JWKS needs a "keys" array',
    ]);
  });

  it('says which key is refused and why', async () => {
    await expect(trustStoreFromJwks({ keys: [{ ...issuer.publicJwk, use: 'enc' }] })).rejects.toThrow(
      `the JWKS is refused: key ${issuer.kid} is not for signing`,
    );
  });

  it('never reports a revocation, having no list of them', async () => {
    const jwks = await trustStoreFromJwks({ keys: [issuer.publicJwk] });
    const token = await signCredential(issuer, 'bp', { ...pass(), sub: 'BP-2026-000666' });

    const result = await verifyCredential(token, jwks, { now });

    expect([result.verdict, jwks.isRevoked('BP-2026-000666'), jwks.keys.length]).toEqual(['VALID', false, 1]);
  });
});
