// The KMS Signer against a mocked KMS that signs for real with a local P-256 key: its JWS verify, its kid is right,
// and DER signatures convert to raw r‖s exactly.
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import fc from 'fast-check';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { signJwt } from '../../shared/credential.ts';
import {
  clearPublicKeyCache,
  DerSignatureError,
  derToRawSignature,
  kmsPublicKeys,
  kmsSigner,
} from '../../signing/kms-signer.ts';

const KEY_ID = 'arn:aws:kms:ap-south-1:111122223333:key/0b3f3a55-0000-4000-8000-000000000001';
const OTHER_KEY_ID = 'arn:aws:kms:ap-south-1:111122223333:key/0b3f3a55-0000-4000-8000-000000000002';

/**
 * P-256 ECDSA over a given digest. KMS with MessageType DIGEST signs the 32 bytes it is sent without hashing them
 * again, and node:crypto has no such call (it always hashes), so the mock does the curve arithmetic itself. That
 * its signatures are real is checked against node:crypto's verify below.
 */
const P256 = {
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
  g: {
    x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  },
};
type Point = { x: bigint; y: bigint } | null;

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function invert(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

function addPoints(p1: Point, p2: Point): Point {
  if (!p1) return p2;
  if (!p2) return p1;
  const { p } = P256;
  if (p1.x === p2.x && mod(p1.y + p2.y, p) === 0n) return null;
  const slope =
    p1.x === p2.x
      ? mod((3n * p1.x * p1.x + P256.a) * invert(2n * p1.y, p), p)
      : mod((p2.y - p1.y) * invert(p2.x - p1.x, p), p);
  const x = mod(slope * slope - p1.x - p2.x, p);
  return { x, y: mod(slope * (p1.x - x) - p1.y, p) };
}

function multiply(k: bigint, point: Point): Point {
  let result: Point = null;
  let addend = point;
  for (let rest = k; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = addPoints(result, addend);
    addend = addPoints(addend, addend);
  }
  return result;
}

const toBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] as number) & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return Buffer.concat([Buffer.of(0x02, bytes.length), bytes]);
}

function derSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.of(0x30, body.length), body]);
}

/** The DER ECDSA signature KMS would return for a 32-byte digest and private scalar d. */
function signDigest(d: bigint, digest: Uint8Array): Buffer {
  const e = toBigInt(digest);
  for (;;) {
    const k = mod(toBigInt(randomBytes(40)), P256.n - 1n) + 1n;
    const point = multiply(k, P256.g);
    if (!point) continue;
    const r = mod(point.x, P256.n);
    const s = mod(invert(k, P256.n) * (e + r * d), P256.n);
    if (r !== 0n && s !== 0n) return derSignature(r, s);
  }
}

function localKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const d = privateKey.export({ format: 'jwk' }).d as string;
  return {
    privateKey,
    publicKey,
    scalar: toBigInt(Buffer.from(d, 'base64url')),
    spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
  };
}

const key = localKey();
const otherKey = localKey();
const kms = mockClient(KMSClient);
const client = new KMSClient({ region: 'ap-south-1' });

function publicKeyAnswer(spki: Uint8Array) {
  return {
    PublicKey: spki,
    KeySpec: 'ECC_NIST_P256' as const,
    KeyUsage: 'SIGN_VERIFY' as const,
    SigningAlgorithms: ['ECDSA_SHA_256' as const],
  };
}

beforeEach(() => {
  clearPublicKeyCache();
  kms.reset();
  kms.on(GetPublicKeyCommand, { KeyId: KEY_ID }).resolves(publicKeyAnswer(key.spki));
  kms.on(GetPublicKeyCommand, { KeyId: OTHER_KEY_ID }).resolves(publicKeyAnswer(otherKey.spki));
  kms.on(SignCommand).callsFake(({ KeyId, Message, MessageType, SigningAlgorithm }) => {
    if (KeyId !== KEY_ID || MessageType !== 'DIGEST' || SigningAlgorithm !== 'ECDSA_SHA_256') {
      throw new Error('ValidationException: unexpected Sign request');
    }
    if (Message?.length !== 32) throw new Error('ValidationException: a SHA-256 digest is 32 bytes');
    return { KeyId, SigningAlgorithm, Signature: new Uint8Array(signDigest(key.scalar, Message)) };
  });
});

const samplePass = {
  sub: 'BP-2026-000123',
  nbf: 1_780_000_000,
  exp: 1_795_000_000,
  n: 'Abdul Ghafoor Sanjrani',
  f: 'Haji Muhammad Hassan',
  c: 5_410_112_345_673,
  p: 'TFT RJY',
};

function rfc7638Thumbprint(publicKey: KeyObject): string {
  const { x, y } = publicKey.export({ format: 'jwk' });
  return createHash('sha256').update(`{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`).digest('base64url');
}

describe('the mock KMS signs for real', () => {
  it('its digest signatures verify with node:crypto as ECDSA with SHA-256 over the message', () => {
    const message = Buffer.from('rahdari');
    const signature = signDigest(key.scalar, createHash('sha256').update(message).digest());
    expect(verify('sha256', message, { key: key.publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
  });
});

describe('kmsSigner', () => {
  it('produces a JWS that verifies with the KMS key’s public key', async () => {
    const signer = await kmsSigner(client, KEY_ID);
    const jws = await signJwt(signer, 'bp+jwt', samplePass);
    const { payload, protectedHeader } = await compactVerify(jws, key.publicKey, { algorithms: ['ES256'] });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(samplePass);
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: signer.kid, typ: 'bp+jwt' });
  });

  it('names the key by the first 8 characters of its RFC 7638 thumbprint', async () => {
    const signer = await kmsSigner(client, KEY_ID);
    expect(signer.kid).toBe(rfc7638Thumbprint(key.publicKey).slice(0, 8));
    expect(decodeProtectedHeader(await signJwt(signer, 'bp+jwt', samplePass)).kid).toBe(signer.kid);
  });

  it('publishes the public key exactly as KMS holds it', async () => {
    const signer = await kmsSigner(client, KEY_ID);
    const { x, y } = key.publicKey.export({ format: 'jwk' });
    expect(signer.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', x, y, alg: 'ES256', use: 'sig' });
    expect(createPublicKey({ key: { ...signer.publicJwk }, format: 'jwk' }).equals(key.publicKey)).toBe(true);
  });

  it('sends KMS only the SHA-256 digest of the signing input, as ECDSA_SHA_256 over a DIGEST', async () => {
    const signer = await kmsSigner(client, KEY_ID);
    const jws = await signJwt(signer, 'bp+jwt', samplePass);
    const signingInput = jws.slice(0, jws.lastIndexOf('.'));
    expect(kms).toHaveReceivedCommandExactlyOnceWith(SignCommand, {
      KeyId: KEY_ID,
      Message: new Uint8Array(createHash('sha256').update(signingInput).digest()),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
  });

  it('signs a payload larger than the 4 KB KMS accepts as a raw message', async () => {
    const signer = await kmsSigner(client, KEY_ID);
    const bulky = { sub: 'TB-1', revoked: Array.from({ length: 600 }, (_, i) => `BP-2026-${i}`) };
    const jws = await signJwt(signer, 'tb+jwt', bulky);
    expect(jws.length).toBeGreaterThan(8 * 1024);
    await expect(compactVerify(jws, key.publicKey, { algorithms: ['ES256'] })).resolves.toBeDefined();
  });

  it('asks KMS for a public key once however many signers and key lists use it', async () => {
    await kmsSigner(client, KEY_ID);
    await Promise.all([kmsSigner(client, KEY_ID), kmsPublicKeys(client, [KEY_ID, KEY_ID])]);
    expect(kms).toHaveReceivedCommandTimes(GetPublicKeyCommand, 1);
  });

  it('retries GetPublicKey after a failure instead of caching it', async () => {
    kms
      .on(GetPublicKeyCommand, { KeyId: KEY_ID })
      .rejectsOnce(new Error('ThrottlingException'))
      .resolves(publicKeyAnswer(key.spki));
    await expect(kmsSigner(client, KEY_ID)).rejects.toThrow('ThrottlingException');
    await expect(kmsSigner(client, KEY_ID)).resolves.toMatchObject({ kid: expect.any(String) });
    expect(kms).toHaveReceivedCommandTimes(GetPublicKeyCommand, 2);
  });

  it('refuses a key that is not a P-256 signing key', async () => {
    kms
      .on(GetPublicKeyCommand, { KeyId: KEY_ID })
      .resolves({ ...publicKeyAnswer(key.spki), KeySpec: 'ECC_SECG_P256K1' });
    await expect(kmsSigner(client, KEY_ID)).rejects.toThrow('not ECC_NIST_P256');
    kms
      .on(GetPublicKeyCommand, { KeyId: KEY_ID })
      .resolves({ ...publicKeyAnswer(key.spki), KeyUsage: 'ENCRYPT_DECRYPT' });
    await expect(kmsSigner(client, KEY_ID)).rejects.toThrow('not SIGN_VERIFY');
  });
});

describe('kmsPublicKeys', () => {
  it('returns each key’s JWK in the order the key ids are given', async () => {
    const jwks = await kmsPublicKeys(client, [OTHER_KEY_ID, KEY_ID]);
    expect(jwks.map((jwk) => jwk.kid)).toEqual([
      rfc7638Thumbprint(otherKey.publicKey).slice(0, 8),
      rfc7638Thumbprint(key.publicKey).slice(0, 8),
    ]);
  });
});

describe('derToRawSignature', () => {
  const message = fc.uint8Array({ minLength: 0, maxLength: 256 });

  it('turns any real DER signature into the raw r‖s that verifies and re-encodes to the same DER', () => {
    fc.assert(
      fc.property(message, (bytes) => {
        const der = sign('sha256', bytes, { key: key.privateKey, dsaEncoding: 'der' });
        const raw = derToRawSignature(der);
        expect(raw).toHaveLength(64);
        expect(verify('sha256', bytes, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
        expect(derSignature(toBigInt(raw.subarray(0, 32)), toBigInt(raw.subarray(32)))).toEqual(der);
      }),
      { numRuns: 2000 },
    );
  });

  it('left-pads an r or s that DER writes in fewer than 32 bytes', () => {
    // About 1 signature in 128 has an r or s below 2^248; search until one turns up.
    const message = Buffer.from('short integer');
    let der = sign('sha256', message, { key: key.privateKey, dsaEncoding: 'der' });
    while (der.length >= 70) der = sign('sha256', message, { key: key.privateKey, dsaEncoding: 'der' });
    const raw = derToRawSignature(der);
    expect(raw[0] === 0 || raw[32] === 0).toBe(true);
    expect(verify('sha256', message, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
  });

  const ONE = [0x02, 0x01, 0x01];
  const malformed: [string, number[]][] = [
    ['nothing at all', []],
    ['a SET instead of a SEQUENCE', [0x31, 0x06, ...ONE, ...ONE]],
    ['a SEQUENCE length with no content', [0x30]],
    ['a SEQUENCE length beyond the bytes', [0x30, 0x07, ...ONE, ...ONE]],
    ['a trailing byte', [0x30, 0x07, ...ONE, ...ONE, 0x00]],
    ['a long-form SEQUENCE length', [0x30, 0x81, 0x06, ...ONE, ...ONE]],
    ['an OCTET STRING for r', [0x30, 0x06, 0x04, 0x01, 0x01, ...ONE]],
    ['an empty r', [0x30, 0x05, 0x02, 0x00, ...ONE]],
    ['a zero s', [0x30, 0x06, ...ONE, 0x02, 0x01, 0x00]],
    ['a negative r', [0x30, 0x06, 0x02, 0x01, 0x81, ...ONE]],
    ['a superfluous leading zero', [0x30, 0x07, 0x02, 0x02, 0x00, 0x01, ...ONE]],
    ['a missing s', [0x30, 0x03, ...ONE]],
    ['an s running past the end', [0x30, 0x06, ...ONE, 0x02, 0x02, 0x01]],
    ['an r of 33 significant bytes', [0x30, 0x26, 0x02, 0x21, ...Array(33).fill(0x01), ...ONE]],
    ['an r equal to the group order', [...derSignature(P256.n, 1n)]],
  ];

  it.each(malformed)('refuses %s', (_, bytes) => {
    expect(() => derToRawSignature(Uint8Array.from(bytes))).toThrow(DerSignatureError);
  });

  it('accepts the smallest well-formed signature', () => {
    const raw = derToRawSignature(Uint8Array.from([0x30, 0x06, ...ONE, ...ONE]));
    expect(raw[31]).toBe(1);
    expect(raw[63]).toBe(1);
    expect(raw.filter((byte) => byte !== 0)).toHaveLength(2);
  });
});
