// Border-pass applications: submit, read, the officer queue, and reject (approval is functions/approvals.ts).
import { ulid } from 'ulid';
import { validateApplication } from '../shared/domain/application.ts';
import { parseCnic } from '../shared/domain/cnic.ts';
import {
  APPLICATION_STATUSES,
  ApplicationInput,
  type ApplicationStatus,
  RejectInput,
} from '../shared/schemas.ts';
import { checkDecidable, findApplication } from './application-access.ts';
import { actorOf, type Caller, FIA_ROLES, hasRole, json, problems, route, routeGroup } from './http.ts';
import { loadPassTypesConfig } from './pass-types-config.ts';
import { store } from './runtime.ts';
import type { Application } from './store/records.ts';
import { CursorError, OpenApplicationExists, StateConflict } from './store/store.ts';
import { applicationView } from './views.ts';

const passTypes = loadPassTypesConfig();

function mayRead(app: Application, caller: Caller): boolean {
  return hasRole(caller, FIA_ROLES) || (app.applicantSub !== undefined && app.applicantSub === caller.sub);
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
  'POST /applications/{id}/reject': rejectApplication,
});
