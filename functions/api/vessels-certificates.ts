// The certificates route group: every boat change that issues a certificate (register, renew, reinstate,
// transfer), so that only this function holds kms:Sign on the pass key besides approvals.

import { ReinstateInput, RenewInput, TransferInput, VesselInput } from '../../shared/vessel-schemas.ts';
import type { Signing } from '../../signing/signing.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Clock } from '../services/context.ts';
import { registerVessel, reinstateVessel, renewVessel, transferVessel } from '../services/vessels.ts';
import type { Store } from '../store/store.ts';
import { VesselPath } from './params.ts';
import { noSuchVessel, portOfficerOf, VESSEL_WRITERS, vesselView } from './vessels-views.ts';

export interface CertificatesDependencies extends Observability {
  store: Store;
  clock: Clock;
  signing: Pick<Signing, 'pass'>;
}

export function createCertificatesHandler(deps: CertificatesDependencies) {
  const services = { ...deps, passSigner: () => deps.signing.pass() };
  const change = { roles: VESSEL_WRITERS, params: VesselPath, notFound: noSuchVessel };
  return routeGroup(
    {
      'POST /vessels': route({ roles: VESSEL_WRITERS, body: VesselInput }, async ({ body, caller }) => {
        const { vessel, warnings } = await registerVessel(services, body, portOfficerOf(caller));
        return json(
          201,
          { ...vesselView(vessel, caller), ...(warnings.length > 0 ? { warnings } : {}) },
          { location: `/vessels/${vessel.officialNumber}` },
        );
      }),
      'POST /vessels/{no}/renew': route({ ...change, body: RenewInput }, async ({ params, body, caller }) =>
        json(200, vesselView(await renewVessel(services, params.no, body, portOfficerOf(caller)), caller)),
      ),
      'POST /vessels/{no}/reinstate': route(
        { ...change, body: ReinstateInput },
        async ({ params, body, caller }) =>
          json(
            200,
            vesselView(await reinstateVessel(services, params.no, body, portOfficerOf(caller)), caller),
          ),
      ),
      'POST /vessels/{no}/transfer': route(
        { ...change, body: TransferInput },
        async ({ params, body, caller }) =>
          json(
            200,
            vesselView(await transferVessel(services, params.no, body, portOfficerOf(caller)), caller),
          ),
      ),
    },
    deps,
  );
}
