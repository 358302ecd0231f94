// The watchlist route group: supervisors write the FIA watchlist, officers read it.
import { WatchlistInput } from '../../shared/schemas.ts';
import { actorOf, FIA_ROLES } from '../http/caller.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Clock } from '../services/context.ts';
import { findWatch, putWatch, removeWatch } from '../services/watchlist.ts';
import type { Store } from '../store/store.ts';
import { WatchPath } from './params.ts';

export interface WatchlistDependencies extends Observability {
  store: Store;
  clock: Clock;
}

export function createWatchlistHandler(deps: WatchlistDependencies) {
  return routeGroup(
    {
      'GET /watchlist/{cnic}': route({ roles: FIA_ROLES, params: WatchPath }, async ({ params }) =>
        json(200, await findWatch(deps.store, params.cnic)),
      ),
      /** 201 with the new entry, or 200 with the changed one, which keeps who listed the CNIC first. */
      'PUT /watchlist/{cnic}': route(
        { roles: ['fia-supervisor'], params: WatchPath, body: WatchlistInput },
        async ({ params, body, caller }) => {
          const change = { reason: body.reason, category: body.category };
          const { outcome, entry } = await putWatch(
            deps,
            params.cnic,
            change,
            actorOf(caller, ['fia-supervisor']),
          );
          return json(outcome === 'created' ? 201 : 200, entry);
        },
      ),
      'DELETE /watchlist/{cnic}': route(
        { roles: ['fia-supervisor'], params: WatchPath },
        async ({ params, caller }) => {
          await removeWatch(deps, params.cnic, actorOf(caller, ['fia-supervisor']));
          return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
        },
      ),
    },
    deps,
  );
}
