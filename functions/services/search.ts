// FIA's search: a number on a paper or a name as heard, to the people it names, best first; every search audited.
import { formatCnic, parseCnic } from '../../shared/domain/cnic.ts';
import { nameQueryTiers, scorePerson, splitFatherName } from '../../shared/domain/names.ts';
import { karachiDate } from '../../shared/domain/pass-types.ts';
import {
  type PassSummary,
  parseApplicationReference,
  type SearchHit,
  type SearchKind,
  type SearchQuery,
  type SearchResponse,
} from '../../shared/search-schemas.ts';
import type { Group } from '../store/groups.ts';
import type { Actor, Application, Pass } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { auditItem, transact } from '../store/transact.ts';
import type { Vessel } from '../store/vessels.ts';
import type { Clock } from './context.ts';

export interface SearchDependencies {
  store: Store;
  clock: Clock;
}

/** The most partitions one tier of a name query reads: a five-part name gives up to 28 pairs. */
const MAX_QUERY_KEYS = 16;
/** A tier that found someone this good ends the search: the larger partitions after it would only add noise. */
const GOOD_ENOUGH = 0.8;
/** A name candidate below this is noise: another person who shares one common part. */
const MIN_NAME_SCORE = 0.5;

/** What `q` was read as: a number (normalized to how it is stored) or a name. */
export type ReadQuery =
  | { kind: 'cnic'; cnic: string }
  | { kind: 'pass'; number: string }
  | { kind: 'application'; reference: string }
  | { kind: 'vessel'; number: string }
  | { kind: 'group'; number: string }
  | { kind: 'name'; name: string; fatherName?: string };

/** Reads the search box: CNIC (dashed, bare, spaced), BP-, RA-, ZG- and boat numbers in any case and spacing. */
export function readQuery(q: string, fatherName?: string): ReadQuery {
  const compact = q.trim();
  if (/^[\d\s-]+$/.test(compact)) {
    const digits = compact.replace(/[\s-]/g, '');
    const parsed = parseCnic(digits);
    if (parsed.ok) return { kind: 'cnic', cnic: parsed.cnic };
  }
  const pass = /^BP[\s-]*(\d{4})[\s-]*(\d{1,6})$/i.exec(compact);
  if (pass) return { kind: 'pass', number: `BP-${pass[1]}-${(pass[2] as string).padStart(6, '0')}` };
  const reference = parseApplicationReference(compact);
  if (reference) return { kind: 'application', reference };
  const group = /^ZG[\s-]*(\d{4})[\s-]*(\d{1,5})$/i.exec(compact);
  if (group) return { kind: 'group', number: `ZG-${group[1]}-${(group[2] as string).padStart(5, '0')}` };
  // A boat's official number, or a certificate's serial (the number and /n).
  const vessel = /^([A-Z]{3})[\s-]*(\d{4})[\s-]*(\d{1,5})(?:\s*\/\s*\d{1,6})?$/i.exec(compact);
  if (vessel)
    return {
      kind: 'vessel',
      number: `${(vessel[1] as string).toUpperCase()}-${vessel[2]}-${(vessel[3] as string).padStart(5, '0')}`,
    };
  const split = splitFatherName(compact);
  const father = fatherName ?? split.fatherName;
  return { kind: 'name', name: split.name, ...(father ? { fatherName: father } : {}) };
}

/** The state a list shows: an active pass past its last day (Pakistan time) is expired. */
export function passState(pass: Pick<Pass, 'status' | 'validUntil'>, today: string): PassSummary['state'] {
  if (pass.status === 'REVOKED') return 'REVOKED';
  return pass.validUntil < today ? 'EXPIRED' : 'ACTIVE';
}

export function passSummary(pass: Pass, today: string): PassSummary {
  return {
    number: pass.number,
    passType: pass.passType,
    state: passState(pass, today),
    validFrom: pass.validFrom,
    validUntil: pass.validUntil,
    ...(pass.group ? { group: pass.group } : {}),
  };
}

interface Person {
  cnic: string;
  name: string;
  fatherName: string;
  district?: string;
  score: number;
}

/** The name a person is best known by from their own records: the latest application, else a pass, a boat. */
async function personFromRecords(store: Store, cnic: string): Promise<Person | undefined> {
  const records = await store.search.recordsOf(cnic);
  for (const kind of ['APP', 'PASS', 'VESSEL', 'GROUP']) {
    const item = records.find((r) => r.kind === kind);
    if (!item) continue;
    if (kind === 'VESSEL') {
      const owner = (item as unknown as Vessel).owner;
      return { cnic, name: owner.name, fatherName: owner.fatherName, score: 1 };
    }
    if (kind === 'GROUP') {
      const leader = (item as unknown as Group).leader;
      return { cnic, name: leader.name, fatherName: leader.fatherName, score: 1 };
    }
    const record = item as unknown as Application | Pass;
    return {
      cnic,
      name: record.name,
      fatherName: record.fatherName,
      ...('district' in record && record.district ? { district: record.district } : {}),
      score: 1,
    };
  }
  // A pilgrim with no record of their own is known by their group's roster.
  const [group] = await store.search.memberships(cnic);
  const member = group ? (await store.groups.get(group))?.members.find((m) => m.cnic === cnic) : undefined;
  return member
    ? { cnic, name: member.name, fatherName: member.fatherName, district: member.district, score: 1 }
    : undefined;
}

async function peopleByNumber(store: Store, read: Exclude<ReadQuery, { kind: 'name' }>): Promise<Person[]> {
  const byCnic = async (cnic: string | undefined, score = 1) => {
    if (!cnic) return [];
    const person = await personFromRecords(store, cnic);
    return person ? [{ ...person, score }] : [];
  };
  switch (read.kind) {
    case 'cnic':
      return byCnic(read.cnic);
    case 'pass':
      return byCnic((await store.passes.get(read.number))?.cnic);
    case 'application': {
      const id = await store.search.findReference(read.reference);
      return byCnic(id ? (await store.applications.get(id))?.cnic : undefined);
    }
    case 'vessel':
      return byCnic((await store.vessels.get(read.number))?.owner.cnic);
    case 'group': {
      const group = await store.groups.get(read.number);
      if (!group) return [];
      // The leader answers for the group: first; then its members as the roster names them.
      const members: Person[] = group.members
        .filter((m) => m.status !== 'REMOVED')
        .map((m) => ({
          cnic: m.cnic,
          name: m.name,
          fatherName: m.fatherName,
          district: m.district,
          score: 0.99,
        }));
      return [...(await byCnic(group.leader.cnic)), ...members];
    }
  }
}

async function peopleByName(
  store: Store,
  read: Extract<ReadQuery, { kind: 'name' }>,
  district: string | undefined,
): Promise<Person[]> {
  const best = new Map<string, Person>();
  const scored = new Map<string, number | undefined>();
  for (const tier of nameQueryTiers(read.name)) {
    const candidates = await store.search.candidates(tier.slice(0, MAX_QUERY_KEYS));
    for (const c of candidates) {
      if (district && c.district !== district) continue;
      // The same spelling reached through several partitions is scored once.
      const memo = `${c.cnic}\u0000${c.name}\u0000${c.fatherName}`;
      let score = scored.get(memo);
      if (!scored.has(memo)) {
        score = scorePerson(read, c);
        scored.set(memo, score);
      }
      if (score === undefined || score < MIN_NAME_SCORE) continue;
      const held = best.get(c.cnic);
      if (!held || held.score < score)
        best.set(c.cnic, {
          cnic: c.cnic,
          name: c.name,
          fatherName: c.fatherName,
          ...(c.district ? { district: c.district } : {}),
          score,
        });
    }
    if ([...best.values()].some((p) => p.score >= GOOD_ENOUGH)) break;
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.cnic.localeCompare(b.cnic));
}

/** Runs a search and records who asked what (in the table's audit trail, never in a log). */
export async function searchPeople(
  deps: SearchDependencies,
  query: SearchQuery,
  actor: Actor,
): Promise<SearchResponse> {
  const now = deps.clock();
  const today = karachiDate(now);
  const read = readQuery(query.q, query.fatherName);
  const found =
    read.kind === 'name'
      ? await peopleByName(deps.store, read, query.district)
      : (await peopleByNumber(deps.store, read)).filter(
          (p) => !query.district || p.district === query.district,
        );
  const top = found.slice(0, query.limit);
  const items: SearchHit[] = await Promise.all(
    top.map(async (person) => {
      const passes = (await deps.store.search.recordsOfKind(person.cnic, 'PASS')) as unknown as Pass[];
      return {
        cnic: formatCnic(person.cnic),
        name: person.name,
        fatherName: person.fatherName,
        ...(person.district ? { district: person.district } : {}),
        passes: passes.map((p) => passSummary(p, today)),
        score: Math.round(person.score * 1000) / 1000,
        person: `/people/${person.cnic}`,
      };
    }),
  );
  await auditSearch(deps, actor, read.kind, query, items.length, now.toISOString());
  return { kind: read.kind, items };
}

/** One audit item per search, in a partition per Pakistan day: who asked, what, and how many were shown. */
async function auditSearch(
  deps: SearchDependencies,
  actor: Actor,
  kind: SearchKind,
  query: SearchQuery,
  shown: number,
  at: string,
): Promise<void> {
  await transact(deps.store.table, [
    auditItem(deps.store.table, `SEARCHES#${karachiDate(new Date(at))}`, actor, 'SEARCHED', at, {
      kind,
      q: query.q,
      ...(query.fatherName ? { fatherName: query.fatherName } : {}),
      ...(query.district ? { district: query.district } : {}),
      shown,
    }),
  ]);
}
