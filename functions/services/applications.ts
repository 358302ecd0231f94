// Applying for a pass, reading an application, the officer queue and rejection: the rules, without HTTP.
import { ulid } from 'ulid';
import { type ApplicationInput, validateApplication } from '../../shared/domain/application.ts';
import { parseCnic } from '../../shared/domain/cnic.ts';
import type { PassType } from '../../shared/domain/pass-types.ts';
import type { ApplicationStatus } from '../../shared/schemas.ts';
import type { Page } from '../store/cursor.ts';
import type { Actor, Application } from '../store/records.ts';
import { CursorError, OpenApplicationExists, StateConflict, type Store } from '../store/store.ts';
import { type Clock, count, type Decider, METRIC, type MetricsRecorder, type Reader } from './context.ts';
import { Conflict, Forbidden, Invalid, NeedsSupervisor, NotFound } from './errors.ts';

const OPEN: readonly ApplicationStatus[] = ['PENDING', 'NEEDS_REVIEW'];

export interface Submitter {
  actor: Actor;
  /** For an applicant: the CNIC their account is bound to (undefined if none); absent for an officer. */
  boundCnic?: string | undefined;
}

/**
 * An applicant applies only for the CNIC their account is bound to, or anyone could file (and later collect a
 * pass) in another resident's name. A CNIC that does not parse is left to validation, which names the field.
 */
function checkOwnCnic(cnic: string, boundCnic: string | undefined): void {
  if (boundCnic === undefined)
    throw new Forbidden('Your account has no CNIC; ask an FIA office to register it.');
  const parsed = parseCnic(cnic);
  if (parsed.ok && parsed.cnic !== boundCnic) throw new Forbidden('You may apply only for your own CNIC.');
}

export async function submitApplication(
  deps: { store: Store; clock: Clock; passTypes: readonly PassType[]; metrics: MetricsRecorder },
  input: ApplicationInput,
  submitter: Submitter,
): Promise<Application> {
  const { actor } = submitter;
  if (actor.role === 'applicant') checkOwnCnic(input.cnic, submitter.boundCnic);
  const now = deps.clock();
  const checked = validateApplication(input, now, deps.passTypes);
  if (!checked.ok) throw new Invalid('The application cannot be accepted as it is.', checked.errors);
  const value = checked.value;
  const watch = await deps.store.watchlist.get(value.cnic);
  if (watch) count(deps.metrics, METRIC.watchlistHits);
  const at = now.toISOString();
  const app: Application = {
    id: ulid(now.getTime()),
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
    ...(actor.role === 'applicant' ? { applicantSub: actor.sub } : {}),
    submittedBy: actor,
    createdAt: at,
    updatedAt: at,
    ...(watch ? { reviewReason: `watchlist: ${watch.category}` } : {}),
  };
  try {
    await deps.store.applications.create(app);
  } catch (error) {
    if (error instanceof OpenApplicationExists) {
      throw new Conflict('An application for this CNIC is already waiting for a decision.');
    }
    throw error;
  }
  return app;
}

/** The application, or NotFound, also when it is another applicant's: the answer must not tell the two apart. */
export async function findApplication(store: Store, id: string, reader?: Reader): Promise<Application> {
  const app = await store.applications.get(id);
  const visible =
    app && (!reader || reader.fia || (app.applicantSub !== undefined && app.applicantSub === reader.sub));
  if (!app || !visible) throw new NotFound(`No application ${id}.`);
  return app;
}

/** The open statuses this decider may move the application from; refuses a decided one or a watchlist hit. */
export function decidableFrom(app: Application, decider: Decider): readonly ApplicationStatus[] {
  if (!OPEN.includes(app.status)) throw new Conflict(`Application ${app.id} is already ${app.status}.`);
  const allowed = decider.supervisor ? OPEN : (['PENDING'] as const);
  if (!allowed.includes(app.status))
    throw new NeedsSupervisor('This application needs review by an FIA supervisor.');
  return allowed;
}

export async function listApplications(
  store: Store,
  status: ApplicationStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Application>> {
  try {
    return await store.applications.listByStatus(status, limit, cursor);
  } catch (error) {
    if (error instanceof CursorError) {
      throw new Invalid('The cursor is not valid for this list.', [
        { field: 'cursor', message: error.message },
      ]);
    }
    throw error;
  }
}

export async function rejectApplication(
  deps: { store: Store; clock: Clock },
  id: string,
  reason: string,
  decider: Decider,
): Promise<Application> {
  const app = await findApplication(deps.store, id);
  const from = decidableFrom(app, decider);
  const at = deps.clock().toISOString();
  try {
    await deps.store.applications.reject(app, from, reason, decider.actor, at);
  } catch (error) {
    if (error instanceof StateConflict) throw new Conflict(`Application ${app.id} was decided meanwhile.`);
    throw error;
  }
  return { ...app, status: 'REJECTED', updatedAt: at, decision: { by: decider.actor, at, reason } };
}
