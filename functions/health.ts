// Liveness that means something: 200 only when the table answers a read.
import { json, Problem, route, routeGroup } from './http.ts';
import { store } from './runtime.ts';

export const getHealth = route({ roles: 'public' }, async () => {
  try {
    await store.ping();
  } catch {
    throw new Problem(503, 'unavailable', 'Service unavailable', 'The store does not answer.');
  }
  return json(200, { status: 'ok' });
});

export const handler = routeGroup({ 'GET /health': getHealth });
