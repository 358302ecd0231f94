// Applying for a pass, reading an application, the officer queue and rejection: the rules, without HTTP.
import { ulid } from 'ulid';
import { type ApplicationInput, validateApplication } from '../../shared/domain/application.ts';
import { parseApplicationReference } from '../../shared/domain/application-reference.ts';
import { parseCnic } from '../../shared/domain/cnic.ts';
import { nameIndexKeys, nameParts, scoreName } from '../../shared/domain/names.ts';
import { karachiDate, type PassType } from '../../shared/domain/pass-types.ts';
import type { ApplicationStatus } from '../../shared/schemas.ts';
import type { Page } from '../store/cursor.ts';
import type { Actor, Application, Pass } from '../store/records.ts';
import {
  CursorError,
  OpenApplicationExists,
  RetriesExhausted,
  StateConflict,
  type Store,
} from '../store/store.ts';
import { type Clock, count, type Decider, METRIC, type MetricsRecorder, type Reader } from './context.ts';
import { Busy, Conflict, Forbidden, Invalid, NeedsSupervisor, NotFound } from './errors.ts';

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
  await refuseSecondActivePass(deps.store, app, karachiDate(now));
  try {
    return await deps.store.applications.create(app, nameIndexKeys(app.name));
  } catch (error) {
    if (error instanceof OpenApplicationExists) {
      throw new Conflict('An application for this CNIC is already waiting for a decision.');
    }
    if (error instanceof RetriesExhausted)
      throw new Busy('Too many applications at once; retry in a moment.');
    throw error;
  }
}

/**
 * The person's pass of the application's type that is active (not revoked, not past its last day) on dates that
 * overlap the application's, if any: a person holds one active pass per pass type at a time.
 */
export async function activePassFor(
  store: Store,
  app: Pick<Application, 'cnic' | 'passType' | 'validFrom' | 'validUntil'> & { id?: string },
  today: string,
): Promise<Pass | undefined> {
  const passes = (await store.search.recordsOfKind(app.cnic, 'PASS')) as unknown as Pass[];
  return passes.find(
    (pass) =>
      // The application's own pass (a rival approval won) is no second pass.
      pass.applicationId !== app.id &&
      pass.status === 'ACTIVE' &&
      pass.passType === app.passType &&
      pass.validUntil >= today &&
      pass.validFrom <= app.validUntil &&
      pass.validUntil >= app.validFrom,
  );
}

/** 409 naming the active pass in the way; checked on submission and again on approval (a pass issued between). */
export async function refuseSecondActivePass(
  store: Store,
  app: Pick<Application, 'cnic' | 'passType' | 'validFrom' | 'validUntil'> & { id?: string },
  today: string,
): Promise<void> {
  const active = await activePassFor(store, app, today);
  if (active) {
    throw new Conflict(
      `This person already holds pass ${active.number} of this type, active until ${active.validUntil}; apply again once it has expired or been revoked.`,
      { activePass: active.number },
    );
  }
}

/** The most of one status a queue filter reads: far above any queue FIA keeps, and a bound on the read. */
const QUEUE_FILTER_CAP = 5000;
/** Below this a name in the queue does not match the filter. */
const QUEUE_NAME_MATCH = 0.75;

/**
 * The queue of one status filtered on the server: by CNIC (any spelling, or its first digits), application
 * reference, or a name (or father's name) as heard, across the whole queue rather than one page; best matches
 * first, at most `limit`.
 */
export async function filterQueue(
  store: Store,
  status: ApplicationStatus,
  q: string,
  limit: number,
): Promise<Application[]> {
  const queue = await store.applications.allByStatus(status, QUEUE_FILTER_CAP);
  const digits = q.replace(/[\s-]/g, '');
  if (/^\d{3,13}$/.test(digits)) return queue.filter((a) => a.cnic.startsWith(digits)).slice(0, limit);
  const reference = parseApplicationReference(q);
  if (reference) return queue.filter((a) => a.reference === reference).slice(0, limit);
  const query = nameParts(q);
  return queue
    .map((app) => ({ app, score: Math.max(scoreName(query, app.name), scoreName(query, app.fatherName)) }))
    .filter((m) => m.score >= QUEUE_NAME_MATCH)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((m) => m.app);
}

/** An applicant's own applications, newest first, from the server (so any device shows them). */
export async function myApplications(
  store: Store,
  boundCnic: string | undefined,
  sub: string,
): Promise<Application[]> {
  if (boundCnic === undefined)
    throw new Forbidden('Your account has no CNIC; ask an FIA office to register it.');
  const items = (await store.search.recordsOfKind(boundCnic, 'APP')) as unknown as Application[];
  // A counter application for the same CNIC was made by an officer for this person: it is theirs too.
  return items
    .filter((app) => app.cnic === boundCnic && (app.applicantSub === undefined || app.applicantSub === sub))
    .map((app) => stripIndexKeys(app));
}

function stripIndexKeys(app: Application): Application {
  const {
    PK: _pk,
    SK: _sk,
    GSI1PK: _g1,
    GSI1SK: _g1s,
    GSI2PK: _g2,
    GSI2SK: _g2s,
    kind: _kind,
    ...rest
  } = app as Application & Record<string, unknown>;
  return rest as Application;
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
