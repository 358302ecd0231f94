// End-to-end helpers for pilgrim groups: a platform whose clock a test may move on, an organizer and a group of
// pilgrims applied for through the API, and the issued passes as a checkpoint reads them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { startPlatform } from '../../local/platform.ts';
import { testTable } from '../support/dynamodb.ts';
import { apiClient } from '../support/platform.ts';
import type { E2ePlatform } from './support.ts';

export interface GroupPlatform extends E2ePlatform {
  /** Moves the server's clock (not the browser's) this far ahead of real time. */
  setClockAhead(ms: number): void;
}

/** The local platform serving the built checkpoint app, as `checkpointPlatform`, with a clock that can move. */
export async function groupPlatform(appDir: string): Promise<GroupPlatform> {
  const table = await testTable();
  const tempDir = mkdtempSync(join(tmpdir(), 'rahdari-e2e-groups-'));
  const keyDir = join(tempDir, 'keys');
  let ahead = 0;
  const platform = await startPlatform({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tableName: table.tableName,
    keyDir,
    port: 0,
    clock: () => new Date(Date.now() + ahead),
    checkpointApp: { dir: appDir },
  });
  const api = apiClient(platform.url);
  return {
    url: platform.url,
    keyDir,
    api,
    setClockAhead(ms) {
      ahead = ms;
    },
    async login(role, sub, bound = {}) {
      const res = await api('POST', '/dev/login', { body: { role, sub, ...bound } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
      return res.json.token as string;
    },
    async close() {
      await platform.close();
      table.raw.destroy();
      rmSync(tempDir, { recursive: true, force: true });
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
  // docs/groups.md says 200; the server answers a new organizer with 201.
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
  // docs/groups.md has the compact JWS; the server answers {token, qrText, size}: either is what a post scans.
  const groupPass = group.json.groupPass as string | { qrText: string };
  return { members, groupPass: typeof groupPass === 'string' ? groupPass : groupPass.qrText };
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
