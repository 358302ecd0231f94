// The device's trust: the pinned root, the trust state restored from IndexedDB, and each update (network or file).
import { calculateJwkThumbprint } from 'jose';
import { CLOCK_DRIFT_SECONDS } from '../../../shared/credential.ts';
import { checkPublicJwk, type PublicJwk } from '../../../shared/keys.ts';
import { verifyTrustBundle } from '../../../shared/trust-bundle.ts';
import { type TrustRefusal, TrustState } from '../../../shared/trust-state.ts';
import { load, type RuntimeConfig, type SavedLogin, type SyncRecord, save } from './storage.ts';

/** Past this many saved bundles the next update asks for a full bundle, so the saved chain stays short. */
const MAX_CHAIN = 60;

/** The root JWK read from text, or why it is not one (a one-line reason). */
export async function readRootJwk(
  text: string,
): Promise<{ ok: true; jwk: PublicJwk } | { ok: false; reason: string }> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const checked = await checkPublicJwk(value);
  return checked.ok ? { ok: true, jwk: checked.jwk } : { ok: false, reason: checked.reason };
}

/** The RFC 7638 thumbprint in groups of four, as printed on the provisioning sheet. */
export async function printedThumbprint(jwk: PublicJwk): Promise<string> {
  const { kty, crv, x, y } = jwk;
  const thumbprint = await calculateJwkThumbprint({ kty, crv, x, y }, 'sha256');
  return thumbprint.match(/.{1,4}/g)?.join(' ') ?? thumbprint;
}

export function pinRoot(jwk: PublicJwk): Promise<void> {
  return save('root', jwk);
}

export function pinnedRoot(): Promise<PublicJwk | undefined> {
  return load('root');
}

/** The saved trust state, re-verified against the pinned root; undefined when there is none or it is refused. */
export async function restoreTrust(root: PublicJwk): Promise<TrustState | undefined> {
  const saved = await load('trust');
  if (saved === undefined) return undefined;
  performance.mark('rahdari:trust-load:start');
  const restored = await TrustState.restore(saved, root);
  performance.measure('rahdari:trust-load', 'rahdari:trust-load:start');
  return restored.ok ? restored.state : undefined;
}

export type UpdateOutcome =
  | { kind: 'updated'; state: TrustState; from: number | undefined; to: number }
  | { kind: 'refused'; reason: TrustRefusal; detail: string };

/**
 * Applies one signed bundle, from the network or a file. Anything refused leaves the saved state exactly as it
 * was: only an accepted state is written.
 */
export async function applyBundle(
  token: string,
  current: TrustState | undefined,
  root: PublicJwk,
  nowMs: number,
): Promise<UpdateOutcome> {
  const receivedAt = Math.floor(nowMs / 1000);
  const result = current
    ? await current.apply(token.trim(), receivedAt)
    : await TrustState.fromFullBundle(token.trim(), root, receivedAt);
  if (!result.ok) return { kind: 'refused', reason: result.reason, detail: result.detail };
  await save('trust', result.state.toJSON());
  return { kind: 'updated', state: result.state, from: current?.version, to: result.state.version };
}

export interface SyncResult {
  record: SyncRecord;
  state?: TrustState;
}

/** Fetches the next bundle (a delta from the state's version) and applies it. Needs a login that has not expired. */
export async function syncTrust(
  config: RuntimeConfig,
  login: SavedLogin,
  current: TrustState | undefined,
  root: PublicJwk,
  nowMs: number,
): Promise<SyncResult> {
  const since = current && current.bundleCount < MAX_CHAIN ? `?since=${current.version}` : '';
  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}/trust-bundle${since}`, {
      headers: { authorization: `Bearer ${login.token}` },
      cache: 'no-store',
    });
  } catch {
    return { record: { at: nowMs, outcome: 'offline' } };
  }
  if (response.status === 401 || response.status === 403)
    return { record: { at: nowMs, outcome: 'login-needed' } };
  if (!response.ok) return { record: { at: nowMs, outcome: 'failed', detail: `HTTP ${response.status}` } };
  const token = await response.text();
  const outcome = await applyBundle(token, current, root, nowMs);
  if (outcome.kind === 'refused' && current && (await nothingNewer(token, current, root))) {
    return { record: { at: nowMs, outcome: 'current', to: current.version } };
  }
  if (outcome.kind === 'refused') {
    return {
      record: { at: nowMs, outcome: 'refused', reason: outcome.reason, detail: outcome.detail },
    };
  }
  const moved = outcome.from === undefined || outcome.to !== outcome.from;
  return {
    record: {
      at: nowMs,
      outcome: moved ? 'updated' : 'current',
      ...(outcome.from !== undefined ? { from: outcome.from } : {}),
      to: outcome.to,
    },
    state: outcome.state,
  };
}

/**
 * The server signs a bundle once and serves it again for a minute, so a device that has just taken a newer full
 * bundle can be handed a refresh of its own version signed a little earlier. The state refuses it as older; it
 * carries nothing the device lacks, so the device is simply up to date. A bundle of a lower version is still
 * reported as refused.
 */
async function nothingNewer(token: string, current: TrustState, root: PublicJwk): Promise<boolean> {
  const check = await verifyTrustBundle(token.trim(), root);
  if (!check.ok || check.bundle.version !== current.version) return false;
  return check.bundle.revoked.every((number) => current.isRevoked(number));
}

/**
 * Whether the device clock now reads more than the drift allowance before a time this app has already seen,
 * and the latest time seen after this reading (saved, so the mark survives reloads and restarts).
 */
export async function clockWentBack(nowMs: number): Promise<boolean> {
  // Read once, then kept in memory: a check must not wait on IndexedDB.
  latestSeen ??= (await load('latestSeen')) ?? 0;
  const wentBack = latestSeen - nowMs > CLOCK_DRIFT_SECONDS * 1000;
  if (nowMs > latestSeen) {
    latestSeen = nowMs;
    void save('latestSeen', nowMs);
  }
  return wentBack;
}

let latestSeen: number | undefined;

/**
 * The clock was just found right by the server (an online update whose bundle time agrees with it): whatever later
 * time this device saw before was the clock running ahead, so the mark starts again from now and the "went back"
 * warning clears.
 */
export async function clockConfirmed(nowMs: number): Promise<void> {
  latestSeen = nowMs;
  await save('latestSeen', nowMs);
}
