// The group approvals route group: the group routes that sign (members' passes and the leader's group pass), so
// kms:Sign on the pass key reaches them and nothing else of the groups.
import type { PassType } from '../../shared/domain/pass-types.ts';
import type { Signing } from '../../signing/signing.ts';
import { actorOf, FIA_ROLES } from '../http/caller.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Clock } from '../services/context.ts';
import { approveGroup, removeMember, travelOfGroup } from '../services/groups.ts';
import type { Store } from '../store/store.ts';
import { groupCaller, groupView } from './group-views.ts';
import { GroupMemberPath, GroupPath } from './params.ts';

export interface GroupApprovalsDependencies extends Observability {
  store: Store;
  clock: Clock;
  passTypes: readonly PassType[];
  signing: Pick<Signing, 'pass'>;
}

const noSuchGroup = (params: Record<string, string | undefined>) => `No group ${params.no ?? ''}.`;

export function createGroupApprovalsHandler(deps: GroupApprovalsDependencies) {
  const services = { ...deps, passSigner: () => deps.signing.pass() };
  return routeGroup(
    {
      'POST /groups/{no}/approve': route(
        { roles: FIA_ROLES, params: GroupPath, notFound: noSuchGroup },
        async ({ params, caller }) => {
          const decider = {
            actor: actorOf(caller, FIA_ROLES),
            supervisor: caller.roles.includes('fia-supervisor'),
          };
          const group = await approveGroup(services, params.no, decider);
          return json(200, groupView(group, await travelOfGroup(deps.store, group, deps.clock()), caller));
        },
      ),
      'DELETE /groups/{no}/members/{cnic}': route(
        { roles: ['applicant', 'fia-officer'], params: GroupMemberPath, notFound: noSuchGroup },
        async ({ params, caller }) => {
          const group = await removeMember(services, params.no, params.cnic, {
            ...groupCaller(caller),
            actor: actorOf(caller, ['applicant', 'fia-officer']),
          });
          return json(200, groupView(group, await travelOfGroup(deps.store, group, deps.clock()), caller));
        },
      ),
    },
    deps,
  );
}
