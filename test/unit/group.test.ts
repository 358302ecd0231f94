// The rules of a pilgrim group: what an application must hold, and where a group is on its trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  groupTravel,
  type MemberTravel,
  overdueFrom,
  travelOf,
  validateGroup,
  validateMembers,
} from '../../shared/domain/group.ts';
import { PASS_TYPES } from '../../shared/domain/pass-types.ts';
import { generatePilgrims, groupBody } from '../support/pilgrims.ts';

// Noon in Karachi on 10 March 2026.
const NOW = new Date('2026-03-10T07:00:00Z');
const members = generatePilgrims(5, 1);
const body = (changes: Record<string, unknown> = {}) =>
  groupBody(members, changes, '2026-03-12') as unknown as Parameters<typeof validateGroup>[0];

describe('validateGroup', () => {
  it('accepts a group and keeps its members as typed, CNICs as 13 digits', () => {
    const result = validateGroup(body(), NOW, PASS_TYPES);

    expect(result.ok && result.value).toMatchObject({
      passType: 'ZIYARAT_GROUP',
      crossingPoint: 'TFT',
      departOn: '2026-03-12',
      returnBy: '2026-04-11',
    });
    expect(result.ok && result.value.members.map((m) => m.cnic)).toEqual(members.map((m) => m.cnic));
  });

  it('reports every problem at once, each by its path', () => {
    const result = validateGroup(
      body({
        crossingPoint: 'RJY',
        returnBy: '2026-06-30',
        members: [
          { cnic: members[0]?.cnic, name: 'Sakina', fatherName: 'Ghulam Abbas', district: 'Jhang' },
          { cnic: members[0]?.cnic, name: 'Zainab 2', fatherName: 'A', district: '' },
        ],
      }),
      NOW,
      PASS_TYPES,
    );

    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual([
      'crossingPoint',
      'returnBy',
      'members/1/cnic',
      'members/1/name',
      'members/1/fatherName',
      'members/1/district',
    ]);
  });

  it('refuses a resident pass type for a group, naming the type', () => {
    const result = validateGroup(body({ passType: 'RAHDARI' }), NOW, PASS_TYPES);

    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'passType', message: 'The Rahdari (Iran border resident pass) is not issued to groups.' },
    ]);
  });

  it('keeps the members a group may have to its type, counting those it already has', () => {
    const three = validateMembers(members.slice(0, 3), {
      max: 4,
      taken: new Set(['4210100000011', '4210100000021']),
    });
    const taken = validateMembers(members.slice(0, 1), {
      max: 10,
      taken: new Set([members[0]?.cnic as string]),
    });

    expect(three.ok ? [] : three.errors).toEqual([
      { field: 'members', message: 'A group may have at most 4 members.' },
    ]);
    expect(taken.ok ? [] : taken.errors).toEqual([
      { field: 'members/0/cnic', message: 'This CNIC is already a member of the group.' },
    ]);
  });
});

describe('where a group is', () => {
  const returnBy = '2026-04-11';
  const end = overdueFrom(returnBy);

  it('is overdue from the moment its return date ends in Pakistan, not before', () => {
    const travels: MemberTravel[] = ['BACK', 'OUT', 'BACK'];

    expect(groupTravel(returnBy, travels, new Date(end - 1)).state).toBe('ABROAD');
    expect(groupTravel(returnBy, travels, new Date(end))).toEqual({
      state: 'OVERDUE',
      counts: { notDeparted: 0, out: 1, back: 2 },
    });
    expect(new Date(end).toISOString()).toBe('2026-04-11T19:00:00.000Z');
  });

  it('reads a member from their latest crossing', () => {
    expect(travelOf(undefined)).toBe('NOT_DEPARTED');
    expect(travelOf({ direction: 'OUT', at: '', checkpoint: 'TFT', crossingId: 'x' })).toBe('OUT');
    expect(travelOf({ direction: 'IN', at: '', checkpoint: 'TFT', crossingId: 'x' })).toBe('BACK');
  });

  it('is overdue exactly when someone is still out after the return date, whatever the rest did', () => {
    const travel = fc.constantFrom<MemberTravel>('NOT_DEPARTED', 'OUT', 'BACK');
    fc.assert(
      fc.property(fc.array(travel, { maxLength: 60 }), fc.integer({ min: -40, max: 40 }), (travels, days) => {
        const now = new Date(end + days * 86_400_000 - 1);
        const { state, counts } = groupTravel(returnBy, travels, now);
        const out = travels.filter((t) => t === 'OUT').length;
        expect(counts.out + counts.back + counts.notDeparted).toBe(travels.length);
        expect(state === 'OVERDUE').toBe(out > 0 && now.getTime() >= end);
        expect(state === 'ABROAD').toBe(out > 0 && now.getTime() < end);
      }),
    );
  });
});
