// ES256 signing with an asymmetric KMS key (ECC_NIST_P256): the Signer the issuing functions use in AWS.
import { createHash } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { type PublicJwk, type Signer, toPublicJwk } from '../shared/keys.ts';

/** Bytes in each of r and s for P-256. */
const COORDINATE_BYTES = 32;
/** The order of the P-256 group: r and s must lie in [1, n - 1]. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export class DerSignatureError extends Error {
  constructor(message: string) {
    super(`not a DER ECDSA P-256 signature: ${message}`);
    this.name = 'DerSignatureError';
  }
}

/**
 * Public keys never change for a KMS key id, so each is fetched once per container and shared by every
 * invocation. The promise is cached so concurrent cold-start calls share one GetPublicKey; a failure is
 * forgotten so the next call retries.
 */
const publicKeyCache = new Map<string, Promise<PublicJwk>>();

/** Forgets cached public keys (tests, or a key id reused in another account). */
export function clearPublicKeyCache(): void {
  publicKeyCache.clear();
}

/** The published JWK (with its kid) of a KMS P-256 signing key, fetched once per key id. */
export function kmsPublicKey(client: KMSClient, keyId: string): Promise<PublicJwk> {
  let cached = publicKeyCache.get(keyId);
  if (!cached) {
    cached = fetchPublicKey(client, keyId);
    publicKeyCache.set(keyId, cached);
    cached.catch(() => publicKeyCache.delete(keyId));
  }
  return cached;
}

/** The published JWKs of several KMS keys, in the order given (the JWKS and trust bundle list them so). */
export function kmsPublicKeys(client: KMSClient, keyIds: readonly string[]): Promise<PublicJwk[]> {
  return Promise.all(keyIds.map((keyId) => kmsPublicKey(client, keyId)));
}

async function fetchPublicKey(client: KMSClient, keyId: string): Promise<PublicJwk> {
  const answer = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  // A key of another spec or usage would sign something no verifier accepts: refuse it before it is used.
  if (answer.KeySpec !== 'ECC_NIST_P256') {
    throw new Error(`KMS key ${keyId} is ${answer.KeySpec ?? 'of unknown spec'}, not ECC_NIST_P256`);
  }
  if (answer.KeyUsage !== 'SIGN_VERIFY') {
    throw new Error(`KMS key ${keyId} has usage ${answer.KeyUsage ?? 'unknown'}, not SIGN_VERIFY`);
  }
  if (!answer.PublicKey) throw new Error(`KMS returned no public key for ${keyId}`);
  const spki = await crypto.subtle.importKey(
    'spki',
    answer.PublicKey as Uint8Array<ArrayBuffer>,
    { name: 'ECDSA', namedCurve: 'P-256' },
    true,
    ['verify'],
  );
  return toPublicJwk(await crypto.subtle.exportKey('jwk', spki));
}

/**
 * A Signer over a KMS ECC_NIST_P256 key. KMS is sent the SHA-256 digest of the signing input (MessageType
 * DIGEST) rather than the input itself: messages over KMS's 4 KB limit still sign, and less data leaves the
 * function. KMS answers in DER; JWS needs raw r‖s.
 */
export async function kmsSigner(client: KMSClient, keyId: string): Promise<Signer> {
  const publicJwk = await kmsPublicKey(client, keyId);
  return {
    kid: publicJwk.kid,
    publicJwk,
    async sign(signingInput) {
      const digest = createHash('sha256').update(signingInput).digest();
      const answer = await client.send(
        new SignCommand({
          KeyId: keyId,
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      if (!answer.Signature) throw new Error(`KMS returned no signature for ${keyId}`);
      return derToRawSignature(answer.Signature);
    },
  };
}

/**
 * Converts a DER-encoded ECDSA P-256 signature (SEQUENCE { INTEGER r, INTEGER s }) to the raw 64-byte r‖s form
 * JWS uses. Parsing is strict: canonical lengths, minimal positive integers in [1, n - 1], no trailing bytes.
 */
export function derToRawSignature(der: Uint8Array): Uint8Array {
  if (der[0] !== 0x30) throw new DerSignatureError('does not start with a SEQUENCE');
  const sequenceLength = der[1];
  if (sequenceLength === undefined) throw new DerSignatureError('ends before the SEQUENCE length');
  // Two INTEGERs of at most 33 bytes each make at most 70 content bytes, so DER allows only the short form.
  if (sequenceLength >= 0x80) throw new DerSignatureError('a P-256 signature uses a short-form length');
  if (sequenceLength !== der.length - 2) {
    throw new DerSignatureError(`SEQUENCE length ${sequenceLength} but ${der.length - 2} bytes follow`);
  }
  const raw = new Uint8Array(COORDINATE_BYTES * 2);
  const afterR = readInteger(der, 2, raw, 0, 'r');
  const afterS = readInteger(der, afterR, raw, COORDINATE_BYTES, 's');
  if (afterS !== der.length) throw new DerSignatureError('bytes follow the second INTEGER');
  return raw;
}

/** Reads one INTEGER at `offset` into `raw` at `into`, left-padded to 32 bytes; returns the offset after it. */
function readInteger(der: Uint8Array, offset: number, raw: Uint8Array, into: number, name: string): number {
  if (der[offset] !== 0x02) throw new DerSignatureError(`${name} is not an INTEGER`);
  const length = der[offset + 1];
  if (length === undefined) throw new DerSignatureError(`ends before the length of ${name}`);
  const start = offset + 2;
  const end = start + length;
  if (length === 0) throw new DerSignatureError(`${name} is empty`);
  if (end > der.length) throw new DerSignatureError(`${name} runs past the end`);
  const first = der[start] as number;
  if (first & 0x80) throw new DerSignatureError(`${name} is negative`);
  // A leading zero byte is only there to keep a high bit from reading as a sign; anywhere else it is not DER.
  if (first === 0 && length > 1 && ((der[start + 1] as number) & 0x80) === 0) {
    throw new DerSignatureError(`${name} has a superfluous leading zero`);
  }
  const magnitude = der.subarray(first === 0 ? start + 1 : start, end);
  if (magnitude.length > COORDINATE_BYTES) throw new DerSignatureError(`${name} is longer than 32 bytes`);
  let value = 0n;
  for (const byte of magnitude) value = (value << 8n) | BigInt(byte);
  if (value === 0n || value >= P256_ORDER) throw new DerSignatureError(`${name} is outside [1, n - 1]`);
  raw.set(magnitude, into + COORDINATE_BYTES - magnitude.length);
  return end;
}
