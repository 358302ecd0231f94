// The rules of a pilgrim group: which applications and members are acceptable, and where a group is on its trip.
import type { FieldError } from './application.ts';
import { normalizePersonName } from './application.ts';
import { parseCnic } from './cnic.ts';
import {
  daysBetween,
  findPassType,
  isCalendarDate,
  karachiDate,
  karachiDayStart,
  type PassType,
  passTypeInEffectOn,
} from './pass-types.ts';
import { CROSSING_POINTS, type CrossingPointCode, isCrossingPointCode } from './reference.ts';
import { findForbiddenCharacter, normalizeTypedText } from './text.ts';

export interface GroupMemberInput {
  cnic: string;
  name: string;
  fatherName: string;
  /** Where the member lives, as written: members come from all over Pakistan, not only the border districts. */
  district: string;
}

export interface GroupInput {
  passType: string;
  crossingPoint: string;
  /** The itinerary in a line, e.g. "Taftan – Zahedan – Mashhad – Qom – Karbala – Najaf". */
  route: string;
  /** YYYY-MM-DD: the day the group leaves; the members' passes are valid from its start. */
  departOn: string;
  /** YYYY-MM-DD: the promised return date; the passes expire at its end, and a member out after it is overdue. */
  returnBy: string;
  members: readonly GroupMemberInput[];
}

export interface NormalizedMember {
  /** 13 digits. */
  cnic: string;
  name: string;
  fatherName: string;
  district: string;
}

export interface NormalizedGroup {
  passType: string;
  crossingPoint: CrossingPointCode;
  route: string;
  departOn: string;
  returnBy: string;
  members: NormalizedMember[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** A line of typed text (a route, a place name): refused characters named, trimmed, spaces collapsed, NFC. */
function placeText(
  raw: string,
  label: string,
  max: number,
): { ok: true; value: string } | { ok: false; message: string } {
  const forbidden = findForbiddenCharacter(raw, 'single-line');
  if (forbidden !== undefined) return { ok: false, message: `${label} contains ${forbidden.description}` };
  const value = normalizeTypedText(raw, { collapseSpaces: true });
  const length = [...value].length;
  if (length < 2) return { ok: false, message: `${label} must be at least 2 characters.` };
  if (length > max) return { ok: false, message: `${label} must be at most ${max} characters.` };
  return { ok: true, value };
}

/**
 * Checks members as listed at `members/<offset + i>`, each CNIC at most once among them and among `taken` (the
 * group's members already), and reports every problem at once so a leader fixes a long list in one pass.
 */
export function validateMembers(
  members: readonly GroupMemberInput[],
  options: { offset?: number; taken?: ReadonlySet<string>; max: number },
): Checked<NormalizedMember[]> {
  const errors: FieldError[] = [];
  const offset = options.offset ?? 0;
  const taken = options.taken ?? new Set<string>();
  if (members.length === 0) errors.push({ field: 'members', message: 'A group needs at least one member.' });
  if (taken.size + members.length > options.max) {
    errors.push({ field: 'members', message: `A group may have at most ${options.max} members.` });
  }
  const seen = new Map<string, number>();
  const accepted: NormalizedMember[] = [];
  members.forEach((member, i) => {
    const at = `members/${offset + i}`;
    const fail = (field: string, message: string) => errors.push({ field: `${at}/${field}`, message });
    const cnic = parseCnic(member.cnic);
    if (!cnic.ok) fail('cnic', cnic.error);
    else if (taken.has(cnic.cnic)) fail('cnic', 'This CNIC is already a member of the group.');
    else if (seen.has(cnic.cnic)) fail('cnic', `The same CNIC as member ${(seen.get(cnic.cnic) ?? 0) + 1}.`);
    if (cnic.ok && !seen.has(cnic.cnic)) seen.set(cnic.cnic, offset + i);
    const name = normalizePersonName(member.name, 'Name');
    if (!name.ok) fail('name', name.message);
    const fatherName = normalizePersonName(member.fatherName, "Father's name");
    if (!fatherName.ok) fail('fatherName', fatherName.message);
    const district = placeText(member.district, 'District', 60);
    if (!district.ok) fail('district', district.message);
    if (cnic.ok && name.ok && fatherName.ok && district.ok) {
      accepted.push({
        cnic: cnic.cnic,
        name: name.value,
        fatherName: fatherName.value,
        district: district.value,
      });
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: accepted };
}

/** Checks a whole group application against its (group) pass type at `now`, every problem at once. */
export function validateGroup(
  input: GroupInput,
  now: Date,
  passTypes: readonly PassType[],
): Checked<NormalizedGroup> {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const today = karachiDate(now);

  const found = findPassType(input.passType, passTypes);
  const type = found?.group !== undefined ? found : undefined;
  if (found === undefined) fail('passType', 'This pass type does not exist.');
  else if (type === undefined) fail('passType', `The ${found.name} is not issued to groups.`);
  else if (!passTypeInEffectOn(type, today)) fail('passType', notInEffect(type, today));

  let crossingPoint: CrossingPointCode | undefined;
  if (!isCrossingPointCode(input.crossingPoint)) fail('crossingPoint', 'This crossing point is not known.');
  else if (type?.group && !type.group.crossingPoints.includes(input.crossingPoint)) {
    const open = type.group.crossingPoints.map((p) => CROSSING_POINTS[p].name).join(', ');
    fail('crossingPoint', `Groups of the ${type.name} cross at ${open}.`);
  } else crossingPoint = input.crossingPoint;

  const route = placeText(input.route, 'Route', 200);
  if (!route.ok) fail('route', route.message);

  const departOn = isCalendarDate(input.departOn) ? input.departOn : undefined;
  if (departOn === undefined) fail('departOn', 'Must be a real date written as YYYY-MM-DD.');
  else if (departOn < today) fail('departOn', `Must not be in the past; today is ${today} in Pakistan.`);
  else if (type && passTypeInEffectOn(type, today) && !passTypeInEffectOn(type, departOn)) {
    fail('departOn', notInEffect(type, departOn));
  }

  const returnBy = isCalendarDate(input.returnBy) ? input.returnBy : undefined;
  if (returnBy === undefined) fail('returnBy', 'Must be a real date written as YYYY-MM-DD.');
  else if (departOn !== undefined && returnBy <= departOn)
    fail('returnBy', 'Must be after the departure date.');
  else if (departOn !== undefined && type && daysBetween(departOn, returnBy) + 1 > type.maxValidityDays) {
    fail('returnBy', `A ${type.name} may cover at most ${type.maxValidityDays} days, counting both ends.`);
  } else if (type?.effectiveUntil !== undefined && returnBy > type.effectiveUntil) {
    fail('returnBy', `Must not be after ${type.effectiveUntil}, the last day of the ${type.name}.`);
  }

  const members = validateMembers(input.members, { max: type?.group?.maxMembers ?? Number.MAX_SAFE_INTEGER });
  if (!members.ok) errors.push(...members.errors);

  if (errors.length > 0 || !type || !crossingPoint || !route.ok || !departOn || !returnBy || !members.ok) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      passType: type.code,
      crossingPoint,
      route: route.value,
      departOn,
      returnBy,
      members: members.value,
    },
  };
}

function notInEffect(type: PassType, day: string): string {
  return day < type.effectiveFrom
    ? `The ${type.name} is only issued from ${type.effectiveFrom}.`
    : `The ${type.name} ended on ${type.effectiveUntil}.`;
}

/** A member's latest crossing, as the crossings keep it (the pass's trip item). */
export interface LatestCrossing {
  direction: 'OUT' | 'IN';
  at: string;
  checkpoint: string;
  crossingId: string;
}

export type MemberTravel = 'NOT_DEPARTED' | 'OUT' | 'BACK';

export const TRAVEL_STATES = ['UPCOMING', 'ABROAD', 'RETURNED', 'OVERDUE', 'NOT_TRAVELLED'] as const;
/**
 * UPCOMING: no member out yet and the return date not over; ABROAD: members out, the return date not over;
 * RETURNED: someone went and everyone who went is back; OVERDUE: the return date is over with members out;
 * NOT_TRAVELLED: the return date is over and no member ever crossed.
 */
export type TravelState = (typeof TRAVEL_STATES)[number];

export const travelOf = (latest: LatestCrossing | undefined): MemberTravel =>
  latest === undefined ? 'NOT_DEPARTED' : latest.direction === 'OUT' ? 'OUT' : 'BACK';

/** The instant (epoch ms) the promised return date ends in Pakistan: from then on a member still out is overdue. */
export const overdueFrom = (returnBy: string): number => karachiDayStart(returnBy) + 86_400_000;

export interface TravelCounts {
  notDeparted: number;
  out: number;
  back: number;
}

/** Where the group is, from its members' travel (removed members left out by the caller) at `now`. */
export function groupTravel(
  returnBy: string,
  travels: readonly MemberTravel[],
  now: Date,
): { state: TravelState; counts: TravelCounts } {
  const counts: TravelCounts = { notDeparted: 0, out: 0, back: 0 };
  for (const travel of travels) {
    if (travel === 'NOT_DEPARTED') counts.notDeparted++;
    else if (travel === 'OUT') counts.out++;
    else counts.back++;
  }
  const over = now.getTime() >= overdueFrom(returnBy);
  const state: TravelState =
    counts.out > 0
      ? over
        ? 'OVERDUE'
        : 'ABROAD'
      : counts.back > 0
        ? 'RETURNED'
        : over
          ? 'NOT_TRAVELLED'
          : 'UPCOMING';
  return { state, counts };
}
