// Properties of signing and offline verification: what is signed verifies, and no one-character change ever does.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PassClaims,
  parseJws,
  signCredential,
  trustStoreFromJwks,
  UnknownCheckpointError,
  verifyCredential,
} from '../../shared/credential.ts';
import { CHECKPOINT_CODES } from '../../shared/domain/reference.ts';
import { generateSigningKey, kidOf, type Signer, signerFromPkcs8 } from '../../shared/keys.ts';
import { toQrText } from '../../shared/qr.ts';
import { signTrustBundle } from '../../shared/trust-bundle.ts';
import { TrustState } from '../../shared/trust-state.ts';

let signer: Signer;
let trust: TrustState;
const now = new Date('2026-07-01T00:00:00Z');
const nowSeconds = now.getTime() / 1000;

beforeAll(async () => {
  signer = await signerFromPkcs8((await generateSigningKey()).pkcs8Pem);
  const root = await signerFromPkcs8((await generateSigningKey()).pkcs8Pem);
  const bundle = await signTrustBundle(root, {
    iss: 'rahdari',
    iat: nowSeconds,
    validUntil: nowSeconds + 86400,
    keys: [signer.publicJwk],
    version: 1,
    revoked: [],
  });
  const started = await TrustState.fromFullBundle(bundle, root.publicJwk, nowSeconds);
  if (!started.ok) throw new Error(started.detail);
  trust = started.state;
});

const passClaims: fc.Arbitrary<PassClaims> = fc.record({
  sub: fc.integer({ min: 1, max: 999_999 }).map((n) => `BP-2026-${String(n).padStart(6, '0')}`),
  nbf: fc.integer({ min: nowSeconds - 300 * 86400, max: nowSeconds }),
  exp: fc.integer({ min: nowSeconds + 301, max: nowSeconds + 365 * 86400 }),
  n: fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
  f: fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
  c: fc.integer({ min: 1_000_000_000_000, max: 7_999_999_999_999 }),
  p: fc
    .subarray(['TFT', 'RJY', 'MSK', 'CDG', 'JRK', 'MND', 'GBD', 'JWN'], { minLength: 1 })
    .map((p) => p.join(' ')),
});

const JWS_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

describe('signing and verifying a border pass', () => {
  it('the kid is the first 8 characters of the RFC 7638 thumbprint', async () => {
    const { x, y } = signer.publicJwk;
    // RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
    const canonical = `{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`;
    const thumbprint = createHash('sha256').update(canonical).digest('base64url');
    expect(await kidOf({ x, y })).toBe(thumbprint.slice(0, 8));
  });

  it('any valid pass claims sign and verify as VALID', async () => {
    await fc.assert(
      fc.asyncProperty(passClaims, async (claims) => {
        const token = await signCredential(signer, 'bp', claims);
        const result = await verifyCredential(toQrText(token), trust, { now, kind: 'bp' });
        expect(result.verdict).toBe('VALID');
        expect(result.claims).toEqual(claims);
      }),
      { numRuns: 100 },
    );
  });

  it('any single-character change to a signed token is never VALID', async () => {
    const claims: PassClaims = {
      sub: 'BP-2026-000123',
      nbf: nowSeconds - 86400,
      exp: nowSeconds + 86400 * 90,
      n: 'Abdul Ghafoor Sanjrani',
      f: 'Haji Muhammad Hassan',
      c: 5410112345673,
      p: 'TFT RJY',
    };
    const token = await signCredential(signer, 'bp', claims);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...JWS_ALPHABET),
        async (position, replacement) => {
          fc.pre(token[position] !== replacement);
          const changed = token.slice(0, position) + replacement + token.slice(position + 1);
          const result = await verifyCredential(changed, trust, { now });
          expect(result.verdict).not.toBe('VALID');
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('the strict header profile', () => {
  const payload = base64url.encode('{}');
  const signature = base64url.encode(new Uint8Array(64));
  const withHeader = (header: object) =>
    `${base64url.encode(JSON.stringify(header))}.${payload}.${signature}`;

  it('accepts a header of exactly alg, kid and typ in any order', () => {
    expect(typeof parseJws(withHeader({ typ: 'bp+jwt', kid: 'abcdefgh', alg: 'ES256' }))).toBe('object');
  });

  it.each(['jwk', 'jku', 'x5u', 'x5c', 'crit', 'b64', 'cty', 'zip'])(
    'refuses a header that adds %s',
    (member) => {
      const parsed = parseJws(withHeader({ alg: 'ES256', kid: 'abcdefgh', typ: 'bp+jwt', [member]: 'x' }));
      expect(parsed).toBe(`the header has the member ${member}: only alg, kid and typ are allowed`);
    },
  );
});

const claims = (): PassClaims => ({
  sub: 'BP-2026-000123',
  nbf: nowSeconds - 86400,
  exp: nowSeconds + 86400,
  n: 'Abdul Ghafoor Sanjrani',
  f: 'Haji Muhammad Hassan',
  c: 5410112345673,
  p: 'TFT RJY JWN GWD',
});

describe('where a credential is valid', () => {
  it('a pass listing every kind of post is valid at its crossing points and nowhere else', async () => {
    const token = await signCredential(signer, 'bp', claims());
    const verdicts: Record<string, string> = {};
    for (const checkpoint of CHECKPOINT_CODES) {
      verdicts[checkpoint] = (await verifyCredential(token, trust, { now, checkpoint })).verdict;
    }
    const valid = Object.keys(verdicts).filter((code) => verdicts[code] === 'VALID');
    expect(valid).toEqual(['TFT', 'RJY', 'JWN']);
  });

  it('a vessel registration is valid at the sea crossing and every port, at no land post', async () => {
    const token = await signCredential(signer, 'vr', {
      sub: 'VR-2026-000045',
      nbf: nowSeconds - 86400,
      exp: nowSeconds + 86400,
      n: 'Al-Madina',
      o: 'Karim Bakhsh Baloch',
      c: 5220198765431,
      h: 'JWN',
      m: 8,
    });
    const valid: string[] = [];
    for (const checkpoint of CHECKPOINT_CODES) {
      if ((await verifyCredential(token, trust, { now, checkpoint })).verdict === 'VALID')
        valid.push(checkpoint);
    }
    expect(valid.sort()).toEqual(
      ['JWN', 'PSK', 'GWD', 'PSN', 'ORM', 'DMB', 'GDN', 'KFH', 'KRG', 'IBH', 'KTB', 'SHB'].sort(),
    );
  });

  it('an unknown checkpoint code is refused as bad input, not given a verdict', async () => {
    const token = await signCredential(signer, 'bp', claims());
    await expect(verifyCredential(token, trust, { now, checkpoint: 'XYZ' })).rejects.toThrow(
      UnknownCheckpointError,
    );
    await expect(verifyCredential(token, trust, { now, checkpoint: 'tft' })).rejects.toThrow(
      /not a crossing point/,
    );
  });
});

describe('keys from a bare JWKS', () => {
  it('verify signatures, but every verdict says trust is not rooted and revocation unknown', async () => {
    const jwks = await trustStoreFromJwks({ keys: [signer.publicJwk] });
    const token = await signCredential(signer, 'bp', claims());
    const result = await verifyCredential(token, jwks, { now });
    expect(result).toMatchObject({ verdict: 'VALID', warnings: ['UNROOTED', 'REVOCATION_UNKNOWN'] });
  });

  it.each([
    ['private part d', { d: 'x'.repeat(43) }],
    ['another curve', { crv: 'P-384' }],
    ['an unknown member', { x5u: 'https://example.org/key' }],
    ['a padded x', { x: `${'A'.repeat(42)}=` }],
    ['a 33-byte y', { y: 'A'.repeat(44) }],
    ['an RSA kty', { kty: 'RSA' }],
    ['a non-ES256 alg', { alg: 'RS256' }],
  ])('refuse the whole JWKS when a key has %s', async (_name, change) => {
    await expect(
      trustStoreFromJwks({ keys: [signer.publicJwk, { ...signer.publicJwk, ...change }] }),
    ).rejects.toThrow(/the JWKS is refused/);
  });
});

describe('a pilgrim group on a border pass', () => {
  const member: PassClaims = {
    sub: 'BP-2026-000451',
    nbf: nowSeconds - 3600,
    exp: nowSeconds + 30 * 86400,
    n: 'Syeda Kaneez Fatima Naqvi',
    f: 'Syed Ghulam Abbas Naqvi',
    c: 3_520_212_345_678,
    p: 'TFT',
    g: 'ZG-2026-00012',
  };
  const verify = async (claims: object) =>
    verifyCredential(await signCredential(signer, 'bp', claims as PassClaims), trust, {
      now,
      checkpoint: 'TFT',
    });

  it("keeps a member's group number and a group pass's size among the claims", async () => {
    const groupPass = { ...member, sub: 'ZG-2026-00012', s: 50 };

    expect(await verify(member)).toMatchObject({ verdict: 'VALID', claims: { g: 'ZG-2026-00012' } });
    expect(await verify(groupPass)).toMatchObject({
      verdict: 'VALID',
      claims: { sub: 'ZG-2026-00012', s: 50 },
    });
  });

  it.each([
    ['a group that is not a group number', { g: 'ZG-26-12' }],
    ['a group that is not text', { g: 12 }],
    ['a size with no group', { g: undefined, s: 50 }],
    ["a size on a member's own pass", { s: 50 }],
    ['a size that is not a whole number', { sub: 'ZG-2026-00012', s: 2.5 }],
  ])('calls %s malformed', async (_what, change) => {
    expect((await verify({ ...member, ...change })).verdict).toBe('MALFORMED');
  });
});
