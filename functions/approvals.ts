// Approving an application issues its pass: the only route that signs credentials, so the only function that
// holds kms:Sign on the pass key.
import { findPassType, karachiDate, passTypeInEffect } from '../shared/domain/pass-types.ts';
import type { Role } from '../shared/schemas.ts';
import { checkDecidable, findApplication } from './application-access.ts';
import { actorOf, FIA_ROLES, json, problems, route, routeGroup } from './http.ts';
import { loadPassTypeDates } from './pass-type-dates.ts';
import { store } from './runtime.ts';
import { signing } from './runtime-signing.ts';
import type { Application } from './store/records.ts';
import { StateConflict } from './store/store.ts';
import { applicationView, passView, signPass } from './views.ts';

const APPROVERS: readonly Role[] = FIA_ROLES;
const MAX_ISSUE_ATTEMPTS = 8;
const passTypes = loadPassTypeDates();

/**
 * Configuration may end or change a pass type while applications wait (PASS_TYPES), so an approval checks the
 * type again: it must still exist, be issued today, and not end before the pass would.
 */
function checkPassTypeStillIssued(app: Application, now: Date): void {
  const type = findPassType(app.passType, passTypes);
  if (type === undefined) throw problems.conflict(`The pass type ${app.passType} is no longer issued.`);
  if (!passTypeInEffect(type, now)) {
    throw problems.conflict(
      karachiDate(now) < type.effectiveFrom
        ? `The ${type.name} is only issued from ${type.effectiveFrom}.`
        : `The ${type.name} ended on ${type.effectiveUntil}; it is no longer issued.`,
    );
  }
  if (type.effectiveUntil !== undefined && app.validUntil > type.effectiveUntil) {
    throw problems.conflict(
      `The requested validity runs to ${app.validUntil}, past ${type.effectiveUntil}, the last day of the ${type.name}.`,
    );
  }
}

/**
 * Approving issues the pass. Concurrent approvals race on one transaction: exactly one wins, and every other
 * caller finds the application approved and gets the same pass back.
 */
export const approveApplication = route({ roles: APPROVERS }, async ({ params, caller }) => {
  let app = await findApplication(params.id ?? '');
  for (let attempt = 0; attempt < MAX_ISSUE_ATTEMPTS; attempt++) {
    if (app.status === 'APPROVED' && app.passNumber) {
      const pass = await store.getPass(app.passNumber);
      if (!pass) throw new Error(`approved application ${app.id} has no pass ${app.passNumber}`);
      return json(200, { application: applicationView(app, caller), pass: passView(pass, caller) });
    }
    const from = checkDecidable(app, caller);
    // A CNIC may be listed after its application was stored as PENDING: it needs a supervisor all the same.
    // For an officer the transaction itself checks the watchlist, so a listing at any moment before it counts.
    const supervisor = caller.roles.includes('fia-supervisor');
    const now = new Date();
    const today = karachiDate(now);
    if (app.validUntil < today) throw problems.conflict('The requested validity ended before approval.');
    checkPassTypeStillIssued(app, now);
    const year = Number(today.slice(0, 4));
    const counter = await store.peekCounter('BP', year);
    const number = `BP-${year}-${String(counter + 1).padStart(6, '0')}`;
    const actor = actorOf(caller, APPROVERS);
    const pass = await signPass(app, number, await signing.pass(), actor, now);
    try {
      await store.issuePass(
        app,
        from,
        pass,
        { name: 'BP', year, value: counter },
        actor,
        supervisor ? undefined : app.cnic,
      );
      const approved: Application = {
        ...app,
        status: 'APPROVED',
        passNumber: number,
        updatedAt: pass.issuedAt,
        decision: { by: actor, at: pass.issuedAt },
      };
      return json(
        201,
        { application: applicationView(approved, caller), pass: passView(pass, caller) },
        { location: `/passes/${number}` },
      );
    } catch (error) {
      if (!(error instanceof StateConflict)) throw error;
      // Lost a race: another approval won (answered above on the next turn), the counter moved, or the
      // CNIC is on the watchlist.
      if (!supervisor && (await store.getWatch(app.cnic))) {
        throw problems.forbidden(
          'This application needs review by an FIA supervisor: the CNIC is now on the watchlist.',
        );
      }
      app = await findApplication(app.id);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
    }
  }
  throw problems.busy('Too many approvals at once; retry in a moment.');
});

export const handler = routeGroup({ 'POST /applications/{id}/approve': approveApplication });
