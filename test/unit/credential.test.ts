// Properties of signing and offline verification: what is signed verifies, and no one-character change ever does.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PassClaims,
  signCredential,
  type TrustStore,
  trustStoreFromJwks,
  verifyCredential,
} from '../../shared/credential.ts';
import { generateSigningKey, kidOf, type Signer, signerFromPkcs8 } from '../../shared/keys.ts';
import { toQrText } from '../../shared/qr.ts';
import { applyBundle, BundleRefused, type TrustBundle } from '../../shared/trust-bundle.ts';

let signer: Signer;
let trust: TrustStore;
const now = new Date('2026-07-01T00:00:00Z');
const nowSeconds = now.getTime() / 1000;

beforeAll(async () => {
  signer = await signerFromPkcs8((await generateSigningKey()).pkcs8Pem);
  trust = { ...(await trustStoreFromJwks({ keys: [signer.publicJwk] })), revoked: new Set() };
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

describe('trust bundle deltas', () => {
  const full: TrustBundle = {
    iss: 'rahdari',
    iat: 1,
    validUntil: 2,
    keys: [],
    version: 4,
    revoked: ['BP-2026-000001'],
  };

  it('a delta on top of the stored version adds its revocations', () => {
    const delta = { ...full, iat: 5, version: 6, since: 4, revoked: ['BP-2026-000007'] };
    expect(applyBundle(full, delta)).toEqual({
      ...full,
      iat: 5,
      version: 6,
      revoked: ['BP-2026-000001', 'BP-2026-000007'],
    });
  });

  it('a delta from another version is refused rather than applied', () => {
    expect(() => applyBundle(full, { ...full, version: 9, since: 7, revoked: [] })).toThrow(/cannot apply/);
  });

  it('an older full bundle never replaces a newer one, so a replay cannot undo revocations', () => {
    expect(() => applyBundle(full, { ...full, version: 3, revoked: [] })).toThrow(BundleRefused);
    expect(() => applyBundle(full, { ...full, iat: 0 })).toThrow(/older than the stored/);
  });

  it('a newer full bundle replaces the stored one', () => {
    const newer = { ...full, iat: 9, version: 5, revoked: ['BP-2026-000001', 'BP-2026-000002'] };
    expect(applyBundle(full, newer)).toEqual(newer);
  });
});
