// Border-pass applications: submit, read, the officer queue, approve (issues the signed pass) and reject.
import { ulid } from 'ulid';
import { validateApplication } from '../shared/domain/application.ts';
import { parseCnic } from '../shared/domain/cnic.ts';
import { findPassType, karachiDate, passTypeInEffect } from '../shared/domain/pass-types.ts';
import {
  APPLICATION_STATUSES,
  ApplicationInput,
  type ApplicationStatus,
  RejectInput,
  type Role,
} from '../shared/schemas.ts';
import { actorOf, type Caller, FIA_ROLES, hasRole, json, problems, route, routeGroup } from './http.ts';
import { loadPassTypesConfig } from './pass-types-config.ts';
import { store } from './runtime.ts';
import { signing } from './runtime-signing.ts';
import type { Application } from './store/records.ts';
import { CursorError, OpenApplicationExists, StateConflict } from './store/store.ts';
import { applicationView, passView, signPass } from './views.ts';

const OPEN: readonly ApplicationStatus[] = ['PENDING', 'NEEDS_REVIEW'];
const APPROVERS: readonly Role[] = FIA_ROLES;
const MAX_ISSUE_ATTEMPTS = 8;
const passTypes = loadPassTypesConfig();

async function findApplication(id: string): Promise<Application> {
  const app = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await store.getApplication(id) : undefined;
  if (!app) throw problems.notFound(`No application ${id}.`);
  return app;
}

function mayRead(app: Application, caller: Caller): boolean {
  return hasRole(caller, FIA_ROLES) || (app.applicantSub !== undefined && app.applicantSub === caller.sub);
}

/** Which open statuses this caller may decide: a watchlist hit needs a supervisor. */
function decidable(caller: Caller): readonly ApplicationStatus[] {
  return caller.roles.includes('fia-supervisor') ? OPEN : ['PENDING'];
}

function checkDecidable(app: Application, caller: Caller): readonly ApplicationStatus[] {
  if (!OPEN.includes(app.status)) throw problems.conflict(`Application ${app.id} is already ${app.status}.`);
  const allowed = decidable(caller);
  if (!allowed.includes(app.status)) {
    throw problems.forbidden('This application needs review by an FIA supervisor.');
  }
  return allowed;
}

/**
 * An applicant applies only for the CNIC their account is bound to, or anyone could file (and later collect a
 * pass) in another resident's name. A CNIC that does not parse is left to validation, which names the field.
 */
function checkOwnCnic(cnic: string, caller: Caller): void {
  if (caller.cnic === undefined) {
    throw problems.forbidden('Your account has no CNIC; ask an FIA office to register it.');
  }
  const parsed = parseCnic(cnic);
  if (parsed.ok && parsed.cnic !== caller.cnic)
    throw problems.forbidden('You may apply only for your own CNIC.');
}

export const submitApplication = route(
  { roles: ['applicant', 'fia-officer'], body: ApplicationInput },
  async ({ body, caller }) => {
    const actor = actorOf(caller, ['applicant', 'fia-officer']);
    if (actor.role === 'applicant') checkOwnCnic(body.cnic, caller);
    const now = new Date();
    const checked = validateApplication(body, now, passTypes);
    if (!checked.ok) throw problems.invalid('The application cannot be accepted as it is.', checked.errors);
    const value = checked.value;
    const watch = await store.getWatch(value.cnic);
    const at = now.toISOString();
    const app: Application = {
      id: ulid(),
      status: watch ? 'NEEDS_REVIEW' : 'PENDING',
      passType: value.passType,
      cnic: value.cnic,
      name: value.name,
      fatherName: value.fatherName,
      district: value.district,
      crossingPoints: value.crossingPoints,
      validFrom: value.validFrom,
      validUntil: value.validUntil,
      ...(value.phone ? { phone: value.phone } : {}),
      ...(actor.role === 'applicant' ? { applicantSub: caller.sub } : {}),
      submittedBy: actor,
      createdAt: at,
      updatedAt: at,
      ...(watch ? { reviewReason: `watchlist: ${watch.category}` } : {}),
    };
    try {
      await store.createApplication(app);
    } catch (error) {
      if (error instanceof OpenApplicationExists) {
        throw problems.conflict('An application for this CNIC is already waiting for a decision.');
      }
      throw error;
    }
    return json(201, applicationView(app, caller), { location: `/applications/${app.id}` });
  },
);

export const getApplication = route({ roles: ['applicant', ...FIA_ROLES] }, async ({ params, caller }) => {
  const app = await findApplication(params.id ?? '');
  if (!mayRead(app, caller)) throw problems.forbidden('This application is not yours.');
  return json(200, applicationView(app, caller));
});

export const listApplications = route({ roles: FIA_ROLES }, async ({ query, caller }) => {
  const status = (query.status ?? 'PENDING').toUpperCase() as ApplicationStatus;
  if (!APPLICATION_STATUSES.includes(status)) {
    throw problems.invalid(`status must be one of ${APPLICATION_STATUSES.join(', ')}.`, [
      { field: 'status', message: 'Unknown status.' },
    ]);
  }
  const limit =
    query.limit === undefined ? 25 : /^\d{1,3}$/.test(query.limit) ? Number(query.limit) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw problems.invalid('limit must be a whole number from 1 to 100.', [
      { field: 'limit', message: 'Out of range.' },
    ]);
  }
  try {
    const page = await store.listApplications(status, limit, query.cursor);
    return json(200, {
      status,
      items: page.items.map((a) => applicationView(a, caller)),
      ...(page.cursor ? { next: `/applications?status=${status}&limit=${limit}&cursor=${page.cursor}` } : {}),
    });
  } catch (error) {
    if (error instanceof CursorError) {
      throw problems.invalid('The cursor is not valid for this list.', [
        { field: 'cursor', message: error.message },
      ]);
    }
    throw error;
  }
});

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

export const rejectApplication = route(
  { roles: FIA_ROLES, body: RejectInput },
  async ({ params, caller, body }) => {
    const app = await findApplication(params.id ?? '');
    const from = checkDecidable(app, caller);
    const at = new Date().toISOString();
    const actor = actorOf(caller, FIA_ROLES);
    try {
      await store.rejectApplication(app, from, body.reason, actor, at);
    } catch (error) {
      if (error instanceof StateConflict)
        throw problems.conflict(`Application ${app.id} was decided meanwhile.`);
      throw error;
    }
    const rejected: Application = {
      ...app,
      status: 'REJECTED',
      updatedAt: at,
      decision: { by: actor, at, reason: body.reason },
    };
    return json(200, applicationView(rejected, caller));
  },
);

export const handler = routeGroup({
  'POST /applications': submitApplication,
  'GET /applications': listApplications,
  'GET /applications/{id}': getApplication,
  'POST /applications/{id}/approve': approveApplication,
  'POST /applications/{id}/reject': rejectApplication,
});
