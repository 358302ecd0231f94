// Recording crossings a checkpoint synced: each verified again with the server's keys and revocations as of the
// crossing time, judged against the credential's history for anomalies, and stored once however often it is sent.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  DEFAULT_SKEW_SECONDS,
  importKeys,
  isGroupPass,
  type PassClaims,
  UnrootedKeys,
  type VerificationWarning,
  type VesselClaims,
  verifyCredential,
} from '../../shared/credential.ts';
import { CrossingInput, type CrossingResult } from '../../shared/crossing-schemas.ts';
import { zodIssuesToFieldErrors } from '../../shared/field-errors.ts';
import type { PublicJwk, TrustedKey } from '../../shared/keys.ts';
import type {
  ClaimedCrossing,
  ConflictingResend,
  Crossing,
  CrossingClaim,
  CrossingSummary,
} from '../store/crossings.ts';
import type { Actor } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { keys } from '../store/table.ts';
import type { Clock, MetricsRecorder } from './context.ts';
import { anomaliesOf, type KnownRevocation, type Watchlisted } from './crossing-anomalies.ts';
import { type CanonicalRecord, changedFields, claimFor, conflictDetail } from './crossing-content.ts';

/** A device clock a day ahead is broken, not drifting: such a record is refused rather than filed in the future. */
export const MAX_FUTURE_MS = 24 * 3600_000;
/**
 * The oldest record taken, before the server time: a pass lasts at most 365 days and a post may stay offline for
 * weeks, so a crossing of a valid credential is synced well within 400 days. Anything older (year 0001, 1970 after a
 * flat clock battery) is a broken clock or a made-up record, and is refused rather than filed into the past.
 */
export const MAX_PAST_MS = 400 * 86400_000;
/** Conflicting resends filed at once: a handful per batch at most, each its own small transaction. */
const CONCURRENT_CONFLICTS = 8;
/**
 * Credentials of different holders are judged side by side, each one's records strictly in time order. Just
 * under the SDK's 50 sockets per client: a batch is bound by request round trips, not by the ES256 checks.
 */
const CONCURRENT_CREDENTIALS = 48;

/** The revocation list with the time and version of each revocation, kept per container and moved forward by deltas. */
export class RevocationTimes {
  #version = 0;
  readonly #revoked = new Map<string, KnownRevocation>();
  #pending: Promise<void> | undefined;

  /** Reads the head (one GetItem) and, when it moved, only the revocations after the version held. */
  refresh(store: Pick<Store, 'revocations' | 'crossings'>): Promise<void> {
    this.#pending ??= (async () => {
      try {
        const head = await store.revocations.version();
        if (head === this.#version) return;
        // A head behind ours means another table: start again from nothing.
        if (head < this.#version) {
          this.#revoked.clear();
          this.#version = 0;
        }
        const delta = await store.revocations.since(this.#version);
        for (const { number, at, version } of delta.entries)
          this.#revoked.set(number, { at: Date.parse(at), version });
        this.#version = delta.version;
      } finally {
        this.#pending = undefined;
      }
    })();
    return this.#pending;
  }

  /** When `number` was revoked (epoch ms), if it was. */
  revokedAt(number: string): number | undefined {
    return this.#revoked.get(number)?.at;
  }

  /** The revocation of `number` with the version that published it, if it was revoked. */
  revocation(number: string): KnownRevocation | undefined {
    return this.#revoked.get(number);
  }
}

/**
 * The server's own trust at one instant: its pass keys, and a credential counts as revoked only if its revocation
 * took effect by then. It has no bundle to go stale, so it carries no warning.
 */
class TrustAsOf extends UnrootedKeys {
  readonly #revocations: RevocationTimes;
  readonly #at: number;

  constructor(keys: readonly TrustedKey[], revocations: RevocationTimes, at: number) {
    super(keys);
    this.#revocations = revocations;
    this.#at = at;
  }

  override isRevoked(number: string): boolean {
    const at = this.#revocations.revokedAt(number);
    return at !== undefined && at <= this.#at;
  }

  override warnings(): VerificationWarning[] {
    return [];
  }
}

export interface CrossingsDependencies {
  store: Store;
  clock: Clock;
  metrics: MetricsRecorder;
  /** The published pass-signing keys (current and retired), imported once (see keyring). */
  keys: () => Promise<readonly TrustedKey[]>;
  revocations: RevocationTimes;
  /** Tolerance on a credential's nbf and exp, seconds (the design's configurable clock skew, 5 minutes). */
  skewSeconds?: number;
}

/** The pass keys imported once per container; a failure is forgotten so the next request tries again. */
export function keyring(passPublicKeys: () => Promise<PublicJwk[]>): () => Promise<readonly TrustedKey[]> {
  let imported: Promise<readonly TrustedKey[]> | undefined;
  return () => {
    imported ??= passPublicKeys()
      .then(async (jwks) => {
        const checked = await importKeys(jwks);
        if (!checked.ok) throw new Error(`a published pass key is unusable: ${checked.reason}`);
        return checked.keys;
      })
      .catch((error: unknown) => {
        imported = undefined;
        throw error;
      });
    return imported;
  };
}

/** The officer posting, and the one checkpoint they may post for. */
export interface Poster {
  actor: Actor;
  checkpoint: string;
}

/** A record that passed its checks and verified: ready to be judged against its credential's history. */
interface Verified {
  index: number;
  input: CrossingInput;
  at: string;
  atMs: number;
  sk: string;
  credentialPk: string;
  credential: string;
  serverVerdict: Crossing['serverVerdict'];
  claims: PassClaims | VesselClaims;
  canonical: CanonicalRecord;
  claim: CrossingClaim;
}

/** A crossing judged and ready to be written, with its place in the batch. */
interface Judged {
  index: number;
  claimed: ClaimedCrossing;
}

/** A record whose id another crossing holds, waiting to be told apart: a replay, or a conflict to file. */
interface Resend {
  record: Verified;
  /** The crossing holding the id: its claim, or the batch's first record of the id while that one is written. */
  holder: CrossingClaim | Verified;
}

const rejected = (id: string | undefined, reason: string): CrossingResult => ({
  id: id ?? '',
  result: 'rejected',
  reason,
});

/**
 * Records a batch. Each record gets its own result in the order sent: `stored` (with its anomalies),
 * `duplicate` (its id was stored before with this very content; nothing is written again) or `rejected` with the
 * reason: bad or unverifiable input, or an id stored before with other content (a conflict, filed for FIA as a
 * CONFLICTING_RESEND anomaly against the stored crossing). One bad record never refuses the others.
 */
export async function recordCrossings(
  deps: CrossingsDependencies,
  records: readonly unknown[],
  poster: Poster,
): Promise<CrossingResult[]> {
  const now = deps.clock();
  const results: CrossingResult[] = new Array(records.length);
  const [trustedKeys] = await Promise.all([deps.keys(), deps.revocations.refresh(deps.store)]);

  const verified: Verified[] = [];
  await Promise.all(
    records.map(async (raw, index) => {
      const outcome = await check(raw, poster, now, trustedKeys, deps.revocations);
      if ('result' in outcome) {
        results[index] = outcome;
        return;
      }
      verified.push({ ...outcome, index });
    }),
  );
  verified.sort((a, b) => a.index - b.index);

  // An id is held by the crossing that claimed it, whatever else a resend changes; within the batch the first
  // record of an id holds it, and the later ones are resends of that one.
  const claims =
    verified.length > 0
      ? await deps.store.crossings.claims(verified.map((r) => r.input.id))
      : new Map<string, CrossingClaim>();
  const firsts = new Map<string, Verified>();
  const resends: Resend[] = [];
  for (const record of verified) {
    const holder = claims.get(record.input.id) ?? firsts.get(record.input.id);
    if (holder) resends.push({ record, holder });
    else firsts.set(record.input.id, record);
  }

  const byCredential = new Map<string, Verified[]>();
  for (const record of firsts.values()) {
    const group = byCredential.get(record.credentialPk) ?? [];
    group.push(record);
    byCredential.set(record.credentialPk, group);
  }
  const groups = [...byCredential.values()];
  // A crew sails out and back in the same batch: each CNIC is looked up once per batch.
  const looked = new Map<string, Promise<boolean>>();
  const watchlisted: Watchlisted = (cnic) => {
    let found = looked.get(cnic);
    if (!found) {
      found = deps.store.watchlist.get(cnic).then((entry) => entry !== undefined);
      looked.set(cnic, found);
    }
    return found;
  };
  const judged: Judged[] = [];
  // Records whose crossing key or id turned out to be held already: told apart by the claims below.
  const lost: Verified[] = [];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++] as Verified[];
      const history = await judgeHistory(deps, group, poster, now, watchlisted);
      lost.push(...history.stored);
      judged.push(...history.judged);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_CREDENTIALS, groups.length) }, worker));
  // Written together, a transaction per hundred items. A crossing not written lost its id to a request that
  // stored it first (its claim is there to compare with), or was stored with its very key before ids were claimed.
  const written = await deps.store.crossings.recordAll(judged.map((j) => j.claimed));
  judged.forEach(({ index, claimed: { crossing } }, i) => {
    if (written[i] === 'written')
      results[index] = {
        id: crossing.id,
        result: 'stored',
        anomalies: crossing.anomalies.map((a) => a.type),
      };
    else lost.push(firsts.get(crossing.id) as Verified);
  });
  if (lost.length > 0) {
    // A transaction may name only the first condition that failed: the claims say who holds each id.
    const holders = await deps.store.crossings.claims(lost.map((r) => r.input.id));
    for (const record of lost) {
      const holder = holders.get(record.input.id);
      if (holder) resends.push({ record, holder });
      else results[record.index] = { id: record.input.id, result: 'duplicate' };
    }
    // The batch's later records of a lost id are resends of the crossing that holds it, not of the first record.
    for (const resend of resends) {
      const winner = holders.get(resend.record.input.id);
      if (winner && 'claim' in resend.holder) resend.holder = winner;
    }
  }
  const conflicts = await settleResends(deps, resends, results, poster, now);

  const tally = { stored: 0, duplicate: 0, rejected: 0 };
  for (const result of results) tally[result.result]++;
  deps.metrics.addMetric('CrossingsStored', MetricUnit.Count, tally.stored);
  deps.metrics.addMetric('CrossingsDuplicate', MetricUnit.Count, tally.duplicate);
  deps.metrics.addMetric('CrossingsRejected', MetricUnit.Count, tally.rejected);
  deps.metrics.addMetric('CrossingsConflicting', MetricUnit.Count, conflicts);
  return results;
}

/**
 * Answers each resend: `duplicate` when its content is the holder's, else `rejected` as a conflict, with one
 * CONFLICTING_RESEND anomaly per distinct content resent, filed against the stored crossing. A resend of a batch
 * record that was not stored after all (an older crossing held its key) is measured against that record: the
 * stored crossing is its very key. The number of conflicting records.
 */
async function settleResends(
  deps: CrossingsDependencies,
  resends: readonly Resend[],
  results: CrossingResult[],
  poster: Poster,
  now: Date,
): Promise<number> {
  const filed = new Map<string, ConflictingResend>();
  let conflicting = 0;
  for (const { record, holder } of resends) {
    const original = 'claim' in holder ? holder.claim : holder;
    if (record.claim.digest === original.digest) {
      results[record.index] = { id: record.input.id, result: 'duplicate' };
      continue;
    }
    conflicting++;
    const fields = changedFields(original, record.canonical);
    results[record.index] = rejected(
      record.input.id,
      `This id was recorded before with other content (changed: ${fields.join(', ') || 'content'}): a crossing id is stored once, so the crossing stored first stands and this record is not stored. FIA is told (CONFLICTING_RESEND). A different crossing needs a new id.`,
    );
    const key = `${record.input.id}#${record.claim.digest}`;
    if (!filed.has(key)) {
      filed.set(key, {
        original,
        digest: record.claim.digest,
        detail: conflictDetail(original, record.canonical, fields),
        resend: { fields, postedBy: { ...poster.actor }, receivedAt: now.toISOString() },
      });
    }
  }
  const pending = [...filed.values()];
  let next = 0;
  const worker = async () => {
    while (next < pending.length)
      await deps.store.crossings.raiseConflict(pending[next++] as ConflictingResend);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_CONFLICTS, pending.length) }, worker));
  return conflicting;
}

/** The record's shape, its checkpoint, its time and its credential; a result when it is refused. */
async function check(
  raw: unknown,
  poster: Poster,
  now: Date,
  trustedKeys: readonly TrustedKey[],
  revocations: RevocationTimes,
): Promise<Omit<Verified, 'index'> | CrossingResult> {
  const rawId = (raw as { id?: unknown } | null)?.id;
  const parsed = CrossingInput.safeParse(raw);
  if (!parsed.success) {
    const fields = zodIssuesToFieldErrors(parsed.error.issues)
      .slice(0, 5)
      .map((e) => `${e.field || 'record'}: ${e.message}`);
    // The id is echoed so the device can match the answer; anything longer than an id is not echoed back.
    const id = typeof rawId === 'string' && rawId.length <= 64 ? rawId : undefined;
    return rejected(id, `Invalid record (${fields.join('; ')}).`);
  }
  const input = parsed.data;
  if (input.checkpoint !== poster.checkpoint) {
    return rejected(
      input.id,
      `Recorded at ${input.checkpoint}; this account posts only for ${poster.checkpoint}.`,
    );
  }
  const atMs = Date.parse(input.at);
  if (atMs > now.getTime() + MAX_FUTURE_MS) {
    return rejected(input.id, 'Recorded more than a day after the server time: the device clock is wrong.');
  }
  if (atMs < now.getTime() - MAX_PAST_MS) {
    return rejected(
      input.id,
      `Recorded more than ${MAX_PAST_MS / 86400_000} days before the server time, longer than any pass lasts and any post stays offline: the device clock is wrong.`,
    );
  }
  const at = new Date(atMs).toISOString();
  const verification = await verifyCredential(
    input.credential,
    new TrustAsOf(trustedKeys, revocations, atMs),
    { now: new Date(atMs), kind: input.kind, checkpoint: input.checkpoint },
  );
  // Without a verified number there is no credential to file the crossing under: a forged or damaged code is
  // refused, never written into a real holder's history.
  if (!verification.claims) {
    return rejected(
      input.id,
      `The credential does not verify (${verification.verdict}): ${verification.detail}.`,
    );
  }
  if (input.kind === 'bp' && isGroupPass(verification.claims as PassClaims)) {
    return rejected(
      input.id,
      "A group pass names a pilgrim group and its leader; it is no travel document: record each member's own pass.",
    );
  }
  const credential = verification.claims.sub;
  const credentialPk =
    input.kind === 'bp' ? keys.pass(credential).PK : keys.vessel(credential.split('/')[0] as string).PK;
  const { claim, canonical } = claimFor({
    id: input.id,
    credential,
    credentialPk,
    credentialKind: input.kind,
    checkpoint: input.checkpoint,
    direction: input.direction,
    at,
    officer: input.officer,
    device: input.device,
    deviceVerdict: input.verdict,
    ...(input.override ? { override: input.override } : {}),
    ...(input.crew ? { crew: input.crew } : {}),
    ...(input.trustVersion !== undefined ? { trustVersion: input.trustVersion } : {}),
  });
  return {
    input,
    at,
    atMs,
    sk: keys.crossing(credentialPk, at, input.id).SK,
    credentialPk,
    credential,
    serverVerdict: verification.verdict,
    claims: verification.claims,
    canonical,
    claim,
  };
}

/**
 * One credential's records of the batch, oldest first, each judged against the crossing just before it: those
 * already stored around them (one Query) and the batch's own earlier ones.
 */
async function judgeHistory(
  deps: CrossingsDependencies,
  group: Verified[],
  poster: Poster,
  now: Date,
  watchlisted: Watchlisted,
): Promise<{ stored: Verified[]; judged: Judged[] }> {
  group.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  const first = group[0] as Verified;
  const last = group.at(-1) as Verified;
  // A pass's IN has no anomaly that depends on what came before; only then is the history not read.
  const needsHistory = group.some((r) => r.input.kind === 'vr' || r.input.direction === 'OUT');
  const timeline: CrossingSummary[] = needsHistory
    ? await deps.store.crossings.around(first.credentialPk, first.sk, last.sk)
    : [];
  const receivedAt = now.toISOString();
  const stored: Verified[] = [];
  const judged: Judged[] = [];
  for (const record of group) {
    // Its very key is stored: before ids were claimed (a replay, as it always was), or a moment ago by another
    // request, whose claim then decides.
    if (timeline.some((c) => c.sk === record.sk)) {
      stored.push(record);
      continue;
    }
    const previous = timeline.filter((c) => c.sk < record.sk).at(-1);
    const revocation = deps.revocations.revocation(record.credential);
    const anomalies = await anomaliesOf(
      { ...record, ...(revocation ? { revocation } : {}) },
      previous,
      watchlisted,
      deps.skewSeconds ?? DEFAULT_SKEW_SECONDS,
    );
    const { input } = record;
    const crossing: Crossing = {
      id: input.id,
      credentialPk: record.credentialPk,
      credential: record.credential,
      credentialKind: input.kind,
      checkpoint: input.checkpoint,
      direction: input.direction,
      at: record.at,
      officer: input.officer,
      device: input.device,
      deviceVerdict: input.verdict,
      serverVerdict: record.serverVerdict,
      ...(input.override ? { override: input.override } : {}),
      ...(input.crew ? { crew: input.crew } : {}),
      ...(input.trustVersion !== undefined ? { trustVersion: input.trustVersion } : {}),
      anomalies,
      postedBy: poster.actor,
      receivedAt,
    };
    judged.push({ index: record.index, claimed: { crossing, claim: record.claim } });
    // Later records of the batch are judged against this one, however its write turns out.
    const summary: CrossingSummary = {
      id: input.id,
      at: record.at,
      direction: input.direction,
      checkpoint: input.checkpoint,
      sk: record.sk,
      ...(input.crew ? { crew: input.crew } : {}),
    };
    const at = timeline.findIndex((c) => c.sk > record.sk);
    timeline.splice(at === -1 ? timeline.length : at, 0, summary);
  }
  return { stored, judged };
}
