// ES256 keys: generation, the short kid, public JWKs, and the Signer every issuer (local key or KMS) implements.
import {
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
