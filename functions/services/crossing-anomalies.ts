// The anomalies of one crossing: what FIA must look at in a record that is stored all the same, since the person
// has already crossed. Judged from the record, the server's verdict as of its time and the crossing before it.
import {
  DEFAULT_SKEW_SECONDS,
  type PassClaims,
  passPoints,
  type Verdict,
  type VesselClaims,
} from '../../shared/credential.ts';
import type { AnomalyKind, CrossingInput } from '../../shared/crossing-schemas.ts';
import { takesBorderPasses, takesVessels } from '../../shared/domain/reference.ts';
import type { Anomaly, CrossingSummary } from '../store/crossings.ts';

/** A credential's revocation as the server holds it: when it took effect, and the list version that added it. */
export interface KnownRevocation {
  at: number;
  version: number;
}

/** What a crossing's anomalies are judged from. */
export interface RecordFacts {
  input: CrossingInput;
  /** The record's time, epoch ms. */
  atMs: number;
  /** The server's own verdict as of the record's time. */
  serverVerdict: Verdict;
  claims: PassClaims | VesselClaims;
  revocation?: KnownRevocation;
}

/** Whether a CNIC is on the watchlist (strongly consistent, so a listing a moment ago counts). */
export type Watchlisted = (cnic: string) => Promise<boolean>;

const sameCrew = (a: NonNullable<CrossingSummary['crew']>, b: NonNullable<CrossingSummary['crew']>) =>
  a.count === b.count && [...a.cnics].sort().join() === [...b.cnics].sort().join();

const iso = (ms: number) => new Date(ms).toISOString();

/** Every anomaly of one crossing, given the crossing of the same credential just before it. */
export async function anomaliesOf(
  record: RecordFacts,
  previous: CrossingSummary | undefined,
  watchlisted: Watchlisted,
  skewSeconds = DEFAULT_SKEW_SECONDS,
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
  if (input.verdict !== 'VALID' && !input.override) {
    add(
      'NOT_VALID_WITHOUT_OVERRIDE',
      `The device said ${input.verdict}, yet the crossing was recorded with no override and no reason.`,
    );
  }
  if (input.verdict !== record.serverVerdict) {
    add('VERDICT_MISMATCH', `The device said ${input.verdict}; the server says ${record.serverVerdict}.`);
  }
  const before = beforeValidity(record, skewSeconds);
  if (before) add('BEFORE_VALIDITY', before);
  const known = afterKnownRevocation(record);
  if (known) add('AFTER_KNOWN_REVOCATION', known);
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

/** Why the record is dated before its credential was valid, beyond the clock tolerance; undefined if it is not. */
export function beforeValidity(
  record: Pick<RecordFacts, 'atMs' | 'claims'>,
  skewSeconds: number,
): string | undefined {
  const { nbf } = record.claims;
  if (nbf === undefined || record.atMs >= (nbf - skewSeconds) * 1000) return undefined;
  return `Dated ${iso(record.atMs)}, before the credential was valid from ${iso(nbf * 1000)}.`;
}

/**
 * Why the record contradicts a revocation its device already held, or undefined. The device's trust state was at
 * `trustVersion`; a revocation added at that version or before was on the device, so the device could not have
 * found the credential VALID, and a record dated before the revocation took effect was dated back.
 */
export function afterKnownRevocation(
  record: Pick<RecordFacts, 'input' | 'atMs' | 'revocation'>,
): string | undefined {
  const { input, revocation } = record;
  if (!revocation || input.trustVersion === undefined || input.trustVersion < revocation.version)
    return undefined;
  const knew = `The device's trust state (version ${input.trustVersion}) held the revocation of ${iso(revocation.at)} (version ${revocation.version})`;
  if (record.atMs < revocation.at) return `${knew}, yet the record is dated before it, ${iso(record.atMs)}.`;
  if (input.verdict === 'VALID') return `${knew}, yet the device recorded the credential as VALID.`;
  return undefined;
}
