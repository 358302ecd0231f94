// Pilgrim groups: organizers, applications screened member by member, approval in chunks, members until departure,
// where each group is on its trip, and the sweep that names overdue members against their leader.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type PassClaims, signCredential } from '../../shared/credential.ts';
import {
  type FieldError,
  normalizePakistaniMobile,
  normalizePersonName,
} from '../../shared/domain/application.ts';
import type { GroupMemberInput } from '../../shared/domain/group.ts';
import {
  groupTravel,
  type LatestCrossing,
  type MemberTravel,
  type NormalizedMember,
  overdueFrom,
  type TravelCounts,
  type TravelState,
  travelOf,
  validateGroup,
  validateMembers,
} from '../../shared/domain/group.ts';
import {
  findPassType,
  karachiDate,
  karachiDatePlus,
  karachiDayStart,
  type PassType,
  passTypeInEffect,
} from '../../shared/domain/pass-types.ts';
import { normalizeTypedText } from '../../shared/domain/text.ts';
import type { GroupInput, GroupStatus, OrganizerInput } from '../../shared/group-schemas.ts';
import type { Signer } from '../../shared/keys.ts';
import type { Page } from '../store/cursor.ts';
import type { Actor, Pass } from '../store/records.ts';
import {
  CursorError,
  type Group,
  type GroupMember,
  type Organizer,
  RetriesExhausted,
  retryOnConflict,
  type Store,
} from '../store/store.ts';
import { keys } from '../store/table.ts';
import type { TransactItem } from '../store/transact.ts';
import { type Clock, count, type Decider, METRIC, type MetricsRecorder } from './context.ts';
import { Busy, Conflict, Forbidden, Invalid, NeedsSupervisor, NotFound } from './errors.ts';
import { recordMembers, refuseMembersOfOtherOpenGroups } from './group-membership.ts';

export interface GroupsDependencies {
  store: Store;
  clock: Clock;
  metrics: MetricsRecorder;
  passTypes: readonly PassType[];
}

export interface GroupSigningDependencies extends GroupsDependencies {
  /** The current pass-signing key: members' passes and the leader's group pass. */
  passSigner: () => Promise<Signer>;
}

/** Who reads or changes a group: staff (FIA, and the Ministry for reads) or an account bound to a CNIC. */
export interface GroupCaller {
  actor: Actor;
  /** FIA officer or supervisor. */
  fia: boolean;
  /** Reads every group (FIA and the Ministry's analysts). */
  staff: boolean;
  /** The CNIC the account is bound to: a leader's own. */
  cnic?: string | undefined;
}

const OPEN_STATUSES: readonly GroupStatus[] = ['PENDING', 'NEEDS_REVIEW'];
/** Members signed and written per transaction: each takes its pass, audit and feed items and a watchlist check. */
export const APPROVAL_CHUNK = 20;
/** A roster reaches a post from two weeks before departure until a month after the promised return. */
const ROSTER_DAYS_AHEAD = 14;
const ROSTER_DAYS_AFTER_RETURN = 30;
/** Groups whose members' trips are read at once: each read is one or a few batch reads. */
const CONCURRENT_GROUP_READS = 8;

const leaderOf = (caller: GroupCaller, group: Group) =>
  caller.cnic !== undefined && caller.cnic === group.leader.cnic && caller.actor.role === 'applicant';
const live = (group: Group) => group.members.filter((m) => m.status !== 'REMOVED');

function busy<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    if (error instanceof RetriesExhausted)
      throw new Busy('Too many changes to this group at once; retry in a moment.');
    throw error;
  });
}

// ---- Organizers ------------------------------------------------------------------------------------------------

export async function registerOrganizer(
  deps: Pick<GroupsDependencies, 'store' | 'clock'>,
  cnic: string,
  input: OrganizerInput,
  actor: Actor,
): Promise<{ organizer: Organizer; created: boolean }> {
  const errors: FieldError[] = [];
  const name = normalizePersonName(input.name, 'Name');
  if (!name.ok) errors.push({ field: 'name', message: name.message });
  const fatherName = normalizePersonName(input.fatherName, "Father's name");
  if (!fatherName.ok) errors.push({ field: 'fatherName', message: fatherName.message });
  const phone = normalizePakistaniMobile(input.phone);
  if (!phone)
    errors.push({ field: 'phone', message: 'Must be a Pakistani mobile number such as 03001234567.' });
  if (!name.ok || !fatherName.ok || !phone)
    throw new Invalid('The organizer cannot be registered as it is.', errors);
  const organization = normalizeTypedText(input.organization, { collapseSpaces: true });
  return busy(() =>
    retryOnConflict(async () => {
      const existing = await deps.store.groups.getOrganizer(cnic);
      const at = deps.clock().toISOString();
      const organizer: Organizer = {
        ...(existing ?? { registeredBy: actor, registeredAt: at }),
        cnic,
        name: name.value,
        fatherName: fatherName.value,
        phone,
        organization,
        ...(existing ? { updatedBy: actor, updatedAt: at } : {}),
      };
      await deps.store.groups.putOrganizer(organizer, existing, actor, at);
      return { organizer, created: existing === undefined };
    }),
  );
}

/** An organizer, for staff or for the organizer themself; NotFound otherwise, as for a CNIC never registered. */
export async function findOrganizer(store: Store, cnic: string, caller: GroupCaller): Promise<Organizer> {
  const organizer = await store.groups.getOrganizer(cnic);
  if (!organizer || !(caller.staff || caller.cnic === cnic)) throw new NotFound(`No organizer ${cnic}.`);
  return organizer;
}

// ---- Applications ----------------------------------------------------------------------------------------------

/** The leader an application is for: an applicant's own CNIC, or the one an FIA officer names at the counter. */
async function leaderFor(store: Store, input: GroupInput, caller: GroupCaller): Promise<Organizer> {
  if (caller.actor.role === 'applicant') {
    if (caller.cnic === undefined)
      throw new Forbidden('Your account has no CNIC; ask an FIA office to register it.');
    if (input.leaderCnic !== undefined && input.leaderCnic.replaceAll('-', '') !== caller.cnic) {
      throw new Forbidden('You may apply only as the leader of your own groups.');
    }
    const organizer = await store.groups.getOrganizer(caller.cnic);
    if (!organizer) {
      throw new Forbidden(
        'Your CNIC is not registered as a group organizer; ask an FIA office to register it.',
      );
    }
    return organizer;
  }
  const cnic = input.leaderCnic?.replaceAll('-', '');
  const organizer = cnic && /^\d{13}$/.test(cnic) ? await store.groups.getOrganizer(cnic) : undefined;
  if (!organizer) {
    throw new Invalid('The group cannot be accepted as it is.', [
      {
        field: 'leaderCnic',
        message:
          input.leaderCnic === undefined
            ? 'Name the group leader.'
            : 'No organizer is registered with this CNIC.',
      },
    ]);
  }
  return organizer;
}

/** New members, each screened against the watchlist like any applicant: a hit marks the member for FIA eyes. */
async function screened(
  deps: Pick<GroupsDependencies, 'store' | 'metrics'>,
  members: readonly NormalizedMember[],
  at: string,
): Promise<{ members: GroupMember[]; listed: ReadonlyMap<string, unknown> }> {
  const listed = await deps.store.watchlist.getMany(members.map((m) => m.cnic));
  if (listed.size > 0) deps.metrics.addMetric(METRIC.watchlistHits, MetricUnit.Count, listed.size);
  return {
    members: members.map((m) => {
      const entry = listed.get(m.cnic);
      return {
        ...m,
        status: 'PENDING',
        addedAt: at,
        ...(entry ? { watchlist: { category: entry.category } } : {}),
      };
    }),
    listed,
  };
}

/** Refuses a leader with an earlier group overdue and not cleared: they answer for those members first. */
async function checkLeaderInGoodStanding(store: Store, leaderCnic: string, now: Date): Promise<void> {
  const earlier = await store.groups.listByLeader(leaderCnic);
  for (const group of earlier) {
    if (group.status !== 'APPROVED' || group.clearance || now.getTime() < overdueFrom(group.returnBy))
      continue;
    const { missing } = await travelOfGroup(store, group, now);
    if (missing.length > 0) {
      throw new Conflict(
        `The leader's group ${group.number} is overdue: ${missing.length} of its members have not come back since ${group.returnBy}. An FIA supervisor must clear it before this leader opens a new group.`,
      );
    }
  }
}

export async function submitGroup(
  deps: GroupsDependencies,
  input: GroupInput,
  caller: GroupCaller,
): Promise<Group> {
  const leader = await leaderFor(deps.store, input, caller);
  const now = deps.clock();
  const checked = validateGroup(input, now, deps.passTypes);
  if (!checked.ok) throw new Invalid('The group cannot be accepted as it is.', checked.errors);
  await checkLeaderInGoodStanding(deps.store, leader.cnic, now);
  const value = checked.value;
  const at = now.toISOString();
  await refuseMembersOfOtherOpenGroups(deps.store, value.members, undefined, now);
  const { members, listed } = await screened(deps, value.members, at);
  const year = Number(karachiDate(now).slice(0, 4));
  const stored = await busy(() =>
    retryOnConflict(async () => {
      const last = await deps.store.counters.peek('ZG', year);
      const group: Group = {
        number: `ZG-${year}-${String(last + 1).padStart(5, '0')}`,
        passType: value.passType,
        leader: {
          cnic: leader.cnic,
          name: leader.name,
          fatherName: leader.fatherName,
          phone: leader.phone,
          organization: leader.organization,
        },
        crossingPoint: value.crossingPoint,
        route: value.route,
        departOn: value.departOn,
        returnBy: value.returnBy,
        status: listed.size > 0 ? 'NEEDS_REVIEW' : 'PENDING',
        members,
        ...(caller.actor.role === 'applicant' ? { leaderSub: caller.actor.sub } : {}),
        submittedBy: caller.actor,
        createdAt: at,
        updatedAt: at,
        version: 1,
        ...(listed.size > 0 ? { reviewReason: `watchlist: ${listed.size} member(s)` } : {}),
        open: true,
      };
      await deps.store.groups.create(group, { name: 'ZG', year, value: last }, caller.actor);
      return group;
    }),
  );
  await recordMembers(deps.store, stored, stored.members);
  return stored;
}

/** The group, or NotFound, also when it is another leader's: the answer must not tell the two apart. */
export async function findGroup(store: Store, number: string, caller: GroupCaller): Promise<Group> {
  const group = await store.groups.get(number);
  if (!group || !(caller.staff || leaderOf(caller, group))) throw new NotFound(`No group ${number}.`);
  return group;
}

export async function listGroups(
  store: Store,
  status: GroupStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Group>> {
  try {
    return await store.groups.listByStatus(status, limit, cursor);
  } catch (error) {
    if (error instanceof CursorError) {
      throw new Invalid('Some query parameters are invalid.', [
        { field: 'cursor', message: 'The cursor is not one this list returned.' },
      ]);
    }
    throw error;
  }
}

/** A leader's groups, for staff or for the leader themself. */
export async function groupsOfLeader(store: Store, cnic: string, caller: GroupCaller): Promise<Group[]> {
  if (!caller.staff && caller.cnic !== cnic) throw new Forbidden('You may list only your own groups.');
  return store.groups.listByLeader(cnic);
}

// ---- Travel ----------------------------------------------------------------------------------------------------

export interface MemberOnTrip {
  member: GroupMember;
  travel: MemberTravel;
  latest?: LatestCrossing;
}

export interface GroupTravel {
  state: TravelState;
  counts: TravelCounts;
  members: MemberOnTrip[];
  /** Members still out after the return date ended (OVERDUE only). */
  missing: MemberOnTrip[];
}

/** Where a group's members are, from their passes' latest crossings. */
export async function travelOfGroup(store: Store, group: Group, now: Date): Promise<GroupTravel> {
  const passes = group.members.flatMap((m) => (m.pass ? [m.pass] : []));
  const latest =
    passes.length > 0 ? await store.groups.latestCrossings(passes) : new Map<string, LatestCrossing>();
  const members = group.members.map((member): MemberOnTrip => {
    const last = member.pass ? latest.get(member.pass) : undefined;
    return { member, travel: travelOf(last), ...(last ? { latest: last } : {}) };
  });
  const current = members.filter((m) => m.member.status !== 'REMOVED');
  const { state, counts } = groupTravel(
    group.returnBy,
    current.map((m) => m.travel),
    now,
  );
  return {
    state,
    counts,
    members,
    missing: state === 'OVERDUE' ? current.filter((m) => m.travel === 'OUT') : [],
  };
}

/** Each group with where it is, a few groups at a time. */
export async function travelOfGroups(
  store: Store,
  groups: readonly Group[],
  now: Date,
): Promise<{ group: Group; travel: GroupTravel }[]> {
  const out: { group: Group; travel: GroupTravel }[] = new Array(groups.length);
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const i = next++;
      const group = groups[i] as Group;
      out[i] = { group, travel: await travelOfGroup(store, group, now) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_GROUP_READS, groups.length) }, worker));
  return out;
}

/** Members may change until the group leaves: before the departure day has ended, while no member has crossed. */
async function checkNotDeparted(store: Store, group: Group, now: Date): Promise<void> {
  if (karachiDate(now) > group.departOn) {
    throw new Conflict(`Group ${group.number} left on ${group.departOn}: its members can no longer change.`);
  }
  const travel = await travelOfGroup(store, group, now);
  if (travel.counts.out + travel.counts.back > 0) {
    throw new Conflict(`Members of group ${group.number} have crossed: its members can no longer change.`);
  }
}

function checkMayChangeMembers(caller: GroupCaller, group: Group): void {
  if (!(caller.fia || leaderOf(caller, group))) throw new NotFound(`No group ${group.number}.`);
  if (group.status === 'REJECTED') throw new Conflict(`Group ${group.number} was rejected.`);
}

/** The status the members make: approved once every member holds a pass, held while a waiting one is listed. */
function statusOf(members: readonly GroupMember[]): GroupStatus {
  const waiting = members.filter((m) => m.status === 'PENDING');
  if (waiting.length === 0) return 'APPROVED';
  return waiting.some((m) => m.watchlist) ? 'NEEDS_REVIEW' : 'PENDING';
}

export async function addMembers(
  deps: GroupsDependencies,
  number: string,
  additions: readonly GroupMemberInput[],
  caller: GroupCaller,
): Promise<Group> {
  let added: Group['members'] = [];
  const changed = await busy(() =>
    retryOnConflict(async () => {
      const group = await findGroup(deps.store, number, caller);
      checkMayChangeMembers(caller, group);
      const now = deps.clock();
      await checkNotDeparted(deps.store, group, now);
      const type = findPassType(group.passType, deps.passTypes);
      const checked = validateMembers(additions, {
        taken: new Set(live(group).map((m) => m.cnic)),
        max: type?.group?.maxMembers ?? live(group).length + additions.length,
      });
      if (!checked.ok) throw new Invalid('The members cannot be added as they are.', checked.errors);
      await refuseMembersOfOtherOpenGroups(deps.store, checked.value, group.number, now);
      // A CNIC removed earlier comes back as a new entry; the removed one stays in the record.
      const at = now.toISOString();
      const screen = await screened(deps, checked.value, at);
      const listed = screen.listed;
      added = screen.members;
      const members = [...group.members, ...added];
      const changed: Group = {
        ...group,
        members,
        status: statusOf(members),
        updatedAt: at,
        version: group.version + 1,
      };
      await deps.store.groups.save(changed, group.version, {
        actor: caller.actor,
        action: 'GROUP_MEMBERS_ADDED',
        detail: { members: added.length, listed: listed.size },
      });
      return changed;
    }),
  );
  await recordMembers(deps.store, changed, added);
  return changed;
}

// ---- Signing: approval and removal -----------------------------------------------------------------------------

function memberClaims(group: Group, member: GroupMember, number: string): PassClaims {
  return {
    sub: number,
    nbf: karachiDayStart(group.departOn) / 1000,
    exp: overdueFrom(group.returnBy) / 1000,
    n: member.name,
    f: member.fatherName,
    c: Number(member.cnic),
    p: group.crossingPoint,
    g: group.number,
  };
}

async function signMemberPass(
  group: Group,
  member: GroupMember,
  number: string,
  signer: Signer,
  actor: Actor,
  at: string,
): Promise<Pass> {
  const claims = memberClaims(group, member, number);
  const token = await signCredential(signer, 'bp', claims);
  return {
    number,
    applicationId: group.number,
    group: group.number,
    status: 'ACTIVE',
    passType: group.passType,
    cnic: member.cnic,
    name: member.name,
    fatherName: member.fatherName,
    crossingPoints: [group.crossingPoint as Pass['crossingPoints'][number]],
    validFrom: group.departOn,
    validUntil: group.returnBy,
    nbf: claims.nbf,
    exp: claims.exp,
    token,
    kid: signer.kid,
    // The leader prints the members' passes and answers for them; no member has an account of their own here.
    ...(group.leaderSub ? { holderSub: group.leaderSub } : {}),
    issuedAt: at,
    issuedBy: actor,
  };
}

/** The leader's group pass: names the group, its leader and its size now; no travel document. */
async function signGroupPass(
  group: Group,
  signer: Signer,
  at: string,
): Promise<NonNullable<Group['groupPass']>> {
  const size = live(group).length;
  const token = await signCredential(signer, 'bp', {
    sub: group.number,
    nbf: karachiDayStart(group.departOn) / 1000,
    exp: overdueFrom(group.returnBy) / 1000,
    n: group.leader.name,
    f: group.leader.fatherName,
    c: Number(group.leader.cnic),
    p: group.crossingPoint,
    g: group.number,
    s: size,
  });
  return { token, kid: signer.kid, signedAt: at, size };
}

/** Configuration may end a pass type while a group waits, so an approval checks the type again. */
function checkTypeStillIssued(group: Group, now: Date, passTypes: readonly PassType[]): void {
  const type = findPassType(group.passType, passTypes);
  if (type?.group === undefined)
    throw new Conflict(`The pass type ${group.passType} is no longer issued to groups.`);
  if (!passTypeInEffect(type, now)) throw new Conflict(`The ${type.name} is not issued today.`);
  if (type.effectiveUntil !== undefined && group.returnBy > type.effectiveUntil) {
    throw new Conflict(
      `The return date ${group.returnBy} is past ${type.effectiveUntil}, the last day of the ${type.name}.`,
    );
  }
  if (group.returnBy < karachiDate(now))
    throw new Conflict('The group’s return date passed before approval.');
}

/**
 * Issues a pass to every member still without one, twenty at a time: each chunk moves the pass counter, writes its
 * passes with their audit and feed items and the group, in one transaction conditioned on the group's version; the
 * last one approves the group and signs the leader's group pass. A call cut off midway leaves the group waiting
 * with some members issued, and the next call issues the rest: repeat-safe.
 */
export async function approveGroup(
  deps: GroupSigningDependencies,
  number: string,
  decider: Decider,
): Promise<Group> {
  const caller: GroupCaller = { actor: decider.actor, fia: true, staff: true };
  const signer = await deps.passSigner();
  let group = await findGroup(deps.store, number, caller);
  // Another leader may have named a member since this group was made: the check runs again before any pass.
  if (OPEN_STATUSES.includes(group.status))
    await refuseMembersOfOtherOpenGroups(deps.store, live(group), group.number, deps.clock());
  for (;;) {
    if (group.status === 'APPROVED') return group;
    if (!OPEN_STATUSES.includes(group.status))
      throw new Conflict(`Group ${group.number} is ${group.status}.`);
    if (group.status === 'NEEDS_REVIEW' && !decider.supervisor) {
      throw new NeedsSupervisor(
        'This group needs review by an FIA supervisor: a member is on the watchlist.',
      );
    }
    group = await busy(() =>
      retryOnConflict(
        () => approveChunk(deps, number, decider, signer),
        () => count(deps.metrics, METRIC.approvalRaceLost),
      ),
    );
  }
}

async function approveChunk(
  deps: GroupSigningDependencies,
  number: string,
  decider: Decider,
  signer: Signer,
): Promise<Group> {
  const group = (await deps.store.groups.get(number)) as Group;
  if (group.status === 'APPROVED' || !OPEN_STATUSES.includes(group.status)) return group;
  const now = deps.clock();
  checkTypeStillIssued(group, now, deps.passTypes);
  const at = now.toISOString();
  const waiting = group.members.flatMap((m, i) => (m.status === 'PENDING' ? [i] : []));
  const chunk = waiting.slice(0, APPROVAL_CHUNK);
  const members = [...group.members];
  const items: TransactItem[] = [];
  if (chunk.length > 0) {
    // An officer's approval reads the watchlist again, and each write checks it: a listing at any moment before the
    // transaction holds the group for a supervisor.
    if (!decider.supervisor) {
      const listed = await deps.store.watchlist.getMany(chunk.map((i) => (members[i] as GroupMember).cnic));
      if (listed.size > 0) {
        for (const i of chunk) {
          const entry = listed.get((members[i] as GroupMember).cnic);
          if (entry) members[i] = { ...(members[i] as GroupMember), watchlist: { category: entry.category } };
        }
        await deps.store.groups.save(
          { ...group, members, status: 'NEEDS_REVIEW', updatedAt: at, version: group.version + 1 },
          group.version,
          { actor: decider.actor, action: 'GROUP_HELD', detail: { listed: listed.size } },
        );
        count(deps.metrics, METRIC.watchlistHits);
        throw new NeedsSupervisor(
          'This group needs review by an FIA supervisor: a member is now on the watchlist.',
        );
      }
    }
    const year = Number(karachiDate(now).slice(0, 4));
    const value = await deps.store.counters.peek('BP', year);
    const passes = await Promise.all(
      chunk.map((memberIndex, k) =>
        signMemberPass(
          group,
          members[memberIndex] as GroupMember,
          `BP-${year}-${String(value + k + 1).padStart(6, '0')}`,
          signer,
          decider.actor,
          at,
        ),
      ),
    );
    chunk.forEach((memberIndex, k) => {
      members[memberIndex] = {
        ...(members[memberIndex] as GroupMember),
        status: 'ISSUED',
        pass: (passes[k] as Pass).number,
      };
    });
    items.push(deps.store.counters.claim({ name: 'BP', year, value }, chunk.length));
    for (const pass of passes) {
      items.push(...deps.store.passes.issueItems(pass, decider.actor, { group: group.number }));
      if (!decider.supervisor) {
        items.push({
          ConditionCheck: {
            TableName: deps.store.table.name,
            Key: keys.watch(pass.cnic),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        });
      }
    }
    const done = waiting.length === chunk.length;
    const changed: Group = {
      ...group,
      members,
      updatedAt: at,
      version: group.version + 1,
      ...(done ? { status: 'APPROVED', decision: { by: decider.actor, at } } : {}),
    };
    if (done) changed.groupPass = await signGroupPass(changed, signer, at);
    const counter = { name: 'BP', year, value };
    try {
      await deps.store.groups.save(
        changed,
        group.version,
        {
          actor: decider.actor,
          action: done ? 'GROUP_APPROVED' : 'GROUP_PASSES_ISSUED',
          detail: { passes: passes.length },
        },
        items,
      );
    } catch (error) {
      deps.store.counters.settle(counter, false, chunk.length);
      throw error;
    }
    deps.store.counters.settle(counter, true, chunk.length);
    deps.metrics.addMetric(METRIC.passesIssued, MetricUnit.Count, passes.length);
    return changed;
  }
  // Every member already holds a pass (the last waiting one was removed): the group is approved as it stands.
  const changed: Group = {
    ...group,
    status: 'APPROVED',
    decision: { by: decider.actor, at },
    updatedAt: at,
    version: group.version + 1,
  };
  changed.groupPass = await signGroupPass(changed, signer, at);
  await deps.store.groups.save(changed, group.version, { actor: decider.actor, action: 'GROUP_APPROVED' });
  return changed;
}

/** Removes a member before departure; a pass already issued is revoked in the same transaction. */
export async function removeMember(
  deps: GroupSigningDependencies,
  number: string,
  cnic: string,
  caller: GroupCaller,
): Promise<Group> {
  const signer = await deps.passSigner();
  return busy(() =>
    retryOnConflict(async () => {
      const group = await findGroup(deps.store, number, caller);
      checkMayChangeMembers(caller, group);
      const now = deps.clock();
      await checkNotDeparted(deps.store, group, now);
      const index = group.members.findIndex((m) => m.cnic === cnic && m.status !== 'REMOVED');
      if (index === -1) throw new NotFound(`No member ${cnic} in group ${number}.`);
      if (live(group).length === 1) {
        throw new Conflict('A group keeps at least one member; ask FIA to reject the group instead.');
      }
      const at = now.toISOString();
      const member = group.members[index] as GroupMember;
      const items: TransactItem[] = [];
      if (member.pass) {
        const pass = await deps.store.passes.get(member.pass);
        if (pass?.status === 'ACTIVE') {
          const version = await deps.store.revocations.version();
          items.push(
            ...deps.store.passes.revokeItems(
              pass,
              `Removed from group ${number}.`,
              caller.actor,
              at,
              version,
            ),
          );
        }
      }
      const members = group.members.map((m, i) =>
        i === index ? { ...m, status: 'REMOVED' as const, removedAt: at } : m,
      );
      const status = statusOf(members.filter((m) => m.status !== 'REMOVED'));
      const changed: Group = { ...group, members, status, updatedAt: at, version: group.version + 1 };
      if (status === 'APPROVED') {
        changed.groupPass = await signGroupPass(changed, signer, at);
        if (group.status !== 'APPROVED') changed.decision = { by: caller.actor, at };
      }
      await deps.store.groups.save(
        changed,
        group.version,
        {
          actor: caller.actor,
          action: 'GROUP_MEMBER_REMOVED',
          detail: { ...(member.pass ? { pass: member.pass } : {}) },
        },
        items,
      );
      if (items.length > 0) count(deps.metrics, METRIC.passesRevoked);
      return changed;
    }),
  );
}

// ---- Decisions -------------------------------------------------------------------------------------------------

/** Rejects a waiting group; a held one (a member on the watchlist) only by a supervisor, as an application. */
export async function rejectGroup(
  deps: GroupsDependencies,
  number: string,
  reason: string,
  decider: Decider,
): Promise<Group> {
  const { actor } = decider;
  return busy(() =>
    retryOnConflict(async () => {
      const group = await findGroup(deps.store, number, { actor, fia: true, staff: true });
      if (!OPEN_STATUSES.includes(group.status))
        throw new Conflict(`Group ${number} is already ${group.status}.`);
      if (group.status === 'NEEDS_REVIEW' && !decider.supervisor) {
        throw new NeedsSupervisor(
          'This group needs review by an FIA supervisor: a member is on the watchlist.',
        );
      }
      if (group.members.some((m) => m.status === 'ISSUED')) {
        throw new Conflict(
          `Members of group ${number} already hold passes: remove the members who should not go.`,
        );
      }
      const at = deps.clock().toISOString();
      const changed: Group = {
        ...group,
        status: 'REJECTED',
        decision: { by: actor, at, reason },
        open: false,
        updatedAt: at,
        version: group.version + 1,
      };
      await deps.store.groups.save(changed, group.version, {
        actor,
        action: 'GROUP_REJECTED',
        detail: { reason },
      });
      return changed;
    }),
  );
}

/** FIA lifts an overdue group's hold on its leader, with a reason; the missing members stay on record. */
export async function clearGroup(
  deps: GroupsDependencies,
  number: string,
  reason: string,
  actor: Actor,
): Promise<Group> {
  return busy(() =>
    retryOnConflict(async () => {
      const group = await findGroup(deps.store, number, { actor, fia: true, staff: true });
      if (group.clearance) throw new Conflict(`Group ${number} was cleared on ${group.clearance.at}.`);
      const now = deps.clock();
      const travel = await travelOfGroup(deps.store, group, now);
      if (travel.state !== 'OVERDUE') {
        throw new Conflict(`Group ${number} is ${travel.state}, not overdue: there is nothing to clear.`);
      }
      const at = now.toISOString();
      const changed: Group = {
        ...group,
        clearance: { by: actor, at, reason },
        updatedAt: at,
        version: group.version + 1,
      };
      await deps.store.groups.save(changed, group.version, {
        actor,
        action: 'GROUP_CLEARED',
        detail: { reason, missing: travel.missing.map((m) => m.member.pass) },
      });
      return changed;
    }),
  );
}

// ---- Checkpoints, reports and the sweep ------------------------------------------------------------------------

/** The groups a post needs offline: crossing there, leaving within two weeks or not long back, with passes. */
export async function rostersFor(
  deps: Pick<GroupsDependencies, 'store' | 'clock' | 'passTypes'>,
  checkpoint: string,
): Promise<Group[]> {
  const now = deps.clock();
  const longest = Math.max(0, ...deps.passTypes.filter((t) => t.group).map((t) => t.maxValidityDays));
  const groups = await deps.store.groups.listByDeparture(
    checkpoint,
    karachiDatePlus(now, -(longest + ROSTER_DAYS_AFTER_RETURN)),
    karachiDatePlus(now, ROSTER_DAYS_AHEAD),
  );
  const today = karachiDate(now);
  return groups.filter(
    (g) =>
      g.status !== 'REJECTED' &&
      g.members.some((m) => m.status === 'ISSUED') &&
      karachiDatePlus(new Date(karachiDayStart(g.returnBy)), ROSTER_DAYS_AFTER_RETURN) >= today,
  );
}

/** The groups that may have members abroad, with where each is. */
export async function openGroups(store: Store, now: Date): Promise<{ group: Group; travel: GroupTravel }[]> {
  return travelOfGroups(store, await store.groups.listOpen(), now);
}

/**
 * Once a group's return date has ended, every member still out is a GROUP_OVERDUE anomaly naming the group and its
 * leader, written once; a group with no one out any more leaves the open-groups index. Safe to run at any time
 * and as often as liked.
 */
export async function sweepOverdueGroups(
  deps: Pick<GroupsDependencies, 'store' | 'clock' | 'metrics'>,
): Promise<{ anomalies: number; closed: number }> {
  const now = deps.clock();
  const due = await deps.store.groups.listOpen(karachiDate(now));
  let anomalies = 0;
  let closed = 0;
  for (const { group, travel } of await travelOfGroups(deps.store, due, now)) {
    if (now.getTime() < overdueFrom(group.returnBy)) continue;
    const at = new Date(overdueFrom(group.returnBy)).toISOString();
    for (const { member, latest } of travel.missing) {
      if (!member.pass || !latest) continue;
      const written = await deps.store.groups.recordOverdue({
        pass: member.pass,
        out: latest,
        at,
        detail: `${member.name} went out at ${latest.checkpoint} on ${latest.at} with group ${group.number} (leader ${group.leader.name}, ${group.leader.organization}) and was not back by ${group.returnBy}.`,
        group: {
          number: group.number,
          leaderCnic: group.leader.cnic,
          leaderName: group.leader.name,
          organization: group.leader.organization,
          returnBy: group.returnBy,
        },
      });
      if (written) anomalies++;
    }
    if (travel.counts.out === 0) {
      try {
        // Index upkeep, not a decision: no audit item.
        await deps.store.groups.save(
          { ...group, open: false, updatedAt: now.toISOString(), version: group.version + 1 },
          group.version,
        );
        closed++;
      } catch {
        // Changed meanwhile: the next sweep looks again.
      }
    }
  }
  if (anomalies > 0) deps.metrics.addMetric('GroupMembersOverdue', MetricUnit.Count, anomalies);
  return { anomalies, closed };
}
