// What a group looks like to each reader: the leader never sees a watchlist hold; members' CNICs reach FIA and the
// leader only.
import { formatCnic } from '../../shared/domain/cnic.ts';
import { toQrText } from '../../shared/qr-text.ts';
import { type Caller, FIA_ROLES, hasRole } from '../http/caller.ts';
import type { GroupCaller, GroupTravel } from '../services/groups.ts';
import type { Group } from '../store/store.ts';

/** FIA and the group's own leader see the members' CNICs; the Ministry's analysts see their names only. */
const seesPeople = (caller: Caller, group: Group) =>
  hasRole(caller, FIA_ROLES) || caller.cnic === group.leader.cnic;

export function groupSummaryView(group: Group, travel: GroupTravel, caller: Caller) {
  const fia = hasRole(caller, FIA_ROLES);
  const people = seesPeople(caller, group);
  return {
    number: group.number,
    // To the leader a hold is simply waiting, as for an applicant.
    status: !fia && group.status === 'NEEDS_REVIEW' ? 'PENDING' : group.status,
    state: travel.state,
    passType: group.passType,
    // The leader is on record for the group: whoever may read it sees who that is and how to reach them.
    leader: {
      cnic: formatCnic(group.leader.cnic),
      phone: group.leader.phone,
      name: group.leader.name,
      organization: group.leader.organization,
    },
    crossingPoint: group.crossingPoint,
    departOn: group.departOn,
    returnBy: group.returnBy,
    size: group.members.filter((m) => m.status !== 'REMOVED').length,
    counts: travel.counts,
    ...(travel.state === 'OVERDUE'
      ? {
          missing: travel.missing.map(({ member, latest }) => ({
            pass: member.pass,
            name: member.name,
            fatherName: member.fatherName,
            ...(people ? { cnic: formatCnic(member.cnic) } : {}),
            outAt: latest?.at,
          })),
        }
      : {}),
    ...(group.clearance ? { clearance: { at: group.clearance.at, reason: group.clearance.reason } } : {}),
    createdAt: group.createdAt,
  };
}

export function groupView(group: Group, travel: GroupTravel, caller: Caller) {
  const fia = hasRole(caller, FIA_ROLES);
  const people = seesPeople(caller, group);
  return {
    ...groupSummaryView(group, travel, caller),
    route: group.route,
    members: travel.members.map(({ member, travel: where, latest }) => ({
      ...(people ? { cnic: formatCnic(member.cnic) } : {}),
      name: member.name,
      fatherName: member.fatherName,
      district: member.district,
      status: member.status,
      ...(member.pass ? { pass: member.pass } : {}),
      travel: where,
      ...(latest && where === 'OUT' ? { outAt: latest.at } : {}),
      ...(latest && where === 'BACK' ? { backAt: latest.at } : {}),
      ...(fia && member.watchlist ? { watchlist: member.watchlist } : {}),
    })),
    ...(group.groupPass
      ? {
          groupPass: {
            token: group.groupPass.token,
            qrText: toQrText(group.groupPass.token),
            size: group.groupPass.size,
          },
        }
      : {}),
    ...(fia && group.reviewReason ? { reviewReason: group.reviewReason } : {}),
    ...(group.decision
      ? {
          decision: {
            at: group.decision.at,
            // A rejection's reason is the leader's to know; who decided stays with FIA.
            ...(group.decision.reason ? { reason: group.decision.reason } : {}),
            ...(fia ? { by: group.decision.by } : {}),
          },
        }
      : {}),
    links: {
      card: `/groups/${group.number}/card`,
      passes: `/groups/${group.number}/passes`,
      png: `/groups/${group.number}/qr.png`,
      svg: `/groups/${group.number}/qr.svg`,
    },
  };
}

/**
 * What a checkpoint keeps offline of a group: no CNICs, the passes the post will see, and each member's latest
 * crossing as the platform holds it (from any post or device), which the app merges with its own records.
 */
export function rosterView(group: Group, travel: GroupTravel) {
  const latest = new Map(
    travel.members.flatMap(({ member, latest: last }) =>
      member.pass && last ? [[member.pass, { direction: last.direction, at: last.at }] as const] : [],
    ),
  );
  return {
    number: group.number,
    leader: { name: group.leader.name, organization: group.leader.organization, phone: group.leader.phone },
    crossingPoint: group.crossingPoint,
    departOn: group.departOn,
    returnBy: group.returnBy,
    size: group.members.filter((m) => m.status !== 'REMOVED').length,
    members: group.members.flatMap((m) =>
      m.status === 'ISSUED' && m.pass
        ? [
            {
              pass: m.pass,
              name: m.name,
              fatherName: m.fatherName,
              ...(latest.has(m.pass) ? { latest: latest.get(m.pass) } : {}),
            },
          ]
        : [],
    ),
  };
}

const STAFF = [...FIA_ROLES, 'moi-analyst'] as const;

/** The caller as the group services see it: staff or not, FIA or not, and the CNIC the account is bound to. */
export const groupCaller = (caller: Caller): GroupCaller => ({
  actor: { sub: caller.sub, role: caller.roles[0] ?? 'applicant' },
  fia: hasRole(caller, FIA_ROLES),
  staff: hasRole(caller, STAFF),
  cnic: caller.cnic,
});
