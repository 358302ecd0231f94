// Pilgrim groups at the post: the rosters downloaded while there is signal, and each group's progress through the
// crossings this device has recorded, kept so that a scan only ever looks a member up (docs/groups.md).
import type { Direction } from '../../../shared/domain/crossing.ts';
import {
  db,
  type LocalCrossing,
  load,
  type Roster,
  type RosterMember,
  type RuntimeConfig,
  type SavedLogin,
  type SavedRosters,
  save,
} from './storage.ts';

export type { Roster, RosterMember } from './storage.ts';

const isText = (v: unknown): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function readMember(v: unknown): RosterMember | undefined {
  if (!isRecord(v) || !isText(v.pass) || !isText(v.name) || !isText(v.fatherName)) return undefined;
  const { latest } = v;
  const known =
    isRecord(latest) && (latest.direction === 'OUT' || latest.direction === 'IN') && isText(latest.at)
      ? { latest: { direction: latest.direction as Direction, at: latest.at } }
      : {};
  return { pass: v.pass, name: v.name, fatherName: v.fatherName, ...known };
}

function readRoster(v: unknown): Roster | undefined {
  if (!isRecord(v) || !isText(v.number) || !isRecord(v.leader) || !Array.isArray(v.members)) return undefined;
  const { leader } = v;
  if (!isText(leader.name) || !isText(leader.organization)) return undefined;
  const members: RosterMember[] = [];
  for (const item of v.members) {
    const member = readMember(item);
    if (!member) return undefined;
    members.push(member);
  }
  return {
    number: v.number,
    leader: {
      name: leader.name,
      organization: leader.organization,
      phone: isText(leader.phone) ? leader.phone : '',
    },
    crossingPoint: isText(v.crossingPoint) ? v.crossingPoint : '',
    departOn: isText(v.departOn) ? v.departOn : '',
    returnBy: isText(v.returnBy) ? v.returnBy : '',
    size: typeof v.size === 'number' ? v.size : members.length,
    members,
  };
}

/**
 * The body of `GET /rosters` as the device keeps it, or undefined when it is not that shape. The whole answer is
 * refused for one bad group: a half-read answer must not replace the rosters the post already has.
 */
export function readRosters(body: unknown, receivedAt: number): SavedRosters | undefined {
  if (!isRecord(body) || !isText(body.asOf) || !Array.isArray(body.groups)) return undefined;
  const groups: Roster[] = [];
  for (const item of body.groups) {
    const roster = readRoster(item);
    if (!roster) return undefined;
    groups.push(roster);
  }
  return { asOf: body.asOf, receivedAt, groups };
}

export type RosterSync =
  | { outcome: 'updated'; rosters: SavedRosters }
  | { outcome: 'offline' | 'login-needed' | 'failed'; detail?: string };

/** Downloads the rosters of the groups crossing at the officer's post and keeps them, replacing the last ones. */
export async function syncRosters(
  config: RuntimeConfig,
  login: SavedLogin,
  nowMs: number,
): Promise<RosterSync> {
  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}/rosters`, {
      headers: { authorization: `Bearer ${login.token}` },
      cache: 'no-store',
    });
  } catch {
    return { outcome: 'offline' };
  }
  if (response.status === 401 || response.status === 403) return { outcome: 'login-needed' };
  if (!response.ok) return { outcome: 'failed', detail: `HTTP ${response.status}` };
  const rosters = readRosters(await response.json().catch(() => undefined), nowMs);
  if (!rosters) return { outcome: 'failed', detail: 'the server sent rosters the app cannot read' };
  await save('rosters', rosters);
  return { outcome: 'updated', rosters };
}

export function loadRosters(): Promise<SavedRosters | undefined> {
  return load('rosters');
}

/** One crossing of a member's pass as this device recorded it. */
export interface Mark {
  id: string;
  direction: Direction;
  at: string;
}

/** The crossings this device recorded for one group, not refused by the server, oldest first. */
export async function groupMarks(group: string): Promise<{ pass: string; mark: Mark }[]> {
  const range = IDBKeyRange.bound([group, ''], [group, '\uffff']);
  const found: LocalCrossing[] = await (await db()).getAllFromIndex('crossings', 'byGroup', range);
  // A refused record is not a crossing the platform holds: the member may be recorded again.
  return found
    .filter((local) => local.state !== 'rejected')
    .map((local) => ({ pass: local.number, mark: markOf(local) }));
}

export const markOf = (local: LocalCrossing): Mark => ({
  id: local.record.id,
  direction: local.record.direction,
  at: local.record.at,
});

/**
 * One group's standing at this post: who is out and who is back by the latest crossing this device recorded of
 * each pass, and for each direction the roster's members not yet recorded in it, in roster order. Built once per
 * group (and again when its roster is downloaded anew); a crossing recorded or withdrawn after that updates it in
 * constant time, so a scan costs a lookup whatever the group's size.
 */
export class GroupProgress {
  readonly number: string;
  readonly roster: Roster | undefined;
  /** Every crossing of each pass, oldest first: an undo brings the one before back. */
  readonly #marks = new Map<string, Mark[]>();
  readonly #members = new Map<string, RosterMember>();
  readonly #waiting: Record<Direction, Set<string>> = { OUT: new Set(), IN: new Set() };
  /** A member put back into a list goes at its end: the list is put in roster order again when next read. */
  readonly #unordered: Record<Direction, boolean> = { OUT: false, IN: false };
  readonly #latest: Record<Direction, number> = { OUT: 0, IN: 0 };
  /** The same count for the roster's members only. */
  readonly #onRoster: Record<Direction, number> = { OUT: 0, IN: 0 };

  constructor(number: string, roster: Roster | undefined, marks: Iterable<{ pass: string; mark: Mark }>) {
    this.number = number;
    this.roster = roster;
    for (const member of roster?.members ?? []) {
      this.#members.set(member.pass, member);
      // What the platform knew at download (another phone at the post, a device reset since) goes in by its time;
      // this device's own later records stay the latest.
      if (member.latest) this.#push(member.pass, { id: `platform:${member.pass}`, ...member.latest });
    }
    for (const { pass, mark } of marks) this.#push(pass, mark);
    for (const pass of this.#members.keys()) {
      const latest = this.latestOf(pass)?.direction;
      for (const direction of ['OUT', 'IN'] as const)
        if (waitsFor(direction, latest)) this.#waiting[direction].add(pass);
      if (latest) this.#onRoster[latest]++;
    }
    for (const pass of this.#marks.keys()) {
      const latest = this.latestOf(pass);
      if (latest) this.#latest[latest.direction]++;
    }
  }

  /**
   * The roster's members group mode counts in a direction: every member for a departure; for a return only those
   * who left (out now, or back already), so a member who never went is not "not yet back".
   */
  total(direction: Direction): number {
    if (direction === 'OUT') return this.#members.size;
    return this.#onRoster.IN + this.#waiting.IN.size;
  }

  /** Roster members whose latest crossing is in the direction: done, for group mode. */
  done(direction: Direction): number {
    return this.total(direction) - this.#waiting[direction].size;
  }

  /** The same crossings against another roster (a new download). */
  withRoster(roster: Roster | undefined): GroupProgress {
    const marks: { pass: string; mark: Mark }[] = [];
    for (const [pass, list] of this.#marks) for (const mark of list) marks.push({ pass, mark });
    return new GroupProgress(this.number, roster, marks);
  }

  member(pass: string): RosterMember | undefined {
    return this.#members.get(pass);
  }

  latestOf(pass: string): Mark | undefined {
    return this.#marks.get(pass)?.at(-1);
  }

  /** Passes of this group whose latest crossing here is an OUT, and an IN. */
  get out(): number {
    return this.#latest.OUT;
  }

  get back(): number {
    return this.#latest.IN;
  }

  /** Roster members not recorded in this direction yet, in no particular order. */
  waiting(direction: Direction): ReadonlySet<string> {
    return this.#waiting[direction];
  }

  /**
   * Up to `limit` of the members waiting in a direction, in roster order. Only those are read, so a scan costs the
   * same whatever the roster's length; the whole roster is read again only after a member was put back (an undo).
   */
  firstWaiting(direction: Direction, limit: number): RosterMember[] {
    if (this.#unordered[direction]) {
      const waiting = this.#waiting[direction];
      this.#waiting[direction] = new Set([...this.#members.keys()].filter((pass) => waiting.has(pass)));
      this.#unordered[direction] = false;
    }
    const first: RosterMember[] = [];
    for (const pass of this.#waiting[direction]) {
      if (first.length >= limit) break;
      const member = this.#members.get(pass);
      if (member) first.push(member);
    }
    return first;
  }

  recorded(pass: string, mark: Mark): void {
    const before = this.latestOf(pass)?.direction;
    this.#push(pass, mark);
    this.#moved(pass, before, this.latestOf(pass)?.direction);
  }

  withdrawn(pass: string, id: string): void {
    const list = this.#marks.get(pass);
    const index = list?.findIndex((mark) => mark.id === id) ?? -1;
    if (!list || index < 0) return;
    const before = this.latestOf(pass)?.direction;
    list.splice(index, 1);
    if (list.length === 0) this.#marks.delete(pass);
    this.#moved(pass, before, this.latestOf(pass)?.direction);
  }

  #push(pass: string, mark: Mark): void {
    const list = this.#marks.get(pass);
    if (!list) this.#marks.set(pass, [mark]);
    // The device's records come oldest first; one made with a clock set back still goes in its place.
    else if ((list.at(-1)?.at ?? '') <= mark.at) list.push(mark);
    else
      list.splice(
        list.findIndex((m) => m.at > mark.at),
        0,
        mark,
      );
  }

  #moved(pass: string, before: Direction | undefined, after: Direction | undefined): void {
    if (before === after) return;
    if (before) this.#latest[before]--;
    if (after) this.#latest[after]++;
    if (!this.#members.has(pass)) return;
    if (before) this.#onRoster[before]--;
    if (after) this.#onRoster[after]++;
    for (const direction of ['OUT', 'IN'] as const) {
      const waiting = this.#waiting[direction];
      if (!waitsFor(direction, after)) waiting.delete(pass);
      else if (!waiting.has(pass)) {
        waiting.add(pass);
        this.#unordered[direction] = true;
      }
    }
  }
}

/** A member waits to go out unless out already, and waits to come back only while out. */
function waitsFor(direction: Direction, latest: Direction | undefined): boolean {
  return direction === 'OUT' ? latest !== 'OUT' : latest === 'OUT';
}
