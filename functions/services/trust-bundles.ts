// Trust bundles for checkpoint devices: signed once per revocation version and refresh interval, then reused, so a
// flood of downloads (a stolen checkpoint token) costs table reads, not KMS signatures.
import type { PublicJwk, Signer } from '../../shared/keys.ts';
import { signTrustBundle } from '../../shared/trust-bundle.ts';
import { DEFAULT_BUNDLE_REFRESH_SECONDS } from '../limits.ts';
import type { Store } from '../store/store.ts';
import { type Clock, count, METRIC, type MetricsRecorder } from './context.ts';

/** Enough for every delta a healthy fleet asks for at once; the oldest is dropped beyond it. */
export const BUNDLE_CACHE_ENTRIES = 64;
/**
 * A delta is served only from a version at most this far behind the current one. Each `since` is its own bundle,
 * so without a bound a caller could make the function sign one per version; a device that far behind needs the
 * full list anyway.
 */
export const DELTA_WINDOW_VERSIONS = 1_000;

interface Entry {
  signedAt: number;
  token: Promise<string>;
}

/** Signed bundles by (kind, since, version), each served while younger than the refresh interval. */
export class BundleCache {
  readonly refreshMs: number;
  readonly maxEntries: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: { refreshSeconds?: number; maxEntries?: number } = {}) {
    this.refreshMs = (options.refreshSeconds ?? DEFAULT_BUNDLE_REFRESH_SECONDS) * 1000;
    this.maxEntries = options.maxEntries ?? BUNDLE_CACHE_ENTRIES;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The bundle stored under `key` if it was signed less than the refresh interval before `now`, else a new one from
   * `sign`. The promise is stored, so requests arriving while a bundle is being signed share its one signature; a
   * failed signature is forgotten, so the next request tries again.
   */
  get(key: string, now: number, sign: () => Promise<string>): Promise<string> {
    const found = this.#entries.get(key);
    // A clock that stepped back also counts as stale: the bundle's iat would lie in the future.
    if (found && now >= found.signedAt && now - found.signedAt < this.refreshMs) return found.token;
    const entry: Entry = { signedAt: now, token: sign() };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    entry.token.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    // A Map iterates in insertion order, and a re-signed key was moved to the end: the first is the oldest.
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return entry.token;
  }
}

export interface TrustBundleDependencies {
  store: Pick<Store, 'revocations'>;
  clock: Clock;
  metrics: MetricsRecorder;
  signing: { root(): Promise<Signer>; passPublicKeys(): Promise<PublicJwk[]> };
  /** How long a bundle's revocation list is trusted before a VALID becomes "revocation unknown". */
  bundleValidityHours: number;
  cache: BundleCache;
}

/**
 * The full bundle, or with `since` a delta carrying only the revocations after that version. A device asking
 * from a version the server never reached, or from one more than DELTA_WINDOW_VERSIONS behind, gets the full
 * bundle, so it can always recover. The revocation head is read on every call (one strongly consistent GetItem),
 * so a revocation is in the very next bundle served; the list itself is read only when a bundle is signed.
 */
export async function trustBundle(deps: TrustBundleDependencies, since: number | undefined): Promise<string> {
  const current = await deps.store.revocations.version();
  const delta =
    since !== undefined && since <= current && current - since <= DELTA_WINDOW_VERSIONS ? since : undefined;
  const key = delta === undefined ? `full@${current}` : `delta:${delta}@${current}`;
  const now = deps.clock();
  return deps.cache.get(key, now.getTime(), async () => {
    const [revocations, keys, root] = await Promise.all([
      deps.store.revocations.since(delta ?? 0),
      deps.signing.passPublicKeys(),
      deps.signing.root(),
    ]);
    const iat = Math.floor(now.getTime() / 1000);
    const token = await signTrustBundle(root, {
      iss: 'rahdari',
      iat,
      validUntil: iat + Math.round(deps.bundleValidityHours * 3600),
      keys,
      version: Math.max(revocations.version, delta ?? 0),
      ...(delta !== undefined ? { since: delta } : {}),
      revoked: revocations.entries.map((entry) => entry.number),
    });
    count(deps.metrics, METRIC.trustBundlesSigned);
    return token;
  });
}
