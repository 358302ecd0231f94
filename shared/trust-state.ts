// A checkpoint device's trust: built only from root-signed bundles, moving only forward, saved and re-verified as JSON.
import { calculateJwkThumbprint } from 'jose';
import { CLOCK_DRIFT_SECONDS, STALE_BUNDLE_SECONDS, type VerificationWarning } from './credential.ts';
import { checkPublicJwk, type PublicJwk, type TrustedKey } from './keys.ts';
import { type BundleRefusal, type TrustBundle, verifyTrustBundle } from './trust-bundle.ts';

/** The `format` of a saved state; a future layout gets a new one rather than a silent reinterpretation. */
export const TRUST_STATE_FORMAT = 'rahdari-trust-state/1';

/**
 * Why a bundle or a saved state was refused. Besides the bundle's own checks:
 * NOT_FULL: a delta where a full bundle is needed (a new state, or the start of a saved one).
 * OLDER: a lower version, or issued before what the state holds: taking it would undo revocations.
 * OUT_OF_ORDER: a delta that applies to a version other than the state's.
 * DROPS_REVOCATIONS: a full bundle of the state's own version that lacks a revocation the state holds.
 * ROOT_MISMATCH: a saved state pinned to another root than the device's.
 * DAMAGED: a saved state that is not in the saved form at all.
 */
export type TrustRefusal =
  | BundleRefusal
  | 'NOT_FULL'
  | 'OLDER'
  | 'OUT_OF_ORDER'
  | 'DROPS_REVOCATIONS'
  | 'ROOT_MISMATCH'
  | 'DAMAGED';

export type TrustResult =
  | { ok: true; state: TrustState }
  | { ok: false; reason: TrustRefusal; detail: string };

/**
 * The saved form. It holds the signed bundles themselves, not what was read from them, so loading re-verifies
 * every one against the root and replays the rules: an edited revocation list breaks a signature, and a
 * dropped or reordered bundle breaks the chain.
 */
export interface SerializedTrustState {
  format: typeof TRUST_STATE_FORMAT;
  root: PublicJwk;
  /** A full bundle, then every bundle applied on it, oldest first; receivedAt is device time (seconds). */
  bundles: { token: string; receivedAt: number | null }[];
}

interface ChainEntry {
  token: string;
  receivedAt: number | null;
  /** A delta that adds nothing and moves no version: the next such one makes it redundant. */
  refresh: boolean;
}

/** The fields a state is made of; `revoked` and `chain` are owned by exactly one state once built. */
interface Contents {
  root: PublicJwk;
  version: number;
  issuedAt: number;
  validUntil: number;
  receivedAt: number | null;
  keys: TrustedKey[];
  publicKeys: PublicJwk[];
  revoked: Set<string>;
  chain: ChainEntry[];
}

type Refused = { ok: false; reason: TrustRefusal; detail: string };
const refused = (reason: TrustRefusal, detail: string): Refused => ({ ok: false, reason, detail });

/**
 * The one object that answers for revocation on a device. It is created only from a full bundle verified
 * against the pinned root; `apply` returns a new state or a refusal and never changes this one, so a refused
 * bundle leaves the device exactly as it was.
 */
export class TrustState {
  readonly #contents: Contents;

  private constructor(contents: Contents) {
    this.#contents = contents;
  }

  /** Starts a state from a full bundle. `receivedAt` is the device time it arrived (seconds), null if unknown. */
  static async fromFullBundle(
    token: string,
    root: PublicJwk,
    receivedAt: number | null,
  ): Promise<TrustResult> {
    const check = await verifyTrustBundle(token, root);
    if (!check.ok) return check;
    if (check.bundle.since !== undefined) return refused('NOT_FULL', deltaAlone(check.bundle));
    return { ok: true, state: new TrustState(startFrom(root, check, token, receivedAt)) };
  }

  /**
   * Loads a saved state, re-verifying each bundle against its root and replaying the rules. A device passes its
   * provisioned root as `root`, so a state pinned to another root is refused; the CLI keeps the root in the file.
   */
  static async restore(saved: unknown, root?: PublicJwk): Promise<TrustResult> {
    const form = readSaved(saved);
    if (typeof form === 'string') return refused('DAMAGED', form);
    const pinned = await checkPublicJwk(form.root);
    if (!pinned.ok) return refused('DAMAGED', `its root: ${pinned.reason}`);
    if (root && (root.x !== pinned.jwk.x || root.y !== pinned.jwk.y))
      return refused('ROOT_MISMATCH', `it is pinned to root ${pinned.jwk.kid}, not ${root.kid}`);
    const [first, ...rest] = form.bundles as [
      SerializedTrustState['bundles'][number],
      ...SerializedTrustState['bundles'],
    ];
    const start = await TrustState.fromFullBundle(first.token, pinned.jwk, first.receivedAt);
    if (!start.ok) return refused(start.reason, `its first bundle: ${start.detail}`);
    // Replayed in place: one revocation set for the whole chain, so loading stays linear in its size.
    const contents = start.state.#contents;
    for (const [index, entry] of rest.entries()) {
      const step = await advance(contents, entry.token, entry.receivedAt, true);
      if (!step.ok) return refused(step.reason, `its bundle ${index + 2}: ${step.detail}`);
    }
    return { ok: true, state: new TrustState(contents) };
  }

  /** The state after a newer bundle, or why the bundle is refused. This state is left as it was. */
  async apply(token: string, receivedAt: number | null): Promise<TrustResult> {
    const step = await advance(this.#contents, token, receivedAt, false);
    return step.ok ? { ok: true, state: new TrustState(step.contents) } : step;
  }

  get root(): PublicJwk {
    return this.#contents.root;
  }
  /** The revocation list version the state is at. */
  get version(): number {
    return this.#contents.version;
  }
  /** The server's time when the newest bundle was issued (seconds). */
  get issuedAt(): number {
    return this.#contents.issuedAt;
  }
  /** After this (seconds) a revocation may be missing. */
  get validUntil(): number {
    return this.#contents.validUntil;
  }
  /** Device time when the newest bundle arrived (seconds), or null when not known. */
  get receivedAt(): number | null {
    return this.#contents.receivedAt;
  }
  /** The pass-signing keys of the newest bundle, checked and imported. */
  get keys(): readonly TrustedKey[] {
    return this.#contents.keys;
  }
  get publicKeys(): readonly PublicJwk[] {
    return this.#contents.publicKeys;
  }
  get revokedCount(): number {
    return this.#contents.revoked.size;
  }
  /** How many signed bundles the saved form holds: a device may fetch a full bundle when this grows. */
  get bundleCount(): number {
    return this.#contents.chain.length;
  }

  isRevoked(number: string): boolean {
    return this.#contents.revoked.has(number);
  }

  revocations(): IterableIterator<string> {
    return this.#contents.revoked.values();
  }

  /** The root's full RFC 7638 thumbprint, for an officer to compare with what was provisioned. */
  rootThumbprint(): Promise<string> {
    const { kty, crv, x, y } = this.#contents.root;
    return calculateJwkThumbprint({ kty, crv, x, y }, 'sha256');
  }

  /** Warnings every verdict made with this state carries at device time `now` (seconds). */
  warnings(now: number): VerificationWarning[] {
    const { issuedAt, validUntil, receivedAt } = this.#contents;
    const warnings: VerificationWarning[] = [];
    if (now - issuedAt > STALE_BUNDLE_SECONDS) warnings.push('BUNDLE_STALE');
    if (now > validUntil) warnings.push('REVOCATION_UNKNOWN');
    // Behind the server's own time now, off it when the bundle arrived, or gone back since it arrived.
    const behindServer = issuedAt - now > CLOCK_DRIFT_SECONDS;
    const offAtArrival = receivedAt !== null && Math.abs(issuedAt - receivedAt) > CLOCK_DRIFT_SECONDS;
    const wentBack = receivedAt !== null && receivedAt - now > CLOCK_DRIFT_SECONDS;
    if (behindServer || offAtArrival || wentBack) warnings.push('CLOCK_DRIFT');
    return warnings;
  }

  toJSON(): SerializedTrustState {
    return {
      format: TRUST_STATE_FORMAT,
      root: this.#contents.root,
      bundles: this.#contents.chain.map(({ token, receivedAt }) => ({ token, receivedAt })),
    };
  }
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

function deltaAlone(bundle: TrustBundle): string {
  return `this is a delta from version ${bundle.since} to ${bundle.version}: it only applies to the trust state at version ${bundle.since}`;
}

function startFrom(
  root: PublicJwk,
  check: { bundle: TrustBundle; keys: TrustedKey[] },
  token: string,
  receivedAt: number | null,
): Contents {
  const { bundle } = check;
  return {
    root,
    version: bundle.version,
    issuedAt: bundle.iat,
    validUntil: bundle.validUntil,
    receivedAt,
    keys: check.keys,
    publicKeys: bundle.keys,
    revoked: new Set(bundle.revoked),
    chain: [{ token, receivedAt, refresh: false }],
  };
}

/**
 * One step forward. With `inPlace` the contents are changed (a restore building its own copy); otherwise a new
 * contents object is returned and the current one is not touched.
 */
async function advance(
  current: Contents,
  token: string,
  receivedAt: number | null,
  inPlace: boolean,
): Promise<{ ok: true; contents: Contents } | Refused> {
  const check = await verifyTrustBundle(token, current.root);
  if (!check.ok) return check;
  const { bundle } = check;
  if (bundle.iat < current.issuedAt) {
    return refused(
      'OLDER',
      `it was issued at ${iso(bundle.iat)}, before the state's bundle of ${iso(current.issuedAt)}`,
    );
  }
  if (bundle.since === undefined) {
    if (bundle.version < current.version)
      return refused('OLDER', `it is version ${bundle.version}, older than the state's ${current.version}`);
    if (bundle.version === current.version) {
      // Same version: a refresh of time and keys, never a way to forget a revocation.
      const listed = new Set(bundle.revoked);
      for (const number of current.revoked) {
        if (!listed.has(number))
          return refused(
            'DROPS_REVOCATIONS',
            `it is version ${bundle.version} but lacks revocations the state holds`,
          );
      }
    }
    const next = startFrom(current.root, check, token, receivedAt);
    return { ok: true, contents: inPlace ? Object.assign(current, next) : next };
  }
  if (bundle.since !== current.version) {
    return refused(
      'OUT_OF_ORDER',
      `it is a delta from version ${bundle.since}, and the state is at version ${current.version}`,
    );
  }
  const revoked = inPlace ? current.revoked : new Set(current.revoked);
  for (const number of bundle.revoked) revoked.add(number);
  const refresh = bundle.since === bundle.version && bundle.revoked.length === 0;
  const chain = inPlace ? current.chain : [...current.chain];
  if (refresh && chain.length > 1 && chain.at(-1)?.refresh) chain.pop();
  chain.push({ token, receivedAt, refresh });
  const next: Contents = {
    root: current.root,
    version: bundle.version,
    issuedAt: bundle.iat,
    validUntil: bundle.validUntil,
    receivedAt,
    keys: check.keys,
    publicKeys: bundle.keys,
    revoked,
    chain,
  };
  return { ok: true, contents: inPlace ? Object.assign(current, next) : next };
}

/** The saved form read structurally, or a one-line reason; signatures are checked afterwards. */
function readSaved(saved: unknown): SerializedTrustState | string {
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) return 'it is not a JSON object';
  const form = saved as Record<string, unknown>;
  if (form.format !== TRUST_STATE_FORMAT) return `its format is not ${TRUST_STATE_FORMAT}`;
  if (!Array.isArray(form.bundles) || form.bundles.length === 0) return 'it holds no bundles';
  for (const entry of form.bundles as unknown[]) {
    const e = entry as { token?: unknown; receivedAt?: unknown } | null;
    const timeOk = e?.receivedAt === null || Number.isSafeInteger(e?.receivedAt);
    if (typeof e?.token !== 'string' || !timeOk) return 'a bundle entry lacks its token or receivedAt';
  }
  return form as unknown as SerializedTrustState;
}
