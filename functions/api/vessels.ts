// The vessels route group: the boat register's reads, certificate images and page, history, suspension and
// cancellation. Whatever issues a certificate is in the certificates group, the one holding kms:Sign.
import { CancelInput, SuspendInput, VesselListQuery } from '../../shared/vessel-schemas.ts';
import { actorOf, type Caller } from '../http/caller.ts';
import type { HttpEvent, HttpResult } from '../http/event.ts';
import { problems } from '../http/problem.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Clock } from '../services/context.ts';
import {
  cancelVessel,
  findVessel,
  listVessels,
  suspendVessel,
  vesselHistory,
  watchlistHitFor,
} from '../services/vessels.ts';
import type { Store } from '../store/store.ts';
import type { Vessel } from '../store/vessels.ts';
import { VesselPath } from './params.ts';
import { credentialImage } from './printed.ts';
import { renderVesselCertificate } from './vessels-card.ts';
import {
  historyView,
  noSuchVessel,
  portOfficerOf,
  seesWatchlistHit,
  VESSEL_HISTORY_READERS,
  VESSEL_READERS,
  VESSEL_WRITERS,
  vesselView,
  WATCHLIST_READERS,
} from './vessels-views.ts';

export interface VesselsDependencies extends Observability {
  store: Store;
  clock: Clock;
}

export function createVesselsHandler(deps: VesselsDependencies) {
  const readerRoute = (serve: (vessel: Vessel, caller: Caller, event: HttpEvent) => Promise<HttpResult>) =>
    route(
      { roles: VESSEL_READERS, params: VesselPath, notFound: noSuchVessel },
      async ({ params, caller, event }) => serve(await findVessel(deps.store, params.no), caller, event),
    );
  return routeGroup(
    {
      /**
       * From an index, never a Scan: a port's boats or an owner's. A Fisheries officer who names neither lists
       * their own port; anyone else must name one.
       */
      'GET /vessels': route({ roles: VESSEL_READERS, query: VesselListQuery }, async ({ query, caller }) => {
        const port = query.port ?? (query.ownerCnic === undefined ? caller.port : undefined);
        if (port === undefined && query.ownerCnic === undefined) {
          throw problems.invalid('Name a port or an owner CNIC to list boats.', [
            { field: 'port', message: 'Give port or ownerCnic.' },
          ]);
        }
        const page = await listVessels(deps.store, {
          ...(port !== undefined ? { port } : {}),
          ...(query.ownerCnic !== undefined ? { ownerCnic: query.ownerCnic } : {}),
          ...(query.status !== undefined ? { status: query.status } : {}),
          limit: query.limit,
          ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        });
        const next = new URLSearchParams({
          ...(port !== undefined ? { port } : {}),
          ...(query.ownerCnic !== undefined ? { ownerCnic: query.ownerCnic } : {}),
          ...(query.status !== undefined ? { status: query.status } : {}),
          limit: String(query.limit),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        });
        return json(200, {
          ...(port !== undefined ? { port } : {}),
          ...(query.status !== undefined ? { status: query.status } : {}),
          items: page.items.map((vessel) => vesselView(vessel, caller)),
          ...(page.cursor ? { next: `/vessels?${next}` } : {}),
        });
      }),
      'GET /vessels/{no}': readerRoute(async (vessel, caller) => {
        // Fisheries never learns of a hit, so for them the watchlist is not even read.
        const hit = seesWatchlistHit(caller)
          ? await watchlistHitFor(deps, vessel, actorOf(caller, WATCHLIST_READERS))
          : undefined;
        return json(200, { ...vesselView(vessel, caller), ...(hit ? { watchlistHit: hit } : {}) });
      }),
      'GET /vessels/{no}/qr.svg': readerRoute((vessel, _caller, event) =>
        credentialImage(event, vessel.certificate.token, 'svg'),
      ),
      'GET /vessels/{no}/qr.png': readerRoute((vessel, _caller, event) =>
        credentialImage(event, vessel.certificate.token, 'png'),
      ),
      'GET /vessels/{no}/certificate': readerRoute(async (vessel) => ({
        statusCode: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-cache' },
        body: await renderVesselCertificate(vessel),
      })),
      'GET /vessels/{no}/history': route(
        { roles: VESSEL_HISTORY_READERS, params: VesselPath, notFound: noSuchVessel },
        async ({ params, caller }) =>
          json(200, {
            officialNumber: params.no,
            items: historyView(await vesselHistory(deps.store, params.no), caller),
          }),
      ),
      'POST /vessels/{no}/suspend': route(
        { roles: VESSEL_WRITERS, params: VesselPath, notFound: noSuchVessel, body: SuspendInput },
        async ({ params, body, caller }) =>
          json(
            200,
            vesselView(await suspendVessel(deps, params.no, body.reason, portOfficerOf(caller)), caller),
          ),
      ),
      'POST /vessels/{no}/cancel': route(
        { roles: VESSEL_WRITERS, params: VesselPath, notFound: noSuchVessel, body: CancelInput },
        async ({ params, body, caller }) =>
          json(
            200,
            vesselView(await cancelVessel(deps, params.no, body.reason, portOfficerOf(caller)), caller),
          ),
      ),
    },
    deps,
  );
}
