// What every decision on an application shares: finding it, and which open states a caller may decide.
import type { ApplicationStatus } from '../shared/schemas.ts';
import { type Caller, problems } from './http.ts';
import { store } from './runtime.ts';
import type { Application } from './store/records.ts';

const OPEN: readonly ApplicationStatus[] = ['PENDING', 'NEEDS_REVIEW'];

export async function findApplication(id: string): Promise<Application> {
  const app = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await store.getApplication(id) : undefined;
  if (!app) throw problems.notFound(`No application ${id}.`);
  return app;
}

/** Which open statuses this caller may decide: a watchlist hit needs a supervisor. */
function decidable(caller: Caller): readonly ApplicationStatus[] {
  return caller.roles.includes('fia-supervisor') ? OPEN : ['PENDING'];
}

export function checkDecidable(app: Application, caller: Caller): readonly ApplicationStatus[] {
  if (!OPEN.includes(app.status)) throw problems.conflict(`Application ${app.id} is already ${app.status}.`);
  const allowed = decidable(caller);
  if (!allowed.includes(app.status)) {
    throw problems.forbidden('This application needs review by an FIA supervisor.');
  }
  return allowed;
}
