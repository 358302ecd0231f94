// Credentials as standard compact JWS JWTs (ES256 only): signing through a Signer, and offline verification to a verdict.
import { base64url, compactVerify } from 'jose';
import { importPublicKey, type PublicJwk, type Signer } from './keys.ts';
import { fromQrText, QrTextError } from './qr-text.ts';

export type CredentialKind = 'bp' | 'vr';

/** The JOSE `typ` of each kind: one kind can never pass for another. */
export const TYP = { bp: 'bp+jwt', vr: 'vr+jwt', tb: 'tb+jwt' } as const;

/**
 * Border pass claims. Short names and no `iss` keep the QR small (the kid and the trust bundle already say who
 * issued it); each claim is documented in docs/credential-format.md.
 */
export interface PassClaims {
  /** Pass number, e.g. BP-2026-000123. */
  sub: string;
  nbf: number;
  exp: number;
  /** Holder's name. */
  n: string;
  /** Father's name. */
  f: string;
  /** CNIC as a 13-digit number (the first digit is a province, never 0). */
  c: number;
  /** Crossing point codes the holder may use, space-separated like OAuth's `scope`: "TFT RJY". */
  p: string;
}

/** Vessel registration claims. */
export interface VesselClaims {
  /** Registration number, e.g. VR-2026-000045. */
  sub: string;
  nbf: number;
  exp: number;
  /** Boat name. */
  n: string;
  /** Owner's name. */
  o: string;
  /** Owner's CNIC as a 13-digit number. */
  c: number;
  /** Home port code. */
  h: string;
  /** Crew limit. */
  m: number;
}

export type Verdict =
  | 'VALID'
  | 'INVALID_SIGNATURE'
  | 'UNKNOWN_KEY'
  | 'WRONG_TYPE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'REVOKED'
  | 'NOT_VALID_HERE'
  | 'MALFORMED';

/**
 * BUNDLE_STALE: the trust bundle is older than 24 h.
 * REVOCATION_UNKNOWN: past the bundle's validUntil, or checked against a bare JWKS: a revocation may be missed.
 * CLOCK_DRIFT: the device clock is more than 5 minutes off the server's time.
 */
export type VerificationWarning = 'BUNDLE_STALE' | 'REVOCATION_UNKNOWN' | 'CLOCK_DRIFT';

/** What a verifier trusts: pass-signing keys and what it knows of revocations, from a trust bundle or a JWKS. */
export interface TrustStore {
  keys: readonly { kid: string; key: CryptoKey }[];
  /** Revoked credential numbers; null when revocation is not known at all (a bare JWKS). */
  revoked: ReadonlySet<string> | null;
  /** The server's time when the bundle was issued (seconds). */
  issuedAt?: number;
  /** After this (seconds) the revocation list may be missing entries. */
  validUntil?: number;
  /** Server time minus device time, measured when the bundle was downloaded (seconds). */
  clockOffset?: number;
}

export interface VerifyOptions {
  now: Date;
  /** The kind the checkpoint expects; omitted accepts a pass or a vessel registration. */
  kind?: CredentialKind;
  /** The checkpoint where the credential is shown: a pass must list it. */
  checkpoint?: string;
  /** Tolerance on nbf and exp, seconds. */
  skewSeconds?: number;
}

export type VerificationResult = {
  verdict: Verdict;
  warnings: VerificationWarning[];
  /** One line on why, for the officer and the logs (never the token). */
  detail: string;
  kind?: CredentialKind;
  kid?: string;
  claims?: PassClaims | VesselClaims;
};

export const DEFAULT_SKEW_SECONDS = 300;
export const STALE_BUNDLE_SECONDS = 24 * 3600;
export const CLOCK_DRIFT_SECONDS = 300;
/** No credential or bundle QR comes near this; longer input is refused before any parsing. */
export const MAX_TOKEN_LENGTH = 64 * 1024;

const encoder = new TextEncoder();
// fatal: a part that is not valid UTF-8 is malformed, not silently repaired.
const decoder = new TextDecoder('utf-8', { fatal: true });
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Signs any payload as a compact JWS with header {alg, kid, typ}, in that order. */
export async function signJwt(signer: Signer, typ: string, payload: object): Promise<string> {
  const header = base64url.encode(JSON.stringify({ alg: 'ES256', kid: signer.kid, typ }));
  const body = base64url.encode(JSON.stringify(payload));
  const signingInput = `${header}.${body}`;
  const signature = await signer.sign(encoder.encode(signingInput));
  if (signature.length !== 64) throw new Error('an ES256 signer must return a raw 64-byte r‖s signature');
  return `${signingInput}.${base64url.encode(signature)}`;
}

export function signCredential(signer: Signer, kind: 'bp', claims: PassClaims): Promise<string>;
export function signCredential(signer: Signer, kind: 'vr', claims: VesselClaims): Promise<string>;
export function signCredential(signer: Signer, kind: CredentialKind, claims: PassClaims | VesselClaims) {
  return signJwt(signer, TYP[kind], claims);
}

export interface ParsedJws {
  token: string;
  header: { alg: string; kid: string; typ: string };
  payload: Record<string, unknown>;
  signature: Uint8Array;
}

/**
 * Splits a compact JWS and decodes it strictly: three canonical base64url segments (so no alternative spelling
 * of the same bytes is accepted), JSON object header and payload, string alg/kid/typ. Returns a reason on failure.
 */
export function parseJws(token: string): ParsedJws | string {
  if (token.length > MAX_TOKEN_LENGTH) return 'too long to be a credential';
  const parts = token.split('.');
  if (parts.length !== 3) return 'a JWS has exactly three dot-separated parts';
  const bytes: Uint8Array[] = [];
  for (const [index, part] of parts.entries()) {
    // An empty signature is let through here so that `alg: none` is refused by name, not as mere malformation.
    if (!SEGMENT.test(part) && !(index === 2 && part === '')) return 'a part is not base64url text';
    let decoded: Uint8Array;
    try {
      decoded = base64url.decode(part);
    } catch {
      return 'a part is not valid base64url';
    }
    if (base64url.encode(decoded) !== part) return 'a part is not canonical base64url';
    bytes.push(decoded);
  }
  const header = parseJsonObject(bytes[0] as Uint8Array);
  const payload = parseJsonObject(bytes[1] as Uint8Array);
  if (!header) return 'the header is not a JSON object';
  if (!payload) return 'the payload is not a JSON object';
  const { alg, kid, typ } = header;
  if (typeof alg !== 'string' || typeof kid !== 'string' || typeof typ !== 'string') {
    return 'the header lacks alg, kid or typ';
  }
  return { token, header: { alg, kid, typ }, payload, signature: bytes[2] as Uint8Array };
}

function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks the ES256 signature of a parsed JWS against every key whose kid matches (kids are short, so two keys
 * may share one). Returns the kid verdict: VALID when one key verifies.
 */
export async function checkSignature(
  jws: ParsedJws,
  keys: readonly { kid: string; key: CryptoKey }[],
): Promise<{ verdict: 'VALID' | 'INVALID_SIGNATURE' | 'UNKNOWN_KEY'; detail: string }> {
  if (jws.header.alg !== 'ES256') {
    return {
      verdict: 'INVALID_SIGNATURE',
      detail: `alg ${jws.header.alg} is refused: only ES256 is accepted`,
    };
  }
  if (jws.signature.length !== 64) {
    return { verdict: 'INVALID_SIGNATURE', detail: 'the signature is not a raw 64-byte ES256 signature' };
  }
  const candidates = keys.filter((k) => k.kid === jws.header.kid);
  if (candidates.length === 0)
    return { verdict: 'UNKNOWN_KEY', detail: `no trusted key has kid ${jws.header.kid}` };
  for (const { key } of candidates) {
    try {
      await compactVerify(jws.token, key, { algorithms: ['ES256'] });
      return { verdict: 'VALID', detail: 'signature verified' };
    } catch {
      // Try the next key with the same kid.
    }
  }
  return { verdict: 'INVALID_SIGNATURE', detail: 'the signature does not verify' };
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
// 13 digits whose first is a province code 1-8.
const isCnic = (v: unknown): v is number => isInt(v) && v >= 1e12 && v < 9e12;
const POINTS = /^[A-Z]{3}( [A-Z]{3})*$/;

/** The claims of a kind read from a payload, or undefined when one is missing or of the wrong type. */
export function claimsOf(
  kind: CredentialKind,
  p: Record<string, unknown>,
): PassClaims | VesselClaims | undefined {
  if (!isText(p.sub) || !isInt(p.nbf) || !isInt(p.exp) || !isText(p.n) || !isCnic(p.c)) return undefined;
  const base = { sub: p.sub, nbf: p.nbf, exp: p.exp, n: p.n };
  if (kind === 'bp') {
    if (!isText(p.f) || typeof p.p !== 'string' || !POINTS.test(p.p)) return undefined;
    return { ...base, f: p.f, c: p.c, p: p.p };
  }
  if (!isText(p.o) || !isText(p.h) || !isInt(p.m) || p.m < 1) return undefined;
  return { ...base, o: p.o, c: p.c, h: p.h, m: p.m };
}

/** The crossing point codes a pass lists. */
export const passPoints = (claims: PassClaims): string[] => claims.p.split(' ');

function kindOfTyp(typ: string): CredentialKind | undefined {
  if (typ === TYP.bp) return 'bp';
  if (typ === TYP.vr) return 'vr';
  return undefined;
}

/** Warnings about the trust the verdict rests on, independent of the credential. */
export function trustWarnings(trust: TrustStore, now: number): VerificationWarning[] {
  const warnings: VerificationWarning[] = [];
  if (trust.issuedAt !== undefined && now - trust.issuedAt > STALE_BUNDLE_SECONDS)
    warnings.push('BUNDLE_STALE');
  if (trust.revoked === null || (trust.validUntil !== undefined && now > trust.validUntil)) {
    warnings.push('REVOCATION_UNKNOWN');
  }
  const driftedNow = trust.issuedAt !== undefined && trust.issuedAt - now > CLOCK_DRIFT_SECONDS;
  if (driftedNow || Math.abs(trust.clockOffset ?? 0) > CLOCK_DRIFT_SECONDS) warnings.push('CLOCK_DRIFT');
  return warnings;
}

/**
 * Verifies a scanned credential offline: QR text (`rhd:/…`) or a raw JWS. Never throws on bad input; every
 * outcome is a verdict with a one-line detail.
 */
export async function verifyCredential(
  input: string,
  trust: TrustStore,
  options: VerifyOptions,
): Promise<VerificationResult> {
  const now = Math.floor(options.now.getTime() / 1000);
  const skew = options.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  const warnings = trustWarnings(trust, now);
  const result = (verdict: Verdict, detail: string, extra: Partial<VerificationResult> = {}) => ({
    verdict,
    warnings,
    detail,
    ...extra,
  });

  let token: string;
  try {
    token = fromQrText(input);
  } catch (error) {
    if (error instanceof QrTextError) return result('MALFORMED', error.message);
    throw error;
  }
  const jws = parseJws(token);
  if (typeof jws === 'string') return result('MALFORMED', jws);

  const signature = await checkSignature(jws, trust.keys);
  if (signature.verdict !== 'VALID') return result(signature.verdict, signature.detail);

  const kind = kindOfTyp(jws.header.typ);
  if (!kind)
    return result('WRONG_TYPE', `typ ${jws.header.typ} is not a credential`, { kid: jws.header.kid });
  if (options.kind && kind !== options.kind) {
    return result('WRONG_TYPE', `a ${TYP[kind]} was shown where a ${TYP[options.kind]} is expected`, {
      kind,
      kid: jws.header.kid,
    });
  }
  const claims = claimsOf(kind, jws.payload);
  if (!claims)
    return result('MALFORMED', `the claims do not form a ${TYP[kind]}`, { kind, kid: jws.header.kid });
  const found = { kind, kid: jws.header.kid, claims };

  if (trust.revoked?.has(claims.sub)) return result('REVOKED', `${claims.sub} has been revoked`, found);
  if (now < claims.nbf - skew) return result('NOT_YET_VALID', `valid from ${isoSeconds(claims.nbf)}`, found);
  if (now >= claims.exp + skew) return result('EXPIRED', `expired at ${isoSeconds(claims.exp)}`, found);
  if (kind === 'bp' && options.checkpoint && !passPoints(claims as PassClaims).includes(options.checkpoint)) {
    const points = passPoints(claims as PassClaims).join(', ');
    return result('NOT_VALID_HERE', `not valid at ${options.checkpoint}: only ${points}`, found);
  }
  return result('VALID', 'signature, type and validity verified', found);
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A trust store from a bare JWKS: signatures can be checked, revocation cannot. */
export async function trustStoreFromJwks(jwks: { keys: readonly PublicJwk[] }): Promise<TrustStore> {
  return { keys: await importKeys(jwks.keys), revoked: null };
}

export async function importKeys(keys: readonly PublicJwk[]): Promise<{ kid: string; key: CryptoKey }[]> {
  return Promise.all(keys.map(async (jwk) => ({ kid: jwk.kid, key: await importPublicKey(jwk) })));
}
