// The applications route group: submit, read, the officer queue, and reject (approval is its own group).
import type { PassType } from '../../shared/domain/pass-types.ts';
import { ApplicationInput, RejectInput } from '../../shared/schemas.ts';
import { actorOf, FIA_ROLES, hasRole } from '../http/caller.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import {
  filterQueue,
  findApplication,
  listApplications,
  myApplications,
  rejectApplication,
  submitApplication,
} from '../services/applications.ts';
import type { Clock } from '../services/context.ts';
import { Forbidden } from '../services/errors.ts';
import type { Store } from '../store/store.ts';
import { applicationView } from '../views.ts';
import { ApplicationPath, ApplicationsQuery } from './params.ts';

export interface ApplicationsDependencies extends Observability {
  store: Store;
  clock: Clock;
  passTypes: readonly PassType[];
}

const noSuchApplication = (params: Record<string, string | undefined>) =>
  `No application ${params.id ?? ''}.`;

export function createApplicationsHandler(deps: ApplicationsDependencies) {
  return routeGroup(
    {
      'POST /applications': route(
        { roles: ['applicant', 'fia-officer'], body: ApplicationInput },
        async ({ body, caller }) => {
          const actor = actorOf(caller, ['applicant', 'fia-officer']);
          const app = await submitApplication(deps, body, { actor, boundCnic: caller.cnic });
          return json(201, applicationView(app, caller), { location: `/applications/${app.id}` });
        },
      ),
      'GET /applications': route(
        { roles: ['applicant', ...FIA_ROLES], query: ApplicationsQuery },
        async ({ query, caller }) => {
          if (query.mine === 'true') {
            if (!hasRole(caller, ['applicant']))
              throw new Forbidden(
                'Only an applicant has applications of their own; search finds anyone else’s.',
              );
            const mine = await myApplications(deps.store, caller.cnic, caller.sub);
            return json(200, { items: mine.map((a) => applicationView(a, caller)) });
          }
          if (!hasRole(caller, FIA_ROLES)) throw new Forbidden('Your role may not use this route.');
          const { status, limit, cursor } = query;
          // The page's counts: asked for once, not with every page.
          const total = async () =>
            query.total === 'true' ? { total: await deps.store.applications.countByStatus(status) } : {};
          if (query.q !== undefined) {
            const items = await filterQueue(deps.store, status, query.q, limit);
            return json(200, {
              status,
              ...(await total()),
              q: query.q,
              items: items.map((a) => applicationView(a, caller)),
            });
          }
          const page = await listApplications(deps.store, status, limit, cursor);
          return json(200, {
            status,
            ...(await total()),
            items: page.items.map((a) => applicationView(a, caller)),
            ...(page.cursor
              ? { next: `/applications?status=${status}&limit=${limit}&cursor=${page.cursor}` }
              : {}),
          });
        },
      ),
      'GET /applications/{id}': route(
        { roles: ['applicant', ...FIA_ROLES], params: ApplicationPath, notFound: noSuchApplication },
        async ({ params, caller }) => {
          const app = await findApplication(deps.store, params.id, {
            sub: caller.sub,
            fia: hasRole(caller, FIA_ROLES),
          });
          return json(200, applicationView(app, caller));
        },
      ),
      'POST /applications/{id}/reject': route(
        { roles: FIA_ROLES, params: ApplicationPath, notFound: noSuchApplication, body: RejectInput },
        async ({ params, caller, body }) => {
          const decider = {
            actor: actorOf(caller, FIA_ROLES),
            supervisor: caller.roles.includes('fia-supervisor'),
          };
          const rejected = await rejectApplication(deps, params.id, body.reason, decider);
          return json(200, applicationView(rejected, caller));
        },
      ),
    },
    deps,
  );
}
