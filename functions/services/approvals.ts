// Approving an application issues its pass: re-checks, the next number, the signature, one transaction, retries.
import {
  findPassType,
  karachiDate,
  type PassType,
  passTypeInEffect,
} from '../../shared/domain/pass-types.ts';
import type { Signer } from '../../shared/keys.ts';
import type { Application, Pass } from '../store/records.ts';
import { RetriesExhausted, retryOnConflict, type Store } from '../store/store.ts';
import { decidableFrom, findApplication, refuseSecondActivePass } from './applications.ts';
import { type Clock, count, type Decider, METRIC, type MetricsRecorder } from './context.ts';
import { Busy, Conflict, NeedsSupervisor } from './errors.ts';
import { signPass } from './passes.ts';

export interface ApprovalDependencies {
  store: Store;
  clock: Clock;
  metrics: MetricsRecorder;
  passTypes: readonly PassType[];
  /** The current pass-signing key. */
  passSigner: () => Promise<Signer>;
}

export interface Approval {
  application: Application;
  pass: Pass;
  /** True when this call issued the pass; false when a rival (or an earlier call) already had. */
  issued: boolean;
}

/**
 * Configuration may end or change a pass type while applications wait (PASS_TYPES), so an approval checks the
 * type again: it must still exist, be issued today, and not end before the pass would.
 */
function checkPassTypeStillIssued(app: Application, now: Date, passTypes: readonly PassType[]): void {
  const type = findPassType(app.passType, passTypes);
  if (type === undefined) throw new Conflict(`The pass type ${app.passType} is no longer issued.`);
  if (!passTypeInEffect(type, now)) {
    throw new Conflict(
      karachiDate(now) < type.effectiveFrom
        ? `The ${type.name} is only issued from ${type.effectiveFrom}.`
        : `The ${type.name} ended on ${type.effectiveUntil}; it is no longer issued.`,
    );
  }
  if (type.effectiveUntil !== undefined && app.validUntil > type.effectiveUntil) {
    throw new Conflict(
      `The requested validity runs to ${app.validUntil}, past ${type.effectiveUntil}, the last day of the ${type.name}.`,
    );
  }
}

/**
 * Concurrent approvals race on one transaction: exactly one wins, and every other caller finds the application
 * approved and gets the same pass back.
 */
export async function approveApplication(
  deps: ApprovalDependencies,
  id: string,
  decider: Decider,
): Promise<Approval> {
  let app = await findApplication(deps.store, id);
  try {
    return await retryOnConflict(
      async () => {
        if (app.status === 'APPROVED' && app.passNumber) {
          const pass = await deps.store.passes.get(app.passNumber);
          if (!pass) throw new Error(`approved application ${app.id} has no pass ${app.passNumber}`);
          return { application: app, pass, issued: false };
        }
        const from = decidableFrom(app, decider);
        const now = deps.clock();
        const today = karachiDate(now);
        if (app.validUntil < today) throw new Conflict('The requested validity ended before approval.');
        checkPassTypeStillIssued(app, now, deps.passTypes);
        // A pass of the type may have been issued since the application was made (a group's, or a race).
        await refuseSecondActivePass(deps.store, app, today);
        const year = Number(today.slice(0, 4));
        const value = await deps.store.counters.peek('BP', year);
        const number = `BP-${year}-${String(value + 1).padStart(6, '0')}`;
        const pass = await signPass(app, number, await deps.passSigner(), decider.actor, now);
        // A CNIC may be listed after its application was stored as PENDING: it needs a supervisor all the same.
        // For an officer the transaction itself checks the watchlist, so a listing at any moment before it counts.
        await deps.store.passes.issue({
          app,
          from,
          pass,
          counter: { name: 'BP', year, value },
          actor: decider.actor,
          ...(decider.supervisor ? {} : { unlistedCnic: app.cnic }),
        });
        count(deps.metrics, METRIC.passesIssued);
        const approved: Application = {
          ...app,
          status: 'APPROVED',
          passNumber: number,
          updatedAt: pass.issuedAt,
          decision: { by: decider.actor, at: pass.issuedAt },
        };
        return { application: approved, pass, issued: true };
      },
      // Lost a race: another approval won (answered above on the next round), the counter moved, or the CNIC is
      // on the watchlist now.
      async () => {
        count(deps.metrics, METRIC.approvalRaceLost);
        if (!decider.supervisor && (await deps.store.watchlist.get(app.cnic))) {
          count(deps.metrics, METRIC.watchlistHits);
          throw new NeedsSupervisor(
            'This application needs review by an FIA supervisor: the CNIC is now on the watchlist.',
          );
        }
        app = await findApplication(deps.store, app.id);
      },
    );
  } catch (error) {
    if (error instanceof RetriesExhausted) {
      count(deps.metrics, METRIC.approvalRetriesExhausted);
      throw new Busy('Too many approvals at once; retry in a moment.');
    }
    throw error;
  }
}
