// End-to-end helpers for pilgrim groups: a platform whose clock a test may move on, an organizer and a group of
// pilgrims applied for through the API, and the issued passes as a checkpoint reads them.
import { expect } from 'vitest';
import { checkpointPlatform, type E2ePlatform } from './support.ts';

export interface GroupPlatform extends E2ePlatform {
  /** Moves the server's clock (not the browser's) this far ahead of real time. */
  setClockAhead(ms: number): void;
}

/** The local platform serving the built checkpoint app, as `checkpointPlatform`, with a clock that can move. */
export async function groupPlatform(appDir: string): Promise<GroupPlatform> {
  let ahead = 0;
  const platform = await checkpointPlatform(appDir, undefined, () => new Date(Date.now() + ahead));
  return {
    ...platform,
    setClockAhead(ms) {
      ahead = ms;
    },
  };
}

export interface Pilgrim {
  cnic: string;
  name: string;
  fatherName: string;
  district: string;
}

const GIVEN = [
  'Ghulam Abbas',
  'Kaneez Fatima',
  'Ali Raza',
  'Sakina Bibi',
  'Qamar Abbas',
  'Zainab Batool',
  'Hassan Askari',
  'Masooma Zahra',
  'Sajjad Hussain',
  'Ghulam Mehdi',
] as const;
const FAMILY = ['Naqvi', 'Jafri', 'Turi', 'Hazara', 'Bangash'] as const;
const FATHERS = [
  'Muhammad Hussain',
  'Iftikhar Hussain',
  'Manzoor Hussain',
  'Syed Mehdi Shah',
  'Sher Ali',
] as const;
const DISTRICTS = ['Karachi East', 'Lahore', 'Jhang', 'Kurram', 'Quetta'] as const;

/** `count` pilgrims with names of their own (ten given names times five families) and CNICs from `cnicOf`. */
export function pilgrims(count: number, cnicOf: (i: number) => string): Pilgrim[] {
  return Array.from({ length: count }, (_, i) => ({
    cnic: cnicOf(i),
    name: `${GIVEN[i % GIVEN.length]} ${FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]}`,
    fatherName: FATHERS[i % FATHERS.length] as string,
    district: DISTRICTS[i % DISTRICTS.length] as string,
  }));
}

export interface Leader {
  cnic: string;
  name: string;
  fatherName: string;
  phone: string;
  organization: string;
}

/** A supervisor registers the organizer; the organizer, logged in with their own CNIC, applies for the group. */
export async function applyForGroup(
  p: E2ePlatform,
  leader: Leader,
  group: { crossingPoint: string; departOn: string; returnBy: string; members: Pilgrim[] },
): Promise<string> {
  const supervisor = await p.login('fia-supervisor', 'supervisor-groups-e2e');
  const { cnic, ...organizer } = leader;
  const registered = await p.api('PUT', `/organizers/${cnic}`, { token: supervisor, body: organizer });
  // 201 for a new organizer, 200 for one registered before.
  expect([200, 201], registered.text).toContain(registered.status);
  const token = await p.login('applicant', `organizer-${cnic}`, { cnic });
  const applied = await p.api('POST', '/groups', {
    token,
    body: { passType: 'ZIYARAT_GROUP', route: 'Taftan, Mashhad, Qom, Karbala, Najaf', ...group },
  });
  expect(applied.status, applied.text).toBe(201);
  return applied.json.number as string;
}

export interface IssuedMember {
  pass: string;
  name: string;
  cnic: string;
  qrText: string;
}

/** An approved group's member passes (QR text as printed, in roster order) and the leader's group pass. */
export async function issuedGroup(
  p: E2ePlatform,
  number: string,
): Promise<{ members: IssuedMember[]; groupPass: string }> {
  const fia = await p.login('fia-officer', 'officer-groups-e2e');
  const group = await p.api('GET', `/groups/${number}`, { token: fia });
  expect(group.status, group.text).toBe(200);
  const issued = (
    group.json.members as { pass?: string; name: string; cnic: string; status: string }[]
  ).filter((m) => m.status === 'ISSUED');
  const members = await Promise.all(
    issued.map(async (m) => {
      const pass = await p.api('GET', `/passes/${m.pass}`, { token: fia });
      expect(pass.status, pass.text).toBe(200);
      return { pass: m.pass as string, name: m.name, cnic: m.cnic, qrText: pass.json.qrText as string };
    }),
  );
  return { members, groupPass: group.json.groupPass.qrText as string };
}

/** Every crossing the server holds of a pass, through the FIA's history route. */
export async function serverCrossings(
  p: E2ePlatform,
  token: string,
  pass: string,
): Promise<{ id: string; direction: string }[]> {
  const items: { id: string; direction: string }[] = [];
  let path: string | undefined = `/crossings?credential=${encodeURIComponent(pass)}&limit=100`;
  while (path) {
    const res = await p.api('GET', path, { token });
    expect(res.status, res.text).toBe(200);
    items.push(...(res.json.items as { id: string; direction: string }[]));
    path = res.json.next;
  }
  return items;
}
