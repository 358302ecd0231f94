// The FIA watchlist of known traffickers and blacklisted persons: supervisors write it, officers read it.
import { parseCnic } from '../shared/domain/cnic.ts';
import { WatchlistInput } from '../shared/schemas.ts';
import { actorOf, FIA_ROLES, json, problems, route, routeGroup } from './http.ts';
import { store } from './runtime.ts';
import type { WatchEntry } from './store/records.ts';
import { StateConflict } from './store/store.ts';

// Path parameters arrive percent-decoded from the HTTP API; decoding them again would fail on a literal '%'.
function cnicParam(value: string | undefined): string {
  const parsed = parseCnic(value ?? '');
  if (!parsed.ok) throw problems.invalid(parsed.error, [{ field: 'cnic', message: parsed.error }]);
  return parsed.cnic;
}

export const getWatch = route({ roles: FIA_ROLES }, async ({ params }) => {
  const cnic = cnicParam(params.cnic);
  const entry = await store.getWatch(cnic);
  if (!entry) throw problems.notFound('This CNIC is not on the watchlist.');
  return json(200, entry);
});

export const putWatch = route(
  { roles: ['fia-supervisor'], body: WatchlistInput },
  async ({ params, body, caller }) => {
    const entry: WatchEntry = {
      cnic: cnicParam(params.cnic),
      reason: body.reason,
      category: body.category,
      addedBy: actorOf(caller, ['fia-supervisor']),
      addedAt: new Date().toISOString(),
    };
    const outcome = await store.putWatch(entry);
    return json(outcome === 'created' ? 201 : 200, entry);
  },
);

export const deleteWatch = route({ roles: ['fia-supervisor'] }, async ({ params, caller }) => {
  const cnic = cnicParam(params.cnic);
  try {
    await store.deleteWatch(cnic, actorOf(caller, ['fia-supervisor']), new Date().toISOString());
  } catch (error) {
    if (error instanceof StateConflict) throw problems.notFound('This CNIC is not on the watchlist.');
    throw error;
  }
  return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
});

export const handler = routeGroup({
  'GET /watchlist/{cnic}': getWatch,
  'PUT /watchlist/{cnic}': putWatch,
  'DELETE /watchlist/{cnic}': deleteWatch,
});
