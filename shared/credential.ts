// Credentials as standard compact JWS JWTs (ES256 only): signing through a Signer, and offline verification to a verdict.
import { base64url } from 'jose';
import {
  type CheckpointCode,
  isCheckpointCode,
  takesBorderPasses,
  takesVessels,
} from './domain/reference.ts';
import { checkPublicJwk, type Signer, type TrustedKey } from './keys.ts';
import { fromQrText, QrTextError } from './qr-text.ts';
import type { TrustState } from './trust-state.ts';

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
  /** The pilgrim group (ZG-2026-00012) a member's pass, or a leader's group pass, belongs to. */
  g?: string;
  /**
   * The group's size when the leader's group pass was signed; present only on a group pass (whose `sub` is the
   * group number and whose holder is the leader). A group pass names the group; it is no travel document.
   */
  s?: number;
}

/** Vessel registration (boat certificate) claims; shared/domain/vessel.ts builds them. */
export interface VesselClaims {
  /** The certificate's serial, e.g. GWD-2026-00042/3: the boat's official number and which certificate of it. */
  sub: string;
  /**
   * Present only when the licence starts after the moment of issue; absent, the certificate is valid from the
   * moment it exists (RFC 7519), which saves 17 bytes of the QR (docs/decisions.md).
   */
  nbf?: number;
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
 * BUNDLE_STALE: the trust state's newest bundle is older than 24 h.
 * REVOCATION_UNKNOWN: past the bundle's validUntil, or checked against a bare JWKS: a revocation may be missed.
 * CLOCK_DRIFT: the device clock is more than 5 minutes off the server's time, now or when the bundle arrived,
 * or it has gone back more than 5 minutes since then.
 * UNROOTED: the keys came from a bare JWKS that no pinned root vouches for.
 */
export type VerificationWarning = 'BUNDLE_STALE' | 'REVOCATION_UNKNOWN' | 'CLOCK_DRIFT' | 'UNROOTED';

/**
 * What a verdict rests on. Only a TrustState (built from root-signed bundles, forward only) answers for
 * revocation; UnrootedKeys checks signatures and says, in every verdict, that it cannot.
 */
export type VerifierTrust = TrustState | UnrootedKeys;

export interface VerifyOptions {
  now: Date;
  /** The kind the checkpoint expects; omitted accepts a pass or a vessel registration. */
  kind?: CredentialKind;
  /**
   * The checkpoint where the credential is shown. A pass must list it and it must be a crossing point; a
   * vessel registration is only valid at a sea crossing or a port. A code the reference data lacks throws.
   */
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
/** No credential QR comes near this; longer input is refused before any parsing. */
export const MAX_TOKEN_LENGTH = 64 * 1024;
/** A full trust bundle with 300,000 revocations fits; anything longer is refused before any parsing. */
export const MAX_BUNDLE_LENGTH = 8 * 1024 * 1024;

const encoder = new TextEncoder();
// fatal: a part that is not valid UTF-8 is malformed, not silently repaired.
const decoder = new TextDecoder('utf-8', { fatal: true });
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const HEADER_MEMBERS = new Set(['alg', 'kid', 'typ']);

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
 * of the same bytes is accepted), JSON object header and payload, a header of exactly string alg/kid/typ.
 * Returns a reason on failure.
 */
export function parseJws(token: string, maxLength = MAX_TOKEN_LENGTH): ParsedJws | string {
  if (token.length > maxLength) return `longer than ${maxLength} characters`;
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
  // The profile is closed: a member such as jwk, jku, x5u or crit could make another library trust a key the
  // token brings along or skip a check, so the token is refused rather than the member ignored.
  const extra = Object.keys(header).find((member) => !HEADER_MEMBERS.has(member));
  if (extra !== undefined) return `the header has the member ${extra}: only alg, kid and typ are allowed`;
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
  keys: readonly TrustedKey[],
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
  // WebCrypto over the signing input as it arrived: the parts were already decoded and checked above, and a
  // full trust bundle runs to megabytes, so nothing is decoded twice.
  const signingInput = encoder.encode(jws.token.slice(0, jws.token.lastIndexOf('.')));
  for (const { key } of candidates) {
    const verified = await crypto.subtle
      .verify({ name: 'ECDSA', hash: 'SHA-256' }, key, jws.signature as Uint8Array<ArrayBuffer>, signingInput)
      .catch(() => false);
    if (verified) return { verdict: 'VALID', detail: 'signature verified' };
  }
  return { verdict: 'INVALID_SIGNATURE', detail: 'the signature does not verify' };
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
// 13 digits whose first is a province code 1-8.
const isCnic = (v: unknown): v is number => isInt(v) && v >= 1e12 && v < 9e12;
const POINTS = /^[A-Z]{3}( [A-Z]{3})*$/;
/** A pilgrim group's number: ZG, the year, five digits. */
export const GROUP_NUMBER = /^ZG-[0-9]{4}-[0-9]{5}$/;

/** Whether a border pass is a leader's group pass (it names a group) rather than a person's own pass. */
export const isGroupPass = (claims: PassClaims): boolean => claims.s !== undefined;

/** The claims of a kind read from a payload, or undefined when one is missing or of the wrong type. */
export function claimsOf(
  kind: CredentialKind,
  p: Record<string, unknown>,
): PassClaims | VesselClaims | undefined {
  if (!isText(p.sub) || !isInt(p.exp) || !isText(p.n) || !isCnic(p.c)) return undefined;
  if (kind === 'bp') {
    if (!isInt(p.nbf) || !isText(p.f) || typeof p.p !== 'string' || !POINTS.test(p.p)) return undefined;
    // A group claim that is there must be a group number; a size only comes with one, on the group's own pass.
    if (p.g !== undefined && !(typeof p.g === 'string' && GROUP_NUMBER.test(p.g))) return undefined;
    if (p.s !== undefined && !(isInt(p.s) && p.s >= 1 && p.g !== undefined && p.sub === p.g))
      return undefined;
    return {
      sub: p.sub,
      nbf: p.nbf,
      exp: p.exp,
      n: p.n,
      f: p.f,
      c: p.c,
      p: p.p,
      ...(p.g !== undefined ? { g: p.g } : {}),
      ...(p.s !== undefined ? { s: p.s } : {}),
    };
  }
  // A boat certificate may leave nbf out; one that carries it must carry a whole number of seconds.
  if (p.nbf !== undefined && !isInt(p.nbf)) return undefined;
  if (!isText(p.o) || !isText(p.h) || !isInt(p.m) || p.m < 1) return undefined;
  return {
    sub: p.sub,
    ...(p.nbf !== undefined ? { nbf: p.nbf } : {}),
    exp: p.exp,
    n: p.n,
    o: p.o,
    c: p.c,
    h: p.h,
    m: p.m,
  };
}

/** The crossing point codes a pass lists. */
export const passPoints = (claims: PassClaims): string[] => claims.p.split(' ');

function kindOfTyp(typ: string): CredentialKind | undefined {
  if (typ === TYP.bp) return 'bp';
  if (typ === TYP.vr) return 'vr';
  return undefined;
}

/** The checkpoint code given to the verifier is not in the reference data: the device is misconfigured. */
export class UnknownCheckpointError extends Error {
  override name = 'UnknownCheckpointError';
}

/**
 * Verifies a scanned credential offline: QR text (`rhd:/…`) or a raw JWS. Never throws on a bad credential;
 * every outcome is a verdict with a one-line detail. An unknown checkpoint code throws UnknownCheckpointError,
 * since a verdict for a post that does not exist would mean nothing; an invalid time or skew throws RangeError.
 */
export async function verifyCredential(
  input: string,
  trust: VerifierTrust,
  options: VerifyOptions,
): Promise<VerificationResult> {
  const checkpoint = options.checkpoint;
  if (checkpoint !== undefined && !isCheckpointCode(checkpoint))
    throw new UnknownCheckpointError(`${checkpoint} is not a crossing point or port code`);
  const now = Math.floor(options.now.getTime() / 1000);
  const skew = options.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  // NaN makes every comparison with nbf and exp false, which would read any credential as inside its window.
  if (!Number.isFinite(now) || !Number.isFinite(skew))
    throw new RangeError('the validation time and the skew must be finite numbers');
  const warnings = trust.warnings(now);
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

  if (trust.isRevoked(claims.sub)) return result('REVOKED', `${claims.sub} has been revoked`, found);
  if (claims.nbf !== undefined && now < claims.nbf - skew)
    return result('NOT_YET_VALID', `valid from ${isoSeconds(claims.nbf)}`, found);
  if (now >= claims.exp + skew) return result('EXPIRED', `expired at ${isoSeconds(claims.exp)}`, found);
  if (checkpoint !== undefined) {
    const notHere = wrongPost(kind, claims, checkpoint);
    if (notHere) return result('NOT_VALID_HERE', notHere, found);
  }
  return result('VALID', 'signature, type and validity verified', found);
}

/** Why a credential is not valid at this checkpoint, or undefined when it is. */
function wrongPost(
  kind: CredentialKind,
  claims: PassClaims | VesselClaims,
  checkpoint: CheckpointCode,
): string | undefined {
  if (kind === 'vr') {
    return takesVessels(checkpoint)
      ? undefined
      : `not valid at ${checkpoint}: a vessel registration is checked at sea crossings and ports`;
  }
  // A pass that lists a port is still no pass there: ports are for boats, not for people crossing.
  if (!takesBorderPasses(checkpoint))
    return `not valid at ${checkpoint}: a border pass is checked at crossing points, and ${checkpoint} is a port`;
  const points = passPoints(claims as PassClaims);
  return points.includes(checkpoint) ? undefined : `not valid at ${checkpoint}: only ${points.join(', ')}`;
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A bare JWKS could not be used: a key in it is damaged, private or not P-256. The message is one line. */
export class MalformedTrustError extends Error {
  override name = 'MalformedTrustError';
}

/**
 * Keys from a bare JWKS, which nothing signs: they check signatures, but every verdict carries UNROOTED and
 * REVOCATION_UNKNOWN, since no pinned root vouches for them and they say nothing of revocations.
 */
export class UnrootedKeys {
  readonly #keys: readonly TrustedKey[];

  constructor(keys: readonly TrustedKey[]) {
    this.#keys = keys;
  }

  get keys(): readonly TrustedKey[] {
    return this.#keys;
  }

  isRevoked(_number: string): boolean {
    return false;
  }

  warnings(_now: number): VerificationWarning[] {
    return ['UNROOTED', 'REVOCATION_UNKNOWN'];
  }
}

/** Signature-only trust from a bare JWKS. Throws MalformedTrustError when it is not one or a key is bad. */
export async function trustStoreFromJwks(jwks: unknown): Promise<UnrootedKeys> {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new MalformedTrustError('a JWKS needs a "keys" array');
  const checked = await importKeys(keys);
  if (!checked.ok) throw new MalformedTrustError(`the JWKS is refused: ${checked.reason}`);
  return new UnrootedKeys(checked.keys);
}

/** Checks and imports every key; one bad key refuses them all, so a damaged list is never half used. */
export async function importKeys(
  keys: readonly unknown[],
): Promise<{ ok: true; keys: TrustedKey[] } | { ok: false; reason: string }> {
  const checked = await Promise.all(keys.map(checkPublicJwk));
  const imported: TrustedKey[] = [];
  for (const key of checked) {
    if (!key.ok) return key;
    imported.push({ kid: key.jwk.kid, key: key.key });
  }
  return { ok: true, keys: imported };
}
