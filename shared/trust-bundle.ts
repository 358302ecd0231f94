// The trust bundle: a tb+jwt signed by the pinned trust root that carries what a checkpoint needs offline.
import { checkSignature, importKeys, MAX_BUNDLE_LENGTH, parseJws, signJwt, TYP } from './credential.ts';
import { checkPublicJwk, type PublicJwk, type Signer, type TrustedKey } from './keys.ts';

/** The tb+jwt payload. Long names are fine: a bundle travels over HTTP, not in a QR. */
export interface TrustBundle {
  iss: string;
  /** The server's time at issue (seconds): the device compares its own clock with it. */
  iat: number;
  /** After this (seconds) the revocation list may be missing entries; the keys still verify. */
  validUntil: number;
  /** Pass-signing public keys, old ones included until their last credential expires. */
  keys: PublicJwk[];
  /** Revocation list version this bundle brings the device up to. */
  version: number;
  /** Present on a delta: the version it applies on top of; `revoked` then holds only the newer entries. */
  since?: number;
  revoked: string[];
}

/** How long a bundle's revocation list is trusted by default: the server's BUNDLE_VALIDITY_HOURS default too. */
export const DEFAULT_BUNDLE_VALIDITY_SECONDS = 72 * 3600;

export function signTrustBundle(root: Signer, bundle: TrustBundle): Promise<string> {
  return signJwt(root, TYP.tb, bundle);
}

export type BundleRefusal = 'MALFORMED' | 'INVALID_SIGNATURE' | 'UNKNOWN_KEY' | 'WRONG_TYPE';

export type BundleCheck =
  | { ok: true; bundle: TrustBundle; keys: TrustedKey[] }
  | { ok: false; reason: BundleRefusal; detail: string };

/**
 * Verifies a trust bundle against the pinned root key; anything else signing it is refused. Every key it carries
 * must be a P-256 public JWK, or the whole bundle is MALFORMED: a root-signed bundle is still checked, not trusted
 * to be well formed.
 */
export async function verifyTrustBundle(token: string, root: PublicJwk): Promise<BundleCheck> {
  const pinned = await checkPublicJwk(root);
  if (!pinned.ok) return { ok: false, reason: 'MALFORMED', detail: `the pinned root: ${pinned.reason}` };
  const jws = parseJws(token.trim(), MAX_BUNDLE_LENGTH);
  if (typeof jws === 'string') return { ok: false, reason: 'MALFORMED', detail: jws };
  const signature = await checkSignature(jws, [{ kid: pinned.jwk.kid, key: pinned.key }]);
  if (signature.verdict !== 'VALID') {
    const detail =
      signature.verdict === 'UNKNOWN_KEY'
        ? 'the bundle is not signed by the pinned trust root'
        : signature.detail;
    return { ok: false, reason: signature.verdict, detail };
  }
  if (jws.header.typ !== TYP.tb)
    return { ok: false, reason: 'WRONG_TYPE', detail: `typ ${jws.header.typ} is not a trust bundle` };
  const bundle = asBundle(jws.payload);
  if (typeof bundle === 'string') return { ok: false, reason: 'MALFORMED', detail: bundle };
  const keys = await importKeys(bundle.keys);
  if (!keys.ok) return { ok: false, reason: 'MALFORMED', detail: keys.reason };
  return { ok: true, bundle, keys: keys.keys };
}

/** Reads the payload as a bundle, or says in one line why it is not one. */
function asBundle(p: Record<string, unknown>): TrustBundle | string {
  const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (typeof p.iss !== 'string') return 'the bundle has no iss';
  if (!count(p.iat) || !count(p.validUntil)) return 'the bundle lacks iat or validUntil in seconds';
  if (p.validUntil < p.iat) return 'the bundle is valid until before it was issued';
  if (!count(p.version)) return 'the bundle has no version';
  if (p.since !== undefined && (!count(p.since) || p.since > p.version))
    return 'the bundle applies since a version after its own';
  if (!Array.isArray(p.keys)) return 'the bundle has no keys array';
  if (!Array.isArray(p.revoked) || !p.revoked.every((r: unknown) => typeof r === 'string' && r.length > 0))
    return 'the revocation list is not a list of credential numbers';
  return p as unknown as TrustBundle;
}
