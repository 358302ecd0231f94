// FIA's desk end to end on DynamoDB Local: references, search by every number and by names as heard, the person
// page, a resident's own applications, one active pass per type, who did what, and the audit of every read.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindexPeople } from '../../functions/services/search-reindex.ts';
import { nameIndexKeys } from '../../shared/domain/names.ts';
import { APPLICATION_REFERENCE } from '../../shared/search-schemas.ts';
import { cnicSeries, karachiDay, storedApplication } from '../support/data.ts';
import { vesselBody } from '../support/fleet.ts';
import { generatePilgrims, groupBody, ORGANIZER } from '../support/pilgrims.ts';
import { applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
let officer: string;
let supervisor: string;
let analyst: string;
const freshCnic = cnicSeries('53', 3);

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.login('fia-officer', 'officer-7');
  supervisor = await p.login('fia-supervisor', 'supervisor-7');
  analyst = await p.login('moi-analyst', 'moi-7');
});
afterAll(() => p.close());

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await p.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

/** A resident who applied through their own account, with the name given. */
async function applied(name: string, fatherName: string) {
  const cnic = freshCnic();
  const token = await p.login('applicant', `resident-${cnic}`, { cnic });
  const app = await call('POST', '/applications', token, applicationFor(cnic, { name, fatherName }));
  return { cnic, token, app };
}

const search = (query: string, token = officer) => p.api('GET', `/search?${query}`, { token });

describe('application references', () => {
  it('gives each application the next short reference of the year, shown to the resident', async () => {
    const first = await applied('Karim Dad Rind', 'Lal Bakhsh Rind');
    const second = await applied('Saeed Ahmed Kurd', 'Juma Khan Kurd');

    const year = Number(first.app.reference.slice(3, 7));
    expect(first.app.reference).toMatch(APPLICATION_REFERENCE);
    expect(Number(second.app.reference.slice(-6))).toBe(Number(first.app.reference.slice(-6)) + 1);
    expect(year).toBe(Number(karachiDay().slice(0, 4)));
    const shown = await call('GET', `/applications/${first.app.id}`, first.token);
    expect(shown.reference).toBe(first.app.reference);
  });
});

describe('search by a number on a paper', () => {
  it('finds the person by CNIC dashed, bare and with spaces', async () => {
    const { cnic } = await applied('Nabi Bakhsh Gichki', 'Dad Karim Gichki');
    const dashed = `${cnic.slice(0, 5)}-${cnic.slice(5, 12)}-${cnic.slice(12)}`;
    for (const q of [cnic, dashed, `${cnic.slice(0, 5)} ${cnic.slice(5, 12)} ${cnic.slice(12)}`]) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.json.kind).toBe('cnic');
      expect(res.json.items[0]).toMatchObject({ cnic: dashed, name: 'Nabi Bakhsh Gichki', score: 1 });
    }
  });

  it('finds the person by application reference as read over the phone, and by pass number', async () => {
    const { cnic, app } = await applied('Mehrab Khan Bizenjo', 'Sher Jan Bizenjo');
    const approved = await call('POST', `/applications/${app.id}/approve`, officer);
    const spoken = app.reference.replace(/-/g, ' ').toLowerCase().replace(/ 0+/, ' ');

    const byReference = await search(`q=${encodeURIComponent(spoken)}`);
    const byPass = await search(`q=${encodeURIComponent(approved.pass.number.toLowerCase())}`);

    expect(byReference.json.kind).toBe('application');
    expect(byReference.json.items[0].person).toBe(`/people/${cnic}`);
    expect(byPass.json.kind).toBe('pass');
    expect(byPass.json.items[0].passes).toEqual([
      expect.objectContaining({ number: approved.pass.number, state: 'ACTIVE' }),
    ]);
  });

  it('finds a boat owner by the official number and by a certificate serial', async () => {
    const fisheries = await p.login('fisheries-officer', 'fisheries-7', { port: 'GWD' });
    const owner = {
      name: 'Dost Muhammad Kalmati',
      fatherName: 'Wali Muhammad Kalmati',
      cnic: freshCnic(),
      address: 'Mulla Band, Gwadar',
    };
    const boat = await call(
      'POST',
      '/vessels',
      fisheries,
      vesselBody(karachiDay(), { name: 'Sea Pearl', owner }),
    );

    const byNumber = await search(`q=${boat.officialNumber}`);
    const bySerial = await search(`q=${encodeURIComponent(`${boat.officialNumber}/1`)}`);

    expect(byNumber.json.kind).toBe('vessel');
    expect(byNumber.json.items[0]).toMatchObject({ name: 'Dost Muhammad Kalmati' });
    expect(bySerial.json.items[0].person).toBe(`/people/${owner.cnic}`);
  });

  it('finds a pilgrim group’s leader first, then its members', async () => {
    const leader = freshCnic();
    await call('PUT', `/organizers/${leader}`, supervisor, ORGANIZER);
    const members = generatePilgrims(2, 71).map((m) => ({ ...m, cnic: freshCnic() }));
    const group = await call('POST', '/groups', officer, groupBody(members, { leaderCnic: leader }));

    const res = await search(`q=${group.number}`);

    expect(res.json.kind).toBe('group');
    expect(res.json.items.map((i: { person: string }) => i.person)).toEqual([
      `/people/${leader}`,
      ...members.map((m) => `/people/${m.cnic}`),
    ]);
  });
});

describe('search by name', () => {
  it('finds a person as another clerk spelled the name, best first', async () => {
    const wanted = await applied('Muhammad Hafeezullah Tareen', 'Abdul Wahid Tareen');
    const namesake = await applied('Muhammad Hafeezullah Kakar', 'Ghulam Nabi Kakar');

    const res = await search(`q=${encodeURIComponent('MOHD HAFIZ ULLAH TARIN')}`);

    expect(res.json.kind).toBe('name');
    const order = res.json.items.map((i: { person: string }) => i.person);
    expect(order[0]).toBe(`/people/${wanted.cnic}`);
    // A namesake of another tribe is never ranked above (the first tier's find ends the search).
    expect(order.indexOf(`/people/${namesake.cnic}`)).not.toBe(0);
    const namesakeOnly = await search(`q=${encodeURIComponent('Mohd Hafiz Ullah Kakar')}`);
    expect(namesakeOnly.json.items[0].person).toBe(`/people/${namesake.cnic}`);
  });

  it('narrows by the father’s name, spelled as heard', async () => {
    const wanted = await applied('Abdul Wahid Rind', 'Ghulam Rasool Rind');
    const other = await applied('Abdul Wahid Rind', 'Dost Muhammad Rind');

    const res = await search(
      `q=${encodeURIComponent('Abdool Wahid')}&fatherName=${encodeURIComponent('Gulam Rasul')}`,
    );

    const people = res.json.items.map((i: { person: string }) => i.person);
    expect(people).toContain(`/people/${wanted.cnic}`);
    expect(people).not.toContain(`/people/${other.cnic}`);
  });

  it('keeps to a district when one is given', async () => {
    const wanted = await applied('Bahram Khan Lashari', 'Chakar Khan Lashari');

    const elsewhere = await search(`q=${encodeURIComponent('Bahram Lashari')}&district=KECH`);
    const there = await search(`q=${encodeURIComponent('Bahram Lashari')}&district=CHAGAI`);

    expect(elsewhere.json.items.map((i: { person: string }) => i.person)).not.toContain(
      `/people/${wanted.cnic}`,
    );
    expect(there.json.items[0].person).toBe(`/people/${wanted.cnic}`);
  });

  it('answers a search with nothing to find with no items, and refuses an empty query', async () => {
    expect((await search('q=Zzyzx%20Qwrtp')).json.items).toEqual([]);
    expect((await search('q=')).status).toBe(400);
  });

  it('audits every search with who asked and what, never in a log', async () => {
    await search(`q=${encodeURIComponent('Gwaharam Dashti')}`, analyst);

    const out = await p.table.client.send(
      new QueryCommand({
        TableName: p.table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `SEARCHES#${karachiDay()}` },
      }),
    );
    const mine = (out.Items ?? []).filter((i) => i.actor?.sub === 'moi-7');
    expect(mine).toEqual([
      expect.objectContaining({
        action: 'SEARCHED',
        actor: { sub: 'moi-7', role: 'moi-analyst' },
        detail: expect.objectContaining({ kind: 'name', q: 'Gwaharam Dashti' }),
      }),
    ]);
  });
});

describe('the person page', () => {
  it('shows names, applications with their decisions, passes and the watchlist to FIA, and audits the read', async () => {
    const { cnic, app } = await applied('Shahdad Baloch Rakhshani', 'Doda Khan Rakhshani');
    await call('POST', `/applications/${app.id}/approve`, officer);
    await call('PUT', `/watchlist/${cnic}`, supervisor, { reason: 'Known courier', category: 'smuggling' });

    const person = await call('GET', `/people/${cnic}`, officer);

    expect(person.names).toEqual([
      expect.objectContaining({ name: 'Shahdad Baloch Rakhshani', source: 'APP', ref: app.reference }),
    ]);
    expect(person.applications).toEqual([
      expect.objectContaining({
        reference: app.reference,
        status: 'APPROVED',
        decision: expect.objectContaining({ by: { sub: 'officer-7', role: 'fia-officer' } }),
      }),
    ]);
    expect(person.passes).toEqual([
      expect.objectContaining({ state: 'ACTIVE', issuedBy: expect.any(Object) }),
    ]);
    expect(person.watchlist).toMatchObject({ category: 'smuggling', reason: 'Known courier' });
    const audits = await p.table.client.send(
      new QueryCommand({
        TableName: p.table.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :a)',
        ExpressionAttributeValues: { ':pk': `PERSON#${cnic}`, ':a': 'AUDIT#' },
      }),
    );
    expect(audits.Items?.map((i) => i.action)).toEqual(['PERSON_VIEWED']);
  });

  it('gives the Ministry’s analyst the record without the watchlist', async () => {
    const { cnic } = await applied('Ismail Jamaldini', 'Essa Jamaldini');

    const person = await call('GET', `/people/${cnic}`, analyst);

    expect(person.applications).toHaveLength(1);
    expect(person).not.toHaveProperty('watchlist');
  });

  it('answers 404 for a CNIC with no records', async () => {
    expect((await p.api('GET', `/people/${freshCnic()}`, { token: officer })).status).toBe(404);
  });
});

describe('a resident’s own applications', () => {
  it('come from the server on any device, and only their own', async () => {
    const mine = await applied('Zubair Notezai', 'Qadir Notezai');
    await applied('Zubair Notezai', 'Qadir Notezai');
    const newPhone = await p.login('applicant', `resident-${mine.cnic}`, { cnic: mine.cnic });

    const res = await call('GET', '/applications?mine=true', newPhone);

    expect(res.items.map((a: { id: string }) => a.id)).toEqual([mine.app.id]);
    expect(res.items[0].reference).toBe(mine.app.reference);
  });

  it('are not a way to read the queue', async () => {
    const { token } = await applied('Imran Zehri', 'Akbar Zehri');
    expect((await p.api('GET', '/applications?status=PENDING', { token })).status).toBe(403);
    expect((await p.api('GET', '/applications?mine=true', { token: officer })).status).toBe(403);
  });
});

describe('one active pass per person and pass type', () => {
  it('refuses a second application while a pass of the type is active, naming the pass', async () => {
    const { cnic, token, app } = await applied('Rustam Mengal', 'Sohrab Mengal');
    const approved = await call('POST', `/applications/${app.id}/approve`, officer);

    const again = await p.api('POST', '/applications', { token, body: applicationFor(cnic) });

    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(again.json.activePass).toBe(approved.pass.number);
    expect(again.json.detail).toContain(approved.pass.number);
  });

  it('accepts a new application once the pass is revoked', async () => {
    const { cnic, token, app } = await applied('Wazir Bugti', 'Nadir Bugti');
    const approved = await call('POST', `/applications/${app.id}/approve`, officer);
    await call('POST', `/passes/${approved.pass.number}/revoke`, supervisor, { reason: 'reported lost' });

    const again = await p.api('POST', '/applications', { token, body: applicationFor(cnic) });

    expect(again.status).toBe(201);
  });
});

describe('who did what', () => {
  it('lists an application’s and its pass’s history with actor, time in Pakistan and reason', async () => {
    const { app } = await applied('Sabir Raisani', 'Liaqat Raisani');
    const approved = await call('POST', `/applications/${app.id}/approve`, officer);
    await call('POST', `/passes/${approved.pass.number}/revoke`, supervisor, { reason: 'Forged documents' });

    const appHistory = await call('GET', `/applications/${app.id}/history`, officer);
    const passHistory = await call('GET', `/passes/${approved.pass.number}/history`, officer);

    expect(appHistory.items.map((h: { action: string }) => h.action)).toEqual([
      'APPLICATION_SUBMITTED',
      'APPLICATION_APPROVED',
    ]);
    expect(appHistory.items[1].actor).toEqual({ sub: 'officer-7', role: 'fia-officer' });
    expect(appHistory.items[1].atPakistan).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} PKT$/);
    expect(passHistory.items.at(-1)).toMatchObject({
      action: 'PASS_REVOKED',
      actor: { sub: 'supervisor-7', role: 'fia-supervisor' },
      reason: 'Forged documents',
    });
  });

  it('lists a group’s history from its submission', async () => {
    const leader = freshCnic();
    await call('PUT', `/organizers/${leader}`, supervisor, ORGANIZER);
    const members = generatePilgrims(1, 72).map((m) => ({ ...m, cnic: freshCnic() }));
    const group = await call('POST', '/groups', officer, groupBody(members, { leaderCnic: leader }));
    await call('POST', `/groups/${group.number}/reject`, officer, {
      reason: 'The organizer’s licence has lapsed.',
    });

    const history = await call('GET', `/groups/${group.number}/history`, supervisor);

    expect(history.items.at(-1)).toMatchObject({
      action: 'GROUP_REJECTED',
      reason: 'The organizer’s licence has lapsed.',
    });
    expect(JSON.stringify(history)).not.toContain(members[0]?.cnic);
  });

  it('answers 404 for the history of an application that does not exist', async () => {
    const res = await p.api('GET', '/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV/history', { token: officer });
    expect(res.status).toBe(404);
  });
});

describe('one open pilgrim group per person', () => {
  /** A registered organizer, by CNIC. */
  async function organizer(): Promise<string> {
    const cnic = freshCnic();
    await call('PUT', `/organizers/${cnic}`, supervisor, ORGANIZER);
    return cnic;
  }
  type Pilgrim = ReturnType<typeof generatePilgrims>[number];
  /** Two pilgrims no other case uses. */
  function pair(seed: number): [Pilgrim, Pilgrim] {
    const [a, b] = generatePilgrims(2, seed).map((m) => ({ ...m, cnic: freshCnic() }));
    if (!a || !b) throw new Error('the generator gave fewer than two pilgrims');
    return [a, b];
  }

  it('refuses a group naming a member of another leader’s open group, naming that group', async () => {
    const [shared, other] = pair(81);
    const first = await call(
      'POST',
      '/groups',
      officer,
      groupBody([shared], { leaderCnic: await organizer() }),
    );

    const second = await p.api('POST', '/groups', {
      token: officer,
      body: groupBody([other, shared], { leaderCnic: await organizer() }),
    });

    expect(second.status).toBe(409);
    expect(second.json.openGroup).toBe(first.number);
    expect(second.json.detail).toContain(shared.name);
  });

  it('refuses adding such a member to a group, and accepts them once the other group is rejected', async () => {
    const [shared, other] = pair(82);
    const first = await call(
      'POST',
      '/groups',
      officer,
      groupBody([shared], { leaderCnic: await organizer() }),
    );
    const second = await call(
      'POST',
      '/groups',
      officer,
      groupBody([other], { leaderCnic: await organizer() }),
    );
    const member = {
      cnic: shared.cnic,
      name: shared.name,
      fatherName: shared.fatherName,
      district: shared.district,
    };

    const refused = await p.api('POST', `/groups/${second.number}/members`, {
      token: officer,
      body: { members: [member] },
    });
    await call('POST', `/groups/${first.number}/reject`, officer, {
      reason: 'The organizer withdrew the group.',
    });
    const accepted = await p.api('POST', `/groups/${second.number}/members`, {
      token: officer,
      body: { members: [member] },
    });

    expect(refused.status).toBe(409);
    expect(refused.json.openGroup).toBe(first.number);
    expect(accepted.status).toBe(200);
  });

  it('shows a member’s groups on their person page, and finds a member by name', async () => {
    const [pilgrim] = pair(83);
    const group = await call(
      'POST',
      '/groups',
      officer,
      groupBody([pilgrim], { leaderCnic: await organizer() }),
    );

    const person = await call('GET', `/people/${pilgrim.cnic}`, officer);
    const found = await search(
      `q=${encodeURIComponent(pilgrim.name)}&fatherName=${encodeURIComponent(pilgrim.fatherName)}`,
    );

    expect(person.groups).toEqual([expect.objectContaining({ number: group.number, role: 'member' })]);
    expect(person.names).toEqual([expect.objectContaining({ name: pilgrim.name, source: 'GROUP' })]);
    expect(found.json.items.map((i: { person: string }) => i.person)).toContain(`/people/${pilgrim.cnic}`);
  });
});

describe('the backfill of records stored before search', () => {
  it('indexes them by name, and a second run writes the same items again', async () => {
    const cnic = freshCnic();
    // Stored as before search existed: no name index items.
    await p.platform.store.applications.create(
      storedApplication({ id: ulid(), cnic, name: 'Washdil Khan Sajdi', fatherName: 'Hammal Sajdi' }),
    );
    const before = await search(`q=${encodeURIComponent('Washdil Sajdi')}`);

    const first = await reindexPeople(p.platform.store);
    const second = await reindexPeople(p.platform.store);
    const after = await search(`q=${encodeURIComponent('Washdil Sajdi')}`);

    expect(before.json.items.map((i: { person: string }) => i.person)).not.toContain(`/people/${cnic}`);
    expect(after.json.items[0].person).toBe(`/people/${cnic}`);
    expect(second).toEqual(first);
    const items = await p.items();
    const indexed = items.filter((i) => i.kind === 'NAME' && i.cnic === cnic).map((i) => i.PK);
    expect(indexed.sort()).toEqual(
      nameIndexKeys('Washdil Khan Sajdi')
        .map((k) => `NAME#${k}`)
        .sort(),
    );
  });
});

describe('the queue filtered on the server', () => {
  it('finds an application anywhere in the queue by a name as heard, a reference or CNIC digits, with the total', async () => {
    const wanted = await applied('Gwaharam Khan Hammalani', 'Balach Hammalani');
    await applied('Sohrab Kurd', 'Rustam Kurd');

    const byName = await call(
      'GET',
      `/applications?status=PENDING&total=true&q=${encodeURIComponent('GWAHRAM HAMALANI')}`,
      officer,
    );
    const byReference = await call(
      'GET',
      `/applications?status=PENDING&q=${encodeURIComponent(wanted.app.reference.toLowerCase())}`,
      officer,
    );
    const byDigits = await call('GET', `/applications?status=PENDING&q=${wanted.cnic.slice(0, 9)}`, officer);
    const pending = (await p.items()).filter((i) => i.kind === 'APP' && i.status === 'PENDING').length;

    expect(byName.items.map((a: { id: string }) => a.id)).toEqual([wanted.app.id]);
    expect(byName.total).toBe(pending);
    expect(byReference.items.map((a: { id: string }) => a.id)).toEqual([wanted.app.id]);
    expect(byDigits.items.map((a: { id: string }) => a.id)).toContain(wanted.app.id);
  });
});
