// One open pilgrim group per person: a member may not be in two groups whose trips are not over, so each group's
// leader answers for exactly their own members; and the memberships and names the desk finds people by.
import { nameIndexKeys } from '../../shared/domain/names.ts';
import { karachiDate } from '../../shared/domain/pass-types.ts';
import type { Group } from '../store/groups.ts';
import type { Store } from '../store/store.ts';
import { Conflict } from './errors.ts';

/** A group a member is still answerable in: not rejected, the member not removed, the return date not past. */
function holdsMember(group: Group, cnic: string, today: string): boolean {
  if (group.status === 'REJECTED' || group.returnBy < today) return false;
  return group.members.some((m) => m.cnic === cnic && m.status !== 'REMOVED');
}

/**
 * Refuses (409, naming the other group) when any of `members` is in another group whose trip is not over.
 * Checked when a group is made or members are added, and again at approval, since two leaders may name the same
 * person at once.
 */
export async function refuseMembersOfOtherOpenGroups(
  store: Store,
  members: readonly { cnic: string; name: string }[],
  thisGroup: string | undefined,
  now: Date,
): Promise<void> {
  const today = karachiDate(now);
  const held = await store.search.membershipsOf(members.map((m) => m.cnic));
  const memberships = members.map((member) => ({
    member,
    groups: (held.get(member.cnic) ?? []).filter((no) => no !== thisGroup),
  }));
  const others = [...new Set(memberships.flatMap((m) => m.groups))];
  if (others.length === 0) return;
  const groups = new Map(
    (await Promise.all(others.map((no) => store.groups.get(no))))
      .filter((g): g is Group => g !== undefined)
      .map((g) => [g.number, g]),
  );
  for (const { member, groups: numbers } of memberships) {
    const open = numbers.map((no) => groups.get(no)).find((g) => g && holdsMember(g, member.cnic, today));
    if (open) {
      throw new Conflict(
        `${member.name} is already a member of group ${open.number}, which returns by ${open.returnBy}: a person travels in one group at a time.`,
        { openGroup: open.number },
      );
    }
  }
}

/** After a group is stored: its members' memberships and names, so the person page and search find them. */
export async function recordMembers(store: Store, group: Group, added: Group['members']): Promise<void> {
  await store.search.putMemberships(
    group.number,
    added.map((m) => m.cnic),
  );
  await store.search.putNames(
    added.map((m) => ({
      cnic: m.cnic,
      name: m.name,
      fatherName: m.fatherName,
      district: m.district,
      keys: nameIndexKeys(m.name),
    })),
  );
}
