// Pilgrim groups on DynamoDB Local through the local server: a group of 50 from application to the two members who
// did not come back, named against their leader; screening, approval, members until departure, and the leader held
// until FIA clears the overdue group.
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOverdueGroups } from '../../functions/services/groups.ts';
import { fromQrText } from '../../shared/qr.ts';
import { dayAfter, karachiDay } from '../support/data.ts';
import { generatePilgrims, groupBody, ORGANIZER } from '../support/pilgrims.ts';
import { type TestPlatform, testPlatform } from '../support/platform.ts';

/** The element at `i`, which the test has made sure exists. */
function nth<T>(list: readonly T[], i: number): T {
  const found = list[i];
  if (found === undefined) throw new Error(`no element ${i}`);
  return found;
}

const DAY_MS = 86_400_000;
/** How far the test has moved the platform's clock: the server lives the group's weeks abroad in a moment. */
let shift = 0;
const now = () => new Date(Date.now() + shift);

let p: TestPlatform;
let supervisor: string;
let officer: string;
let analyst: string;
let taftan: string;
let leader: string;
const LEADER_CNIC = '4210112345671';

beforeAll(async () => {
  p = await testPlatform({ clock: now });
  supervisor = await p.login('fia-supervisor', 'supervisor-1');
  officer = await p.login('fia-officer', 'officer-1');
  analyst = await p.login('moi-analyst', 'analyst-1');
  taftan = await p.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
  leader = await p.login('applicant', 'leader-1', { cnic: LEADER_CNIC });
  const registered = await p.api('PUT', `/organizers/${LEADER_CNIC}`, { token: supervisor, body: ORGANIZER });
  expect(registered.status, registered.text).toBe(201);
});
afterAll(() => p.close());

async function ok(method: string, path: string, token: string, body?: unknown, status = 200) {
  const res = await p.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
  return res.json;
}

function crossing(qrText: string, direction: 'OUT' | 'IN', at: Date) {
  return {
    id: ulid(at.getTime()),
    credential: qrText,
    kind: 'bp',
    checkpoint: 'TFT',
    direction,
    at: at.toISOString(),
    officer: 'fc-taftan-1',
    device: 'taftan-phone-1',
    verdict: 'VALID',
  };
}

describe('a group of 50 pilgrims', () => {
  const pilgrims = generatePilgrims(50, 47);
  const listed = nth(pilgrims, 17);
  let number: string;
  let passes: { pass: string; name: string; qrText: string }[];

  it('is held for a supervisor when a member is on the watchlist, and reads as pending to the leader', async () => {
    await ok(
      'PUT',
      `/watchlist/${listed.cnic}`,
      supervisor,
      { reason: 'Overstayed in Iraq in 2024.', category: 'other' },
      201,
    );

    const group = await ok('POST', '/groups', leader, groupBody(pilgrims), 201);
    number = group.number;

    expect(number).toMatch(/^ZG-\d{4}-\d{5}$/);
    expect(group).toMatchObject({ status: 'PENDING', size: 50, state: 'UPCOMING' });
    expect(JSON.stringify(group)).not.toMatch(/watchlist|NEEDS_REVIEW/);
    const seen = await ok('GET', `/groups/${number}`, officer);
    expect(seen.status).toBe('NEEDS_REVIEW');
    expect(seen.members.filter((m: { watchlist?: unknown }) => m.watchlist)).toEqual([
      expect.objectContaining({ name: listed.name, watchlist: { category: 'other' } }),
    ]);
    const queue = await ok('GET', '/groups?status=NEEDS_REVIEW', officer);
    expect(queue.items.map((g: { number: string }) => g.number)).toContain(number);
  });

  it('cannot be approved by an officer, and a supervisor approves every member in one request', async () => {
    const refused = await p.api('POST', `/groups/${number}/approve`, { token: officer });
    expect(refused.status).toBe(403);

    const approved = await ok('POST', `/groups/${number}/approve`, supervisor);

    expect(approved.status).toBe('APPROVED');
    expect(approved.members.every((m: { pass?: string }) => /^BP-\d{4}-\d{6}$/.test(m.pass ?? ''))).toBe(
      true,
    );
    expect(new Set(approved.members.map((m: { pass: string }) => m.pass)).size).toBe(50);
    const groupPass = JSON.parse(Buffer.from(approved.groupPass.token.split('.')[1], 'base64url').toString());
    expect(groupPass).toMatchObject({ sub: number, g: number, s: 50, c: Number(LEADER_CNIC), p: 'TFT' });
    const again = await ok('POST', `/groups/${number}/approve`, supervisor);
    expect(again.members.map((m: { pass: string }) => m.pass)).toEqual(
      approved.members.map((m: { pass: string }) => m.pass),
    );
    passes = await Promise.all(
      approved.members.map(async (m: { pass: string; name: string }) => {
        const pass = await ok('GET', `/passes/${m.pass}`, leader);
        return { pass: m.pass, name: m.name, qrText: pass.qrText };
      }),
    );
  });

  it('gives every member a pass of their own that names the group, printable by the leader', async () => {
    const claims = JSON.parse(
      Buffer.from(fromQrText(nth(passes, 0).qrText).split('.')[1] as string, 'base64url').toString(),
    );
    expect(claims).toMatchObject({ g: number, p: 'TFT', n: nth(pilgrims, 0).name });
    expect(claims.exp).toBe(Date.parse(`${dayAfter(karachiDay(), 31)}T00:00:00+05:00`) / 1000);

    const card = await p.api('GET', `/groups/${number}/card`, { token: leader });
    const all = await p.api('GET', `/groups/${number}/passes`, { token: leader });

    expect(card.headers.get('content-type')).toContain('text/html');
    expect(card.text).toContain(number);
    expect(card.text).toContain(ORGANIZER.organization);
    expect(card.text.match(/<tr><td>\d+<\/td>/g)?.length).toBe(50);
    expect(all.text.match(/class="card"/g)?.length).toBe(50);
    expect(all.text).toContain(nth(passes, 49).pass);
  });

  it('counts 50 out and 48 back, and after the return date names the two missing against the leader', async () => {
    const leftAt = now();
    const outs = passes.map((x, i) => crossing(x.qrText, 'OUT', new Date(leftAt.getTime() + i * 1000)));
    const results = (await ok('POST', '/crossings', taftan, { records: outs })).results;
    expect(results.every((r: { result: string }) => r.result === 'stored')).toBe(true);
    expect((await ok('GET', `/groups/${number}`, analyst)).counts).toEqual({
      notDeparted: 0,
      out: 50,
      back: 0,
    });
    expect(
      (await ok('GET', '/reports/groups?state=ABROAD', analyst)).items.map(
        (g: { number: string }) => g.number,
      ),
    ).toContain(number);

    shift = 25 * DAY_MS;
    const missing = [nth(passes, 3), nth(passes, 41)];
    const ins = passes
      .filter((x) => !missing.includes(x))
      .map((x, i) => crossing(x.qrText, 'IN', new Date(now().getTime() + i * 1000)));
    await ok('POST', '/crossings', taftan, { records: ins });
    expect((await ok('GET', `/groups/${number}`, analyst)).state).toBe('ABROAD');

    shift = 32 * DAY_MS;
    const overdue = await ok('GET', `/groups/${number}`, analyst);
    expect(overdue).toMatchObject({ state: 'OVERDUE', counts: { notDeparted: 0, out: 2, back: 48 } });
    expect(overdue.missing.map((m: { pass: string }) => m.pass)).toEqual(missing.map((m) => m.pass));
    expect(overdue.missing[0]).not.toHaveProperty('cnic');
    expect(overdue.leader).toEqual({
      cnic: '42101-1234567-1',
      phone: '+923001234567',
      name: ORGANIZER.name,
      organization: ORGANIZER.organization,
    });

    const swept = await sweepOverdueGroups({
      store: p.platform.store,
      clock: now,
      metrics: p.platform.metrics.groups,
    });
    const sweptAgain = await sweepOverdueGroups({
      store: p.platform.store,
      clock: now,
      metrics: p.platform.metrics.groups,
    });

    expect(swept.anomalies).toBe(2);
    expect(sweptAgain.anomalies).toBe(0);
    const day = karachiDay(31);
    const anomalies = await ok('GET', `/reports/anomalies?from=${day}&to=${day}&type=GROUP_OVERDUE`, officer);
    expect(anomalies.items.map((a: { credential: string }) => a.credential).sort()).toEqual(
      missing.map((m) => m.pass).sort(),
    );
    expect(anomalies.items[0].group).toMatchObject({
      number,
      leaderName: ORGANIZER.name,
      leaderCnic: LEADER_CNIC,
    });
    const csv = await p.api('GET', `/reports/anomalies?from=${day}&to=${day}&type=GROUP_OVERDUE`, {
      token: analyst,
      headers: { accept: 'text/csv' },
    });
    expect(csv.text.split('\r\n')[0]).toBe(
      'at,date,type,checkpoint,credential,crossingId,detail,group,leader,leaderCnic',
    );
    expect(csv.text).toContain(`${number},${ORGANIZER.name} (${ORGANIZER.organization})`);
    const forAnalyst = await ok(
      'GET',
      `/reports/anomalies?from=${day}&to=${day}&type=GROUP_OVERDUE`,
      analyst,
    );
    expect(forAnalyst.items[0].group).toMatchObject({ number, leaderCnic: LEADER_CNIC });
    expect(forAnalyst.items[0]).not.toHaveProperty('cnics');
    const feed = (await p.items()).filter(
      (i) => i.kind === 'FEED' && (i.record as { kind?: string }).kind === 'GROUP_OVERDUE',
    );
    expect(feed).toHaveLength(2);
    const record = await ok('GET', `/organizers/${LEADER_CNIC}`, analyst);
    expect(record.groups).toEqual([expect.objectContaining({ number, state: 'OVERDUE', size: 50 })]);
  });

  it("refuses the leader's next group until a supervisor clears the overdue one, with a reason", async () => {
    const next = groupBody(generatePilgrims(5, 48), {}, karachiDay(0, now()));
    const refused = await p.api('POST', '/groups', { token: leader, body: next });
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toContain(number);
    expect(refused.json.detail).toContain('2 of its members');

    const byOfficer = await p.api('POST', `/groups/${number}/clear`, {
      token: officer,
      body: { reason: 'Known.' },
    });
    expect(byOfficer.status).toBe(403);
    const cleared = await ok('POST', `/groups/${number}/clear`, supervisor, {
      reason: 'Both reported to the FIA Taftan desk; cases opened.',
    });
    expect(cleared.clearance.reason).toContain('cases opened');
    expect(cleared.missing).toHaveLength(2);
    await ok('POST', '/groups', leader, next, 201);
  });
});

describe('a group application', () => {
  it('names every bad member field by its path and writes nothing', async () => {
    const members = generatePilgrims(4, 101);
    const before = (await p.items()).length;
    const body = groupBody(members, {
      members: [
        ...(groupBody(members).members as object[]),
        { cnic: nth(members, 0).cnic, name: 'Sakina Bibi', fatherName: 'Ghulam Abbas', district: 'Jhang' },
        { cnic: '12345', name: 'X', fatherName: 'Ali Raza', district: 'S' },
      ],
      returnBy: dayAfter(karachiDay(), 90),
    });

    const res = await p.api('POST', '/groups', { token: leader, body });

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const fields = res.json.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['returnBy', 'members/4/cnic', 'members/5/cnic', 'members/5/name']),
    );
    expect(fields).toContain('members/5/district');
    const bidi = { ...(body.members as object[])[0], fatherName: 'Ali\u202eRaza' };
    const hidden = await p.api('POST', '/groups', { token: leader, body: { ...body, members: [bidi] } });
    expect(hidden.status).toBe(400);
    expect(hidden.json.errors.map((e: { field: string }) => e.field)).toEqual(['members/0/fatherName']);
    expect((await p.items()).length).toBe(before);
  });

  it('is refused to an applicant whose CNIC is not a registered organizer', async () => {
    const stranger = await p.login('applicant', 'resident-9', { cnic: '4210199999993' });
    const res = await p.api('POST', '/groups', { token: stranger, body: groupBody(generatePilgrims(3, 5)) });
    expect(res.status).toBe(403);
    expect(res.json.detail).toContain('not registered as a group organizer');
  });

  it("lets the leader add and remove members before departure, revoking a removed member's pass", async () => {
    const counterLeader = '4220112345673';
    const organizer = { ...ORGANIZER, name: 'Agha Syed Hasan Zaidi' };
    await ok('PUT', `/organizers/${counterLeader}`, supervisor, organizer, 201);
    const members = generatePilgrims(3, 202);
    const made = await ok(
      'POST',
      '/groups',
      officer,
      groupBody(members, { leaderCnic: counterLeader }, karachiDay(2, now())),
      201,
    );
    await ok('POST', `/groups/${made.number}/approve`, officer);

    const added = await ok('POST', `/groups/${made.number}/members`, officer, {
      members: groupBody(generatePilgrims(1, 303)).members,
    });
    expect(added).toMatchObject({ status: 'PENDING', size: 4 });
    const approved = await ok('POST', `/groups/${made.number}/approve`, officer);
    expect(approved.status).toBe('APPROVED');
    const removed = approved.members[1];
    const after = await ok('DELETE', `/groups/${made.number}/members/${removed.cnic}`, officer);

    expect(after).toMatchObject({ status: 'APPROVED', size: 3 });
    expect(after.members[1].status).toBe('REMOVED');
    expect((await ok('GET', `/passes/${removed.pass}`, officer)).status).toBe('REVOKED');
    const groupPass = JSON.parse(Buffer.from(after.groupPass.token.split('.')[1], 'base64url').toString());
    expect(groupPass.s).toBe(3);
  });

  it('takes a group of 500 with long names and places in one request, and approves it in one', async () => {
    const big = await p.login('applicant', 'leader-big', { cnic: '4210177777771' });
    await ok('PUT', '/organizers/4210177777771', supervisor, ORGANIZER, 201);
    const members = generatePilgrims(500, 7).map((m) => ({
      ...m,
      name: `${m.name} Al-Hussaini Bukhari`.slice(0, 60),
      fatherName: `${m.fatherName} Al-Musawi Kazmi`.slice(0, 60),
      district: `${m.district} (Gulshan-e-Iqbal, Block 13-D)`.slice(0, 60),
    }));
    const body = groupBody(members, {}, karachiDay(1, now()));
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(80 * 1024);

    const made = await ok('POST', '/groups', big, body, 201);
    const approved = await ok('POST', `/groups/${made.number}/approve`, officer);

    expect(approved).toMatchObject({ status: 'APPROVED', size: 500 });
    expect(new Set(approved.members.map((m: { pass: string }) => m.pass)).size).toBe(500);
    // About 6 s alone; the one DynamoDB Local is shared with the volume tests' seeding, which can stall it minutes.
  }, 300_000);

  it('refuses a group pass recorded as a crossing: it is no travel document', async () => {
    const group = await ok('GET', '/groups?status=APPROVED', officer);
    const full = await ok('GET', `/groups/${group.items[0].number}`, officer);
    const res = await ok('POST', '/crossings', taftan, {
      records: [crossing(full.groupPass.qrText, 'OUT', now())],
    });
    expect(res.results[0]).toMatchObject({ result: 'rejected' });
    expect(res.results[0].reason).toContain('no travel document');
  });

  it('gives a post the rosters of the groups crossing there, without CNICs', async () => {
    const rosters = await ok('GET', '/rosters', taftan);
    const other = await ok(
      'GET',
      '/rosters',
      await p.login('checkpoint-officer', 'fc-rajay-1', { checkpoint: 'RJY' }),
    );

    expect(rosters.groups.length).toBeGreaterThan(0);
    expect(Object.keys(rosters.groups[0].members[0]).sort()).toEqual([
      'fatherName',
      'latest',
      'name',
      'pass',
    ]);
    expect(JSON.stringify(rosters)).not.toMatch(/"cnic"/);
    // The group of 50 is in its roster with where each member is, whichever post or device recorded them.
    type Listed = { members: { latest?: { direction: string } }[] };
    const count = (g: Listed, direction: string) =>
      g.members.filter((m) => m.latest?.direction === direction).length;
    expect(rosters.groups.map((g: Listed) => [count(g, 'OUT'), count(g, 'IN')])).toContainEqual([2, 48]);
    expect(other.groups).toEqual([]);
  });
});
