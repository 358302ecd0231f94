// The approvals route group: the only one that signs credentials, so the only one holding kms:Sign on the pass key.
import type { PassType } from '../../shared/domain/pass-types.ts';
import type { Signing } from '../../signing/signing.ts';
import { actorOf, FIA_ROLES } from '../http/caller.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import { approveApplication } from '../services/approvals.ts';
import type { Clock } from '../services/context.ts';
import type { Store } from '../store/store.ts';
import { applicationView, passView } from '../views.ts';
import { ApplicationPath } from './params.ts';

export interface ApprovalsDependencies extends Observability {
  store: Store;
  clock: Clock;
  passTypes: readonly PassType[];
  signing: Pick<Signing, 'pass'>;
}

export function createApprovalsHandler(deps: ApprovalsDependencies) {
  const services = { ...deps, passSigner: () => deps.signing.pass() };
  return routeGroup(
    {
      'POST /applications/{id}/approve': route(
        { roles: FIA_ROLES, params: ApplicationPath, notFound: (p) => `No application ${p.id ?? ''}.` },
        async ({ params, caller }) => {
          const decider = {
            actor: actorOf(caller, FIA_ROLES),
            supervisor: caller.roles.includes('fia-supervisor'),
          };
          const { application, pass, issued } = await approveApplication(services, params.id, decider);
          const body = { application: applicationView(application, caller), pass: passView(pass, caller) };
          return issued ? json(201, body, { location: `/passes/${pass.number}` }) : json(200, body);
        },
      ),
    },
    deps,
  );
}
