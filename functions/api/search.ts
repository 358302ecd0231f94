// The search route group: FIA's search box, the person page, and who did what to an application, pass or group.

import type { Role } from '../../shared/roles.ts';
import { PersonPath, PersonQuery, SearchQuery } from '../../shared/search-schemas.ts';
import { actorOf, FIA_ROLES, hasRole } from '../http/caller.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Clock } from '../services/context.ts';
import { personRecord, recordHistory } from '../services/people.ts';
import { searchPeople } from '../services/search.ts';
import type { Store } from '../store/store.ts';
import { ApplicationPath, GroupPath, PassPath } from './params.ts';

export interface SearchRouteDependencies extends Observability {
  store: Store;
  clock: Clock;
}

/** FIA (officers and supervisors) and the Ministry's analysts search and read people. */
export const SEARCH_ROLES: readonly Role[] = ['fia-officer', 'fia-supervisor', 'moi-analyst'];

export function createSearchHandler(deps: SearchRouteDependencies) {
  return routeGroup(
    {
      'GET /search': route({ roles: SEARCH_ROLES, query: SearchQuery }, async ({ query, caller }) =>
        json(200, await searchPeople(deps, query, actorOf(caller, SEARCH_ROLES))),
      ),
      'GET /people/{cnic}': route(
        {
          roles: SEARCH_ROLES,
          params: PersonPath,
          query: PersonQuery,
          notFound: () => 'No records for this CNIC.',
        },
        async ({ params, query, caller }) =>
          json(
            200,
            await personRecord(
              deps,
              params.cnic,
              { actor: actorOf(caller, SEARCH_ROLES), seesWatchlist: hasRole(caller, FIA_ROLES) },
              query.crossingsCursor,
            ),
          ),
      ),
      'GET /applications/{id}/history': route(
        {
          roles: FIA_ROLES,
          params: ApplicationPath,
          notFound: (p) => `No application ${p.id ?? ''}.`,
        },
        async ({ params }) =>
          json(200, { items: await recordHistory(deps.store, { kind: 'application', id: params.id }) }),
      ),
      'GET /passes/{no}/history': route(
        { roles: FIA_ROLES, params: PassPath, notFound: (p) => `No pass ${p.no ?? ''}.` },
        async ({ params }) =>
          json(200, { items: await recordHistory(deps.store, { kind: 'pass', number: params.no }) }),
      ),
      'GET /groups/{no}/history': route(
        { roles: FIA_ROLES, params: GroupPath, notFound: (p) => `No group ${p.no ?? ''}.` },
        async ({ params }) =>
          json(200, { items: await recordHistory(deps.store, { kind: 'group', number: params.no }) }),
      ),
    },
    deps,
  );
}
