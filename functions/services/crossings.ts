// Recording crossings a checkpoint synced: each verified again with the server's keys and revocations as of the
// crossing time, judged against the credential's history for anomalies, and stored once however often it is sent.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  importKeys,
  isGroupPass,
  type PassClaims,
  passPoints,
  UnrootedKeys,
  type VerificationWarning,
  type VesselClaims,
  verifyCredential,
} from '../../shared/credential.ts';
import { type AnomalyKind, CrossingInput, type CrossingResult } from '../../shared/crossing-schemas.ts';
import { takesBorderPasses, takesVessels } from '../../shared/domain/reference.ts';
import { zodIssuesToFieldErrors } from '../../shared/field-errors.ts';
import type { PublicJwk, TrustedKey } from '../../shared/keys.ts';
import type { Anomaly, Crossing, CrossingSummary } from '../store/crossings.ts';
import type { Actor } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { keys } from '../store/table.ts';
import type { Clock, MetricsRecorder } from './context.ts';

/** A device clock a day ahead is broken, not drifting: such a record is refused rather than filed in the future. */
export const MAX_FUTURE_MS = 24 * 3600_000;
/**
 * Credentials of different holders are judged side by side, each one's records strictly in time order. Just
 * under the SDK's 50 sockets per client: a batch is bound by request round trips, not by the ES256 checks.
 */
const CONCURRENT_CREDENTIALS = 48;

/** The revocation list with the time of each revocation, kept per container and moved forward by deltas. */
export class RevocationTimes {
  #version = 0;
  readonly #revokedAt = new Map<string, number>();
  #pending: Promise<void> | undefined;

  /** Reads the head (one GetItem) and, when it moved, only the revocations after the version held. */
  refresh(store: Pick<Store, 'revocations' | 'crossings'>): Promise<void> {
    this.#pending ??= (async () => {
      try {
        const head = await store.revocations.version();
        if (head === this.#version) return;
        // A head behind ours means another table: start again from nothing.
        if (head < this.#version) {
          this.#revokedAt.clear();
          this.#version = 0;
        }
        const delta = await store.revocations.since(this.#version);
        for (const { number, at } of delta.entries) this.#revokedAt.set(number, Date.parse(at));
        this.#version = delta.version;
      } finally {
        this.#pending = undefined;
      }
    })();
    return this.#pending;
  }

  /** When `number` was revoked (epoch ms), if it was. */
  revokedAt(number: string): number | undefined {
    return this.#revokedAt.get(number);
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
  sk: string;
  credentialPk: string;
  credential: string;
  serverVerdict: Crossing['serverVerdict'];
  claims: PassClaims | VesselClaims;
}

/** A crossing judged and ready to be written, with its place in the batch. */
interface Judged {
  index: number;
  crossing: Crossing;
}

/** Whether a CNIC is on the watchlist (strongly consistent, so a listing a moment ago counts). */
type Watchlisted = (cnic: string) => Promise<boolean>;

const rejected = (id: string | undefined, reason: string): CrossingResult => ({
  id: id ?? '',
  result: 'rejected',
  reason,
});

/**
 * Records a batch. Each record gets its own result in the order sent: `stored` (with its anomalies),
 * `duplicate` (its id was stored before; nothing is written again) or `rejected` with the reason. One bad record
 * never refuses the others.
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
  const seen = new Set<string>();
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
  // The same id twice in one batch is one crossing: the first is judged, the later ones are replays of it.
  verified.sort((a, b) => a.index - b.index);
  const unique = verified.filter((record) => {
    if (!seen.has(record.input.id)) {
      seen.add(record.input.id);
      return true;
    }
    results[record.index] = { id: record.input.id, result: 'duplicate' };
    return false;
  });

  const byCredential = new Map<string, Verified[]>();
  for (const record of unique) {
    const group = byCredential.get(record.credentialPk) ?? [];
    group.push(record);
    byCredential.set(record.credentialPk, group);
  }
  const groups = [...byCredential.values()];
  // A crew sails out and back in the same batch: each CNIC is looked up once per batch.
  const looked = new Map<string, Promise<boolean>>();
  const watchlisted = (cnic: string) => {
    let found = looked.get(cnic);
    if (!found) {
      found = deps.store.watchlist.get(cnic).then((entry) => entry !== undefined);
      looked.set(cnic, found);
    }
    return found;
  };
  const judged: Judged[] = [];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next++] as Verified[];
      const history = await judgeHistory(deps, group, poster, now, watchlisted);
      for (const [index, id] of history.duplicates) results[index] = { id, result: 'duplicate' };
      judged.push(...history.judged);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_CREDENTIALS, groups.length) }, worker));
  // Written together, a transaction per hundred items: a crossing whose condition fails was stored before.
  const written = await deps.store.crossings.recordAll(judged.map((j) => j.crossing));
  judged.forEach(({ index, crossing }, i) => {
    results[index] = written[i]
      ? { id: crossing.id, result: 'stored', anomalies: crossing.anomalies.map((a) => a.type) }
      : { id: crossing.id, result: 'duplicate' };
  });

  const tally = { stored: 0, duplicate: 0, rejected: 0 };
  for (const result of results) tally[result.result]++;
  deps.metrics.addMetric('CrossingsStored', MetricUnit.Count, tally.stored);
  deps.metrics.addMetric('CrossingsDuplicate', MetricUnit.Count, tally.duplicate);
  deps.metrics.addMetric('CrossingsRejected', MetricUnit.Count, tally.rejected);
  return results;
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
  return {
    input,
    at,
    sk: keys.crossing(credentialPk, at, input.id).SK,
    credentialPk,
    credential,
    serverVerdict: verification.verdict,
    claims: verification.claims,
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
): Promise<{ duplicates: [number, string][]; judged: Judged[] }> {
  group.sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
  const first = group[0] as Verified;
  const last = group.at(-1) as Verified;
  // A pass's IN has no anomaly that depends on what came before; only then is the history not read.
  const needsHistory = group.some((r) => r.input.kind === 'vr' || r.input.direction === 'OUT');
  const timeline: CrossingSummary[] = needsHistory
    ? await deps.store.crossings.around(first.credentialPk, first.sk, last.sk)
    : [];
  const receivedAt = now.toISOString();
  const duplicates: [number, string][] = [];
  const judged: Judged[] = [];
  for (const record of group) {
    if (timeline.some((c) => c.sk === record.sk)) {
      duplicates.push([record.index, record.input.id]);
      continue;
    }
    const previous = timeline.filter((c) => c.sk < record.sk).at(-1);
    const anomalies = await anomaliesOf(record, previous, watchlisted);
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
      anomalies,
      postedBy: poster.actor,
      receivedAt,
    };
    judged.push({ index: record.index, crossing });
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
  return { duplicates, judged };
}

const sameCrew = (a: NonNullable<CrossingSummary['crew']>, b: NonNullable<CrossingSummary['crew']>) =>
  a.count === b.count && [...a.cnics].sort().join() === [...b.cnics].sort().join();

/** Every anomaly of one crossing, given the crossing of the same credential just before it. */
async function anomaliesOf(
  record: Verified,
  previous: CrossingSummary | undefined,
  watchlisted: Watchlisted,
): Promise<Anomaly[]> {
  const { input, claims } = record;
  const found: Anomaly[] = [];
  const add = (type: AnomalyKind, detail: string, extra: Partial<Anomaly> = {}) =>
    found.push({ type, detail, ...extra });

  if (input.direction === 'OUT' && previous?.direction === 'OUT') {
    add('DOUBLE_OUT', `Out at ${previous.checkpoint} on ${previous.at} and again with no IN between.`);
  }
  if (input.kind === 'bp') {
    const points = passPoints(claims as PassClaims);
    if (!takesBorderPasses(input.checkpoint) || !points.includes(input.checkpoint)) {
      add('POINT_NOT_ON_PASS', `The pass lists ${points.join(', ')}, not ${input.checkpoint}.`);
    }
  } else if (!takesVessels(input.checkpoint)) {
    add('POINT_NOT_ON_PASS', `${input.checkpoint} is not a port or sea crossing, where boats are checked.`);
  }
  if (input.override) add('OVERRIDE', `Let through on override: ${input.override.reason}`);
  if (input.verdict !== record.serverVerdict) {
    add('VERDICT_MISMATCH', `The device said ${input.verdict}; the server says ${record.serverVerdict}.`);
  }
  if (input.kind === 'vr' && input.crew) {
    const limit = (claims as VesselClaims).m;
    if (input.crew.count > limit) {
      add('CREW_ABOVE_LIMIT', `Crew of ${input.crew.count}; the certificate allows ${limit}.`);
    }
    if (input.direction === 'IN' && previous?.direction === 'OUT' && previous.crew) {
      if (!sameCrew(previous.crew, input.crew)) {
        add(
          'CREW_CHANGED',
          `Left on ${previous.at} with a crew of ${previous.crew.count} and returned with ${input.crew.count}${
            previous.crew.count === input.crew.count ? ', not the same people' : ''
          }.`,
        );
      }
    }
    const listed = (
      await Promise.all(input.crew.cnics.map(async (cnic) => ((await watchlisted(cnic)) ? cnic : undefined)))
    ).filter((cnic): cnic is string => cnic !== undefined);
    if (listed.length > 0) {
      add('CREW_ON_WATCHLIST', `${listed.length} of the crew on the watchlist.`, { cnics: listed });
    }
  }
  return found;
}
