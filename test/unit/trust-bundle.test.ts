// The trust bundle's own checks: signed by the pinned root, of its own typ, within 8 MiB, and well formed throughout.
import { base64url } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUNDLE_LENGTH, signJwt, TYP } from '../../shared/credential.ts';
import { generateSigningKey, type Signer, signerFromPkcs8 } from '../../shared/keys.ts';
import {
  DEFAULT_BUNDLE_VALIDITY_SECONDS,
  signTrustBundle,
  type TrustBundle,
  verifyTrustBundle,
} from '../../shared/trust-bundle.ts';

const T0 = Date.parse('2026-07-01T00:00:00Z') / 1000;
let root: Signer;
let issuer: Signer;

beforeAll(async () => {
  const [a, b] = await Promise.all(
    [1, 2].map(async () => signerFromPkcs8((await generateSigningKey()).pkcs8Pem)),
  );
  [root, issuer] = [a as Signer, b as Signer];
});

const bundle = (over: Record<string, unknown> = {}) => ({
  iss: 'rahdari',
  iat: T0,
  validUntil: T0 + 3600,
  keys: [issuer.publicJwk],
  version: 3,
  revoked: ['BP-2026-000001'],
  ...over,
});

/** Verifies a payload the pinned root signed as a trust bundle: only the payload can be at fault. */
async function verifyRootSigned(over: Record<string, unknown>) {
  return verifyTrustBundle(await signJwt(root, TYP.tb, bundle(over)), root.publicJwk);
}

describe('a bundle the pinned root signed', () => {
  it('gives back the bundle and the imported pass keys', async () => {
    const result = await verifyTrustBundle(
      await signTrustBundle(root, bundle() as TrustBundle),
      root.publicJwk,
    );

    expect(result.ok && [result.bundle, result.keys.map((k) => k.kid)]).toEqual([bundle(), [issuer.kid]]);
  });

  it('is read with the line ending and spaces a download or a paste adds around it', async () => {
    const token = await signTrustBundle(root, bundle() as TrustBundle);

    const result = await verifyTrustBundle(`  ${token}\r\n`, root.publicJwk);

    expect(result.ok).toBe(true);
  });

  it.each([
    ['an issue time of zero', { iat: 0, validUntil: 0 }],
    ['a validUntil equal to its issue time', { validUntil: T0 }],
    ['version 0', { version: 0 }],
    ['a delta since version 0', { since: 0 }],
    ['a delta within its own version, a refresh', { since: 3 }],
    ['no revocations', { revoked: [] }],
    ['no keys', { keys: [] }],
  ])('takes a bundle with %s', async (_case, over) => {
    expect((await verifyRootSigned(over)).ok).toBe(true);
  });

  it.each([
    ['no iss', { iss: undefined }, 'the bundle has no iss'],
    ['a numeric iss', { iss: 1 }, 'the bundle has no iss'],
    ['no iat', { iat: undefined }, 'the bundle lacks iat or validUntil in seconds'],
    ['a negative iat', { iat: -1 }, 'the bundle lacks iat or validUntil in seconds'],
    ['an iat in fractions of seconds', { iat: T0 + 0.5 }, 'the bundle lacks iat or validUntil in seconds'],
    ['an iat as text', { iat: String(T0) }, 'the bundle lacks iat or validUntil in seconds'],
    ['no validUntil', { validUntil: undefined }, 'the bundle lacks iat or validUntil in seconds'],
    ['an iat beyond the safe integers', { iat: 2 ** 53 }, 'the bundle lacks iat or validUntil in seconds'],
    [
      'a validUntil before its issue',
      { validUntil: T0 - 1 },
      'the bundle is valid until before it was issued',
    ],
    ['no version', { version: undefined }, 'the bundle has no version'],
    ['a version as text', { version: '3' }, 'the bundle has no version'],
    ['a negative version', { version: -1 }, 'the bundle has no version'],
    ['a since after its version', { since: 4 }, 'the bundle applies since a version after its own'],
    ['a since as text', { since: '2' }, 'the bundle applies since a version after its own'],
    ['a negative since', { since: -1 }, 'the bundle applies since a version after its own'],
    ['keys that are not a list', { keys: { kty: 'EC' } }, 'the bundle has no keys array'],
    [
      'revocations that are not a list',
      { revoked: 'BP-2026-000001' },
      'the revocation list is not a list of credential numbers',
    ],
    ['no revocation list', { revoked: undefined }, 'the revocation list is not a list of credential numbers'],
    [
      'an empty credential number',
      { revoked: ['BP-2026-000001', ''] },
      'the revocation list is not a list of credential numbers',
    ],
    [
      'a credential number inside a list',
      { revoked: ['BP-2026-000001', ['BP-2026-000002']] },
      'the revocation list is not a list of credential numbers',
    ],
    [
      'a numeric credential number',
      { revoked: ['BP-2026-000001', 7] },
      'the revocation list is not a list of credential numbers',
    ],
  ])('refuses a bundle with %s as MALFORMED', async (_case, over, detail) => {
    expect(await verifyRootSigned(over)).toEqual({ ok: false, reason: 'MALFORMED', detail });
  });

  it('refuses the whole bundle when one of its keys is not a public P-256 key', async () => {
    const result = await verifyRootSigned({
      keys: [issuer.publicJwk, { ...issuer.publicJwk, crv: 'P-384' }],
    });

    expect(result).toEqual({ ok: false, reason: 'MALFORMED', detail: 'a key is not an EC P-256 key' });
  });

  it('refuses a credential signed by the root, as WRONG_TYPE naming its typ', async () => {
    const token = await signJwt(root, TYP.bp, bundle());

    expect(await verifyTrustBundle(token, root.publicJwk)).toEqual({
      ok: false,
      reason: 'WRONG_TYPE',
      detail: 'typ bp+jwt is not a trust bundle',
    });
  });
});

describe('a bundle the pinned root did not sign', () => {
  it('is refused as UNKNOWN_KEY, saying the root did not sign it', async () => {
    const token = await signTrustBundle(issuer, bundle() as TrustBundle);

    expect(await verifyTrustBundle(token, root.publicJwk)).toEqual({
      ok: false,
      reason: 'UNKNOWN_KEY',
      detail: 'the bundle is not signed by the pinned trust root',
    });
  });

  it("is refused as INVALID_SIGNATURE when another key signs it under the root's kid", async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'ES256', kid: root.kid, typ: TYP.tb }));
    const input = `${header}.${base64url.encode(JSON.stringify(bundle()))}`;
    const forged = `${input}.${base64url.encode(await issuer.sign(new TextEncoder().encode(input)))}`;

    expect(await verifyTrustBundle(forged, root.publicJwk)).toEqual({
      ok: false,
      reason: 'INVALID_SIGNATURE',
      detail: 'the signature does not verify',
    });
  });

  it('is refused as MALFORMED when it is no JWS, saying why', async () => {
    expect(await verifyTrustBundle('a.b', root.publicJwk)).toEqual({
      ok: false,
      reason: 'MALFORMED',
      detail: 'a JWS has exactly three dot-separated parts',
    });
  });

  it('is refused as MALFORMED when the pinned root itself is no public key', async () => {
    const token = await signTrustBundle(root, bundle() as TrustBundle);

    expect(await verifyTrustBundle(token, { ...root.publicJwk, kty: 'RSA' } as never)).toEqual({
      ok: false,
      reason: 'MALFORMED',
      detail: 'the pinned root: a key is not an EC P-256 key',
    });
  });
});

describe('the 8 MiB limit on a bundle', () => {
  it('is 8 MiB', () => {
    expect(MAX_BUNDLE_LENGTH).toBe(8 * 1024 * 1024);
  });

  it('takes a root-signed bundle far beyond the 64 KiB a credential may have', async () => {
    const revoked = Array.from({ length: 10_000 }, (_, i) => `BP-2026-${String(i).padStart(6, '0')}`);
    const token = await signTrustBundle(root, bundle({ revoked }) as TrustBundle);

    const result = await verifyTrustBundle(token, root.publicJwk);

    expect([token.length > 128 * 1024, result.ok]).toEqual([true, true]);
  });

  it('refuses a bundle one character over 8 MiB before parsing it', async () => {
    const token = `..${'A'.repeat(MAX_BUNDLE_LENGTH - 1)}`;

    expect(await verifyTrustBundle(token, root.publicJwk)).toEqual({
      ok: false,
      reason: 'MALFORMED',
      detail: 'longer than 8388608 characters',
    });
  });

  it('parses a bundle of exactly 8 MiB', async () => {
    const token = `..${'A'.repeat(MAX_BUNDLE_LENGTH - 2)}`;

    const result = await verifyTrustBundle(token, root.publicJwk);

    expect(result).toEqual({ ok: false, reason: 'MALFORMED', detail: 'a part is not base64url text' });
  });
});

describe('the default validity of a revocation list', () => {
  it('is 72 hours, as the server issues it unless told otherwise', () => {
    expect(DEFAULT_BUNDLE_VALIDITY_SECONDS).toBe(72 * 60 * 60);
  });
});
