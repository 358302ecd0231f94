// ES256 keys: generation, the short kid, public JWKs, and the Signer every issuer (local key or KMS) implements.
import {
  base64url,
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  importPKCS8,
} from 'jose';

/** A P-256 public key as published in the JWKS and the trust bundle. */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/**
 * Produces raw ES256 signatures (r‖s, 64 bytes) over a JWS signing input.
 * Implemented by a PKCS#8 key on disk locally and by KMS in AWS, so issuing code never sees key material.
 */
export interface Signer {
  readonly kid: string;
  readonly publicJwk: PublicJwk;
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}

export const KID_LENGTH = 8;

/** The kid: the first 8 characters of the key's RFC 7638 SHA-256 thumbprint (short keeps the QR small). */
export async function kidOf(jwk: { x?: string; y?: string }): Promise<string> {
  if (!jwk.x || !jwk.y) throw new Error('an EC public key needs x and y');
  const thumbprint = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, 'sha256');
  return thumbprint.slice(0, KID_LENGTH);
}

/** The published form of a P-256 public key: only public members, with its kid. */
export async function toPublicJwk(jwk: {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
}): Promise<PublicJwk> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error('not a P-256 EC key');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: await kidOf(jwk), alg: 'ES256', use: 'sig' };
}

export async function importPublicKey(jwk: PublicJwk): Promise<CryptoKey> {
  const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'ES256');
  return key as CryptoKey;
}

/** A verifying key and the kid credentials name it by. */
export interface TrustedKey {
  kid: string;
  key: CryptoKey;
}

// The members a published P-256 verifying key may carry. Anything else (d above all, but also x5u, jku, a
// second curve's members) means the key did not come from our JWKS and is refused rather than half-read.
const PUBLIC_JWK_MEMBERS = new Set(['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use']);
const COORDINATE = /^[A-Za-z0-9_-]{43}$/;

function coordinateProblem(name: 'x' | 'y', value: unknown): string | undefined {
  if (typeof value !== 'string') return `${name} is missing`;
  // 32 bytes are exactly 43 unpadded base64url characters; the re-encoding check refuses a second spelling.
  if (!COORDINATE.test(value)) return `${name} is not 32 bytes of base64url`;
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(value);
  } catch {
    return `${name} is not base64url`;
  }
  if (bytes.length !== 32 || base64url.encode(bytes) !== value) return `${name} is not canonical base64url`;
  return undefined;
}

/**
 * Checks that a value from a bundle, a JWKS or a root file is a P-256 public JWK and imports it. Returns a
 * one-line reason instead of throwing, so a damaged key makes its whole container refused, never a crash.
 */
export async function checkPublicJwk(
  value: unknown,
): Promise<{ ok: true; jwk: PublicJwk; key: CryptoKey } | { ok: false; reason: string }> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: 'a key is not a JSON object' };
  const jwk = value as Record<string, unknown>;
  if ('d' in jwk) return { ok: false, reason: 'a key holds private key material (d)' };
  const extra = Object.keys(jwk).find((member) => !PUBLIC_JWK_MEMBERS.has(member));
  if (extra !== undefined) return { ok: false, reason: `a key has the unexpected member ${extra}` };
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') return { ok: false, reason: 'a key is not an EC P-256 key' };
  if (typeof jwk.kid !== 'string' || jwk.kid.length === 0) return { ok: false, reason: 'a key has no kid' };
  if (jwk.alg !== undefined && jwk.alg !== 'ES256')
    return { ok: false, reason: `key ${jwk.kid} is not for ES256` };
  if (jwk.use !== undefined && jwk.use !== 'sig')
    return { ok: false, reason: `key ${jwk.kid} is not for signing` };
  const problem = coordinateProblem('x', jwk.x) ?? coordinateProblem('y', jwk.y);
  if (problem) return { ok: false, reason: `key ${jwk.kid}: ${problem}` };
  const checked: PublicJwk = {
    kty: 'EC',
    crv: 'P-256',
    x: jwk.x as string,
    y: jwk.y as string,
    kid: jwk.kid,
    alg: 'ES256',
    use: 'sig',
  };
  try {
    // WebCrypto refuses a point that is not on the curve.
    return { ok: true, jwk: checked, key: await importPublicKey(checked) };
  } catch {
    return { ok: false, reason: `key ${jwk.kid} is not a point on P-256` };
  }
}

/** A new P-256 key pair: the private key as PKCS#8 PEM and its public JWK. */
export async function generateSigningKey(): Promise<{ pkcs8Pem: string; publicJwk: PublicJwk }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    pkcs8Pem: await exportPKCS8(privateKey),
    publicJwk: await toPublicJwk(await exportJWK(publicKey)),
  };
}

/** A Signer over a PKCS#8 P-256 private key, signing with WebCrypto (which yields raw r‖s). */
export async function signerFromPkcs8(pem: string): Promise<Signer> {
  const privateKey = await importPKCS8(pem, 'ES256', { extractable: true });
  const publicJwk = await toPublicJwk(await exportJWK(privateKey));
  // Re-import without extractability so the signing key cannot be read back out of this object.
  const signingKey = await importPKCS8(pem, 'ES256');
  return {
    kid: publicJwk.kid,
    publicJwk,
    async sign(signingInput) {
      const signature = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        signingKey,
        signingInput as Uint8Array<ArrayBuffer>,
      );
      return new Uint8Array(signature);
    },
  };
}
