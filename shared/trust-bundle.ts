// The trust bundle: a tb+jwt signed by the pinned trust root that carries what a checkpoint needs offline.
import { checkSignature, importKeys, parseJws, signJwt, type TrustStore, TYP } from './credential.ts';
import { importPublicKey, type PublicJwk, type Signer } from './keys.ts';

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

export type BundleCheck =
  | { ok: true; bundle: TrustBundle }
  | { ok: false; reason: 'MALFORMED' | 'INVALID_SIGNATURE' | 'UNKNOWN_KEY' | 'WRONG_TYPE'; detail: string };

/** Verifies a trust bundle against the pinned root key; anything else signing it is refused. */
export async function verifyTrustBundle(token: string, root: PublicJwk): Promise<BundleCheck> {
  const jws = parseJws(token.trim());
  if (typeof jws === 'string') return { ok: false, reason: 'MALFORMED', detail: jws };
  const signature = await checkSignature(jws, [{ kid: root.kid, key: await importPublicKey(root) }]);
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
  if (!bundle) return { ok: false, reason: 'MALFORMED', detail: 'the payload is not a trust bundle' };
  return { ok: true, bundle };
}

function asBundle(p: Record<string, unknown>): TrustBundle | undefined {
  const int = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
  const keysOk =
    Array.isArray(p.keys) &&
    p.keys.every(
      (k: unknown) =>
        typeof k === 'object' &&
        k !== null &&
        (k as PublicJwk).kty === 'EC' &&
        (k as PublicJwk).crv === 'P-256' &&
        typeof (k as PublicJwk).kid === 'string' &&
        typeof (k as PublicJwk).x === 'string' &&
        typeof (k as PublicJwk).y === 'string',
    );
  const revokedOk = Array.isArray(p.revoked) && p.revoked.every((r: unknown) => typeof r === 'string');
  if (
    typeof p.iss !== 'string' ||
    !int(p.iat) ||
    !int(p.validUntil) ||
    !int(p.version) ||
    !keysOk ||
    !revokedOk
  ) {
    return undefined;
  }
  if (p.since !== undefined && !int(p.since)) return undefined;
  return p as unknown as TrustBundle;
}

/**
 * Brings a stored full bundle up to date with a newer one. A delta applies only on top of the version it names;
 * a full bundle replaces what was stored. Nothing older than what is stored is taken: an old bundle is still
 * validly signed, and replaying one would make a device forget revocations.
 */
export function applyBundle(stored: TrustBundle | undefined, incoming: TrustBundle): TrustBundle {
  if (stored && (incoming.version < stored.version || incoming.iat < stored.iat)) {
    throw new BundleRefused(
      `bundle version ${incoming.version} issued ${incoming.iat} is older than the stored version ${stored.version} issued ${stored.iat}`,
    );
  }
  if (incoming.since === undefined) return incoming;
  if (!stored || stored.version !== incoming.since) {
    throw new BundleRefused(
      `delta from version ${incoming.since} cannot apply to stored version ${stored?.version ?? 'none'}`,
    );
  }
  const revoked = [...new Set([...stored.revoked, ...incoming.revoked])];
  const { since: _since, ...full } = incoming;
  return { ...full, revoked };
}

/** A bundle that verified but must not replace what the device holds; the device keeps its stored bundle. */
export class BundleRefused extends Error {
  override name = 'BundleRefused';
}

/** The verifier's view of a bundle. `receivedAt` (device seconds when downloaded) measures the device's clock drift. */
export async function trustStoreFromBundle(bundle: TrustBundle, receivedAt?: number): Promise<TrustStore> {
  return {
    keys: await importKeys(bundle.keys),
    revoked: new Set(bundle.revoked),
    issuedAt: bundle.iat,
    validUntil: bundle.validUntil,
    ...(receivedAt === undefined ? {} : { clockOffset: bundle.iat - receivedAt }),
  };
}
