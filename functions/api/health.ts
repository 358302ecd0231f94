// The health route group: 200 only when the table answers a read.
import { problems } from '../http/problem.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Store } from '../store/store.ts';

export interface HealthDependencies extends Observability {
  store: Pick<Store, 'ping'>;
}

export function createHealthHandler(deps: HealthDependencies) {
  return routeGroup(
    {
      'GET /health': route({ roles: 'public' }, async () => {
        try {
          await deps.store.ping();
        } catch {
          throw problems.unavailable('The store does not answer.');
        }
        return json(200, { status: 'ok' });
      }),
    },
    deps,
  );
}
