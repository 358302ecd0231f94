// The checkpoint app's pilgrim groups without a browser: reading rosters, a group's progress as crossings are
// recorded and undone, what group mode does with each kind of scan, and how a group pass is shown.
import { describe, expect, it } from 'vitest';
import type { PassClaims, VerificationResult } from '../../shared/credential.ts';
import { type GroupMode, groupStep } from '../../web/checkpoint/src/group-panels.ts';
import { GroupProgress, type Mark, type Roster, readRosters } from '../../web/checkpoint/src/groups.ts';
import { crossingOf, recordableOf } from '../../web/checkpoint/src/record.ts';
import { STRINGS } from '../../web/checkpoint/src/strings.ts';
import { verdictView } from '../../web/checkpoint/src/verdict.ts';

const GROUP = 'ZG-2026-00012';

function roster(size: number, number = GROUP): Roster {
  return {
    number,
    leader: { name: 'Syed Ali Raza Naqvi', organization: 'Anjuman-e-Zaireen Quetta', phone: '03001234567' },
    crossingPoint: 'TFT',
    departOn: '2026-12-01',
    returnBy: '2027-01-10',
    size,
    members: Array.from({ length: size }, (_, i) => ({
      pass: `BP-2026-${String(i + 1).padStart(6, '0')}`,
      name: `Member ${i + 1}`,
      fatherName: `Father ${i + 1}`,
    })),
  };
}

const pass = (i: number) => `BP-2026-${String(i).padStart(6, '0')}`;
let ids = 0;
const mark = (direction: 'OUT' | 'IN', at: string): Mark => ({ id: `id-${++ids}`, direction, at });

describe('rosters from GET /rosters', () => {
  it('keeps the groups as the server sent them, with the time the device received them', () => {
    const body = { asOf: '2026-12-01T04:00:00.000Z', groups: [roster(3)] };
    expect(readRosters(body, 1234)).toEqual({ asOf: body.asOf, receivedAt: 1234, groups: [roster(3)] });
  });

  it('refuses the whole answer for one group it cannot read, so the rosters already kept stay', () => {
    const broken = { ...roster(2, 'ZG-2026-00013'), members: [{ pass: 'BP-2026-000001' }] };
    expect(readRosters({ asOf: 'x', groups: [roster(3), broken] }, 0)).toBeUndefined();
    expect(readRosters({ groups: [] }, 0)).toBeUndefined();
    expect(readRosters('<html>', 0)).toBeUndefined();
  });
});

describe("a group's progress on this device", () => {
  it('counts out and back by each pass’s latest crossing and lists who waits in roster order', () => {
    const progress = new GroupProgress(GROUP, roster(5), [
      { pass: pass(2), mark: mark('OUT', '2026-12-01T05:00:00Z') },
      { pass: pass(4), mark: mark('OUT', '2026-12-01T05:01:00Z') },
      { pass: pass(4), mark: mark('IN', '2026-12-20T05:01:00Z') },
    ]);
    expect([progress.out, progress.back]).toEqual([1, 1]);
    const listed = (direction: 'OUT' | 'IN') => progress.firstWaiting(direction, 10).map((m) => m.pass);
    expect(listed('OUT')).toEqual([pass(1), pass(3), pass(4), pass(5)]);
    // Only who is out waits to come back: members who never left are not "not yet back".
    expect(listed('IN')).toEqual([pass(2)]);
    expect(progress.firstWaiting('OUT', 2).map((m) => m.name)).toEqual(['Member 1', 'Member 3']);
  });

  it('counts a return against the members who left: 55 of 58 back when 2 of 60 never went', () => {
    const marks = [];
    for (let i = 1; i <= 58; i++) marks.push({ pass: pass(i), mark: mark('OUT', '2026-12-01T05:00:00Z') });
    for (let i = 1; i <= 55; i++) marks.push({ pass: pass(i), mark: mark('IN', '2026-12-20T05:00:00Z') });
    const progress = new GroupProgress(GROUP, roster(60), marks);
    expect([progress.done('IN'), progress.total('IN')]).toEqual([55, 58]);
    expect(progress.firstWaiting('IN', 10).map((m) => m.pass)).toEqual([pass(56), pass(57), pass(58)]);
    expect([progress.done('OUT'), progress.total('OUT')]).toEqual([3, 60]);
    progress.recorded(pass(59), mark('OUT', '2026-12-21T05:00:00Z'));
    expect([progress.done('IN'), progress.total('IN')]).toEqual([55, 59]);
    progress.recorded(pass(56), mark('IN', '2026-12-21T06:00:00Z'));
    expect([progress.done('IN'), progress.total('IN')]).toEqual([56, 59]);
  });

  it('moves a member as crossings are recorded, and back to where they stood when one is undone', () => {
    const progress = new GroupProgress(GROUP, roster(3), []);
    const out = mark('OUT', '2026-12-01T05:00:00Z');
    progress.recorded(pass(2), out);
    expect([progress.out, progress.back]).toEqual([1, 0]);
    expect(progress.firstWaiting('OUT', 10).map((m) => m.pass)).toEqual([pass(1), pass(3)]);
    const back = mark('IN', '2026-12-20T05:00:00Z');
    progress.recorded(pass(2), back);
    expect([progress.out, progress.back]).toEqual([0, 1]);
    expect(progress.waiting('IN').has(pass(2))).toBe(false);
    expect(progress.waiting('OUT').has(pass(2))).toBe(true);

    progress.withdrawn(pass(2), back.id);
    expect(progress.latestOf(pass(2))).toEqual(out);
    expect([progress.out, progress.back]).toEqual([1, 0]);
    expect(progress.waiting('IN').has(pass(2))).toBe(true);
    expect(progress.waiting('OUT').has(pass(2))).toBe(false);
    expect(progress.firstWaiting('IN', 3).map((m) => m.pass)).toEqual([pass(2)]);
    progress.withdrawn(pass(2), out.id);
    expect(progress.latestOf(pass(2))).toBeUndefined();
    expect([progress.out, progress.back]).toEqual([0, 0]);
    // Put back, a member is listed in roster order again.
    expect(progress.firstWaiting('OUT', 3).map((m) => m.pass)).toEqual([pass(1), pass(2), pass(3)]);
    expect(progress.waiting('IN').size).toBe(0);
  });

  it('takes a crossing stamped earlier than the last (a clock set back) in time order', () => {
    const progress = new GroupProgress(GROUP, roster(1), []);
    progress.recorded(pass(1), mark('IN', '2026-12-20T05:00:00Z'));
    progress.recorded(pass(1), mark('OUT', '2026-12-01T05:00:00Z'));
    expect(progress.latestOf(pass(1))?.direction).toBe('IN');
    expect([progress.out, progress.back]).toEqual([0, 1]);
  });

  it('counts a member not on the roster it holds, and keeps the crossings when a new roster comes', () => {
    const progress = new GroupProgress(GROUP, undefined, [
      { pass: pass(1), mark: mark('OUT', '2026-12-01T05:00:00Z') },
      { pass: pass(9), mark: mark('OUT', '2026-12-01T05:00:00Z') },
    ]);
    expect(progress.out).toBe(2);
    expect(progress.waiting('OUT').size).toBe(0);
    const renewed = progress.withRoster(roster(3));
    expect(renewed.out).toBe(2);
    expect(renewed.firstWaiting('OUT', 10).map((m) => m.pass)).toEqual([pass(2), pass(3)]);
    expect(renewed.member(pass(9))).toBeUndefined();
  });

  it('reads no more of a long roster than it lists', () => {
    const progress = new GroupProgress(GROUP, roster(500), []);
    for (let i = 1; i <= 480; i++) progress.recorded(pass(i), mark('OUT', '2026-12-01T05:00:00Z'));
    expect(progress.firstWaiting('OUT', 25).map((m) => m.pass)).toEqual(
      Array.from({ length: 20 }, (_, i) => pass(481 + i)),
    );
  });
});

const NOW = Math.floor(Date.parse('2026-12-01T05:00:00Z') / 1000);

function claims(extra: Partial<PassClaims> = {}): PassClaims {
  return {
    sub: pass(1),
    nbf: NOW - 3600,
    exp: NOW + 40 * 86400,
    n: 'Member 1',
    f: 'Father 1',
    c: 4210112345671,
    p: 'TFT',
    g: GROUP,
    ...extra,
  };
}

function result(verdict: VerificationResult['verdict'], c: PassClaims | undefined): VerificationResult {
  return { verdict, warnings: [], detail: '', ...(c ? { kind: 'bp' as const, claims: c } : {}) };
}

const groupPassClaims = claims({ sub: GROUP, n: 'Syed Ali Raza Naqvi', s: 50 });
const post = { checkpoint: 'TFT', officer: 'fc-taftan-1', device: 'web-1' };
const departure: GroupMode = { group: GROUP, direction: 'OUT' };

describe('group mode with each kind of scan', () => {
  const progress = new GroupProgress(GROUP, roster(3), [
    { pass: pass(1), mark: mark('OUT', '2026-12-01T04:50:00Z') },
  ]);
  const step = (r: VerificationResult) => groupStep(r, 'rhd:/…', departure, progress, post);

  it('records nothing for a pass that is not valid, a group pass, a pass of no group or of another group', async () => {
    await expect(step(result('EXPIRED', claims({ sub: pass(2) })))).resolves.toEqual({
      kind: 'skipped',
      why: 'notValid',
    });
    await expect(step(result('MALFORMED', undefined))).resolves.toMatchObject({ why: 'notValid' });
    await expect(step(result('VALID', groupPassClaims))).resolves.toMatchObject({ why: 'groupPass' });
    const { g: _none, ...ordinary } = claims({ sub: pass(2) });
    await expect(step(result('VALID', ordinary))).resolves.toMatchObject({ why: 'notMember' });
    await expect(step(result('VALID', claims({ sub: pass(2), g: 'ZG-2026-00099' })))).resolves.toEqual({
      kind: 'skipped',
      why: 'otherGroup',
      group: 'ZG-2026-00099',
    });
  });

  it('says a member already recorded in the direction is not recorded twice', async () => {
    await expect(step(result('VALID', claims()))).resolves.toMatchObject({
      kind: 'already',
      name: 'Member 1',
      mark: { direction: 'OUT', at: '2026-12-01T04:50:00Z' },
    });
  });
});

describe('a group pass and a member’s pass on the verdict screen', () => {
  const en = STRINGS.en;

  it('shows a group pass as the group’s, checked against the leader, and offers nothing to record', () => {
    const view = verdictView(result('VALID', groupPassClaims), false, en);
    expect(view.checkTitle).toBe(en.groups.checkLeader);
    expect(view.rows.map((row) => [row.label, row.value])).toEqual(
      expect.arrayContaining([
        [en.groups.groupNumber, GROUP],
        [en.groups.groupSize, '50'],
        [en.name, 'Syed Ali Raza Naqvi'],
      ]),
    );
    expect(view.rows.map((row) => row.label)).not.toContain(en.passNumber);
    expect(recordableOf(result('VALID', groupPassClaims), 'rhd:/…')).toBeUndefined();
  });

  it('shows the first and last day of a pass as printed: Pakistan days, not UTC ones', () => {
    const nbf = Date.parse('2026-12-01T00:00:00+05:00') / 1000;
    const exp = Date.parse('2027-01-11T00:00:00+05:00') / 1000;
    const rows = verdictView(result('VALID', claims({ nbf, exp })), false, en).rows;
    expect(rows.find((row) => row.label === en.validFrom)?.value).toBe('2026-12-01');
    expect(rows.find((row) => row.label === en.validUntil)?.value).toBe('2027-01-10');
  });

  it('shows a member’s group beside the pass, and the crossing keeps the group on the device only', () => {
    const member = result('VALID', claims());
    expect(verdictView(member, false, en).rows).toContainEqual({
      label: en.groups.group,
      value: GROUP,
      ltr: true,
    });
    const item = recordableOf(member, ' rhd:/123 ');
    expect(item).toMatchObject({ number: pass(1), group: GROUP, credential: 'rhd:/123' });
    expect(crossingOf(item as NonNullable<typeof item>, post, 'OUT')).toMatchObject({
      group: GROUP,
      direction: 'OUT',
      checkpoint: 'TFT',
    });
  });

  it('has every group string translated into Urdu (the types only make sure the keys are there)', () => {
    const texts = (o: object): [string, string][] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'string' ? [[k, v] as [string, string]] : texts(v).map(([sub, t]) => [`${k}.${sub}`, t]),
      );
    const english = new Map(texts(en.groups));
    for (const [key, text] of texts(STRINGS.ur.groups)) {
      expect(text, key).not.toBe(english.get(key));
      expect(text, key).toMatch(/[\u0600-\u06ff]/);
    }
  });
});

describe('a roster that says where its members are', () => {
  it('counts what the platform knew at download, and this device’s later records over it', () => {
    const known = roster(4);
    known.members[0] = {
      ...(known.members[0] as Roster['members'][number]),
      latest: { direction: 'OUT', at: '2026-12-01T05:00:00Z' },
    };
    known.members[1] = {
      ...(known.members[1] as Roster['members'][number]),
      latest: { direction: 'OUT', at: '2026-12-01T05:00:00Z' },
    };
    const body = readRosters({ asOf: '2026-12-02T00:00:00Z', groups: [known] }, 0);

    const progress = new GroupProgress(GROUP, body?.groups[0], [
      { pass: pass(2), mark: mark('IN', '2026-12-20T05:00:00Z') },
    ]);

    expect([progress.out, progress.back]).toEqual([1, 1]);
    expect(progress.firstWaiting('OUT', 10).map((m) => m.pass)).toEqual([pass(2), pass(3), pass(4)]);
    expect(progress.firstWaiting('IN', 10).map((m) => m.pass)).toEqual([pass(1)]);
  });

  it('reads a roster without the crossings as one whose members have not crossed', () => {
    const broken = {
      ...roster(1),
      members: [{ ...roster(1).members[0], latest: { direction: 'SIDEWAYS', at: 1 } }],
    };
    expect(readRosters({ asOf: 'x', groups: [broken] }, 0)?.groups[0]?.members[0]).toEqual(
      roster(1).members[0],
    );
  });
});
