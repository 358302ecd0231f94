// The FIA watchlist of known traffickers and blacklisted persons: supervisors write it, officers read it.
import { parseCnic } from '../shared/domain/cnic.ts';
import { WatchlistInput } from '../shared/schemas.ts';
import { actorOf, FIA_ROLES, json, problems, route, routeGroup } from './http.ts';
import { store } from './runtime.ts';
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

/** 201 with the new entry, or 200 with the changed one, which keeps who listed the CNIC first. */
export const putWatch = route(
  { roles: ['fia-supervisor'], body: WatchlistInput },
  async ({ params, body, caller }) => {
    const cnic = cnicParam(params.cnic);
    const actor = actorOf(caller, ['fia-supervisor']);
    try {
      const { outcome, entry } = await store.putWatch(
        cnic,
        { reason: body.reason, category: body.category },
        actor,
        new Date().toISOString(),
      );
      return json(outcome === 'created' ? 201 : 200, entry);
    } catch (error) {
      if (error instanceof StateConflict) {
        throw problems.busy('This watchlist entry is being changed by others; retry in a moment.');
      }
      throw error;
    }
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
