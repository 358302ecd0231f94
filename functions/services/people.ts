// A person's whole record on one answer (names, applications and their decisions, passes, crossings, groups,
// boats, the watchlist for FIA), and a record's history from its audit items; every person read is audited.
import { formatCnic } from '../../shared/domain/cnic.ts';
import { karachiDate } from '../../shared/domain/pass-types.ts';
import type { HistoryEntry, PersonRecord } from '../../shared/search-schemas.ts';
import { type Group, groupKey } from '../store/groups.ts';
import type { Actor, Application, AuditEntry, Pass } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { keys } from '../store/table.ts';
import { auditItem, transact } from '../store/transact.ts';
import type { Vessel } from '../store/vessels.ts';
import type { Clock } from './context.ts';
import { Invalid, NotFound } from './errors.ts';
import { passSummary } from './search.ts';

/** Crossings shown per page of the person page. */
export const CROSSINGS_PER_PAGE = 20;

export interface PersonReader {
  actor: Actor;
  /** FIA sees the watchlist entry; the Ministry's analysts may not read the watchlist at all. */
  seesWatchlist: boolean;
}

function decodeCrossingsCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  // A crossing's sort key, X#<ISO time>#<id>: anything else did not come from this page.
  if (!/^X#\d{4}-\d{2}-\d{2}T[\d:.]+Z#[0-9A-Za-z]+$/.test(sk))
    throw new Invalid('The cursor is not valid for this list.', [
      { field: 'crossingsCursor', message: 'The cursor is not one this page returned.' },
    ]);
  return sk;
}

type Item = Record<string, unknown>;

export async function personRecord(
  deps: { store: Store; clock: Clock },
  cnic: string,
  reader: PersonReader,
  crossingsCursor?: string,
): Promise<PersonRecord> {
  const before = decodeCrossingsCursor(crossingsCursor);
  const { store } = deps;
  const now = deps.clock();
  const today = karachiDate(now);
  const [records, memberOf, watch] = await Promise.all([
    store.search.recordsOf(cnic),
    store.search.memberships(cnic),
    reader.seesWatchlist ? store.watchlist.get(cnic) : Promise.resolve(undefined),
  ]);
  const ofKind = <T>(kind: string) => records.filter((r: Item) => r.kind === kind) as unknown as T[];
  const applications = ofKind<Application>('APP');
  const passes = ofKind<Pass>('PASS');
  const vessels = ofKind<Vessel>('VESSEL').filter((v) => v.owner.cnic === cnic);
  const led = ofKind<Group>('GROUP');
  const ledNumbers = new Set(led.map((g) => g.number));
  const joined = (
    await Promise.all(memberOf.filter((no) => !ledNumbers.has(no)).map((no) => store.groups.get(no)))
  ).filter((g): g is Group => g !== undefined);
  if (records.length === 0 && joined.length === 0 && !watch) throw new NotFound('No records for this CNIC.');

  const credentialPks = [
    ...passes.map((p) => keys.pass(p.number).PK),
    ...vessels.map((v) => keys.vessel(v.officialNumber).PK),
  ];
  const merged = await store.search.latestCrossings(credentialPks, CROSSINGS_PER_PAGE, before);
  const page = merged.slice(0, CROSSINGS_PER_PAGE);
  const last = page[page.length - 1];
  const next =
    merged.length > CROSSINGS_PER_PAGE && last
      ? `/people/${cnic}?crossingsCursor=${Buffer.from(last.sk).toString('base64url')}`
      : undefined;

  const names = new Map<string, PersonRecord['names'][number]>();
  const addName = (name: string, fatherName: string, source: string, ref: string) => {
    const key = `${name}\u0000${fatherName}`;
    if (!names.has(key)) names.set(key, { name, fatherName, source, ref });
  };
  for (const a of applications) addName(a.name, a.fatherName, 'APP', a.reference ?? a.id);
  for (const p of passes) addName(p.name, p.fatherName, 'PASS', p.number);
  for (const g of led) addName(g.leader.name, g.leader.fatherName, 'LEADER', g.number);
  for (const g of joined) {
    const m = g.members.find((member) => member.cnic === cnic);
    if (m) addName(m.name, m.fatherName, 'GROUP', g.number);
  }
  for (const v of vessels) addName(v.owner.name, v.owner.fatherName, 'VESSEL', v.officialNumber);

  await transact(store.table, [
    auditItem(store.table, `PERSON#${cnic}`, reader.actor, 'PERSON_VIEWED', now.toISOString(), {
      ...(before ? { crossingsPage: true } : {}),
    }),
  ]);

  return {
    cnic: formatCnic(cnic),
    names: [...names.values()],
    applications: applications.map((a) => ({
      id: a.id,
      ...(a.reference ? { reference: a.reference } : {}),
      status: a.status,
      passType: a.passType,
      validFrom: a.validFrom,
      validUntil: a.validUntil,
      createdAt: a.createdAt,
      submittedBy: a.submittedBy,
      ...(a.decision ? { decision: a.decision } : {}),
      ...(a.passNumber ? { passNumber: a.passNumber } : {}),
    })),
    passes: passes.map((p) => ({
      ...passSummary(p, today),
      issuedAt: p.issuedAt,
      issuedBy: p.issuedBy,
      ...(p.revocation
        ? { revocation: { by: p.revocation.by, at: p.revocation.at, reason: p.revocation.reason } }
        : {}),
    })),
    crossings: {
      items: page.map(({ item }) => ({
        at: item.at as string,
        credential: item.credential as string,
        checkpoint: item.checkpoint as string,
        direction: item.direction as string,
        ...(typeof item.serverVerdict === 'string' ? { verdict: item.serverVerdict } : {}),
      })),
      ...(next ? { next } : {}),
    },
    groups: [
      ...led.map((g) => ({
        number: g.number,
        role: 'leader' as const,
        status: g.status,
        departOn: g.departOn,
        returnBy: g.returnBy,
      })),
      ...joined.map((g) => {
        const pass = g.members.find((m) => m.cnic === cnic)?.pass;
        return {
          number: g.number,
          role: 'member' as const,
          status: g.status,
          departOn: g.departOn,
          returnBy: g.returnBy,
          ...(pass ? { pass } : {}),
        };
      }),
    ],
    vessels: vessels.map((v) => ({
      officialNumber: v.officialNumber,
      name: v.name,
      status: v.status,
      homePort: v.homePort,
    })),
    ...(reader.seesWatchlist
      ? {
          watchlist: watch
            ? {
                reason: watch.reason,
                category: watch.category,
                addedAt: watch.addedAt,
                addedBy: watch.addedBy,
              }
            : null,
        }
      : {}),
  };
}

/** `YYYY-MM-DD HH:mm PKT`: Pakistan has no daylight saving, so UTC+5 all year. */
export function pakistanTime(at: string): string {
  const shifted = new Date(Date.parse(at) + 5 * 60 * 60 * 1000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)} PKT`;
}

/** Detail members that may name a person by CNIC stay in the table: a history is read by more eyes. */
const HIDDEN_DETAIL = /cnic/i;

export function historyView(entries: readonly AuditEntry[]): HistoryEntry[] {
  return entries.map((entry) => {
    const { reason, ...rest } = entry.detail ?? {};
    const detail = Object.fromEntries(Object.entries(rest).filter(([k]) => !HIDDEN_DETAIL.test(k)));
    return {
      at: entry.at,
      atPakistan: pakistanTime(entry.at),
      action: entry.action,
      actor: entry.actor,
      ...(typeof reason === 'string' ? { reason } : {}),
      ...(Object.keys(detail).length > 0 ? { detail } : {}),
    };
  });
}

/** The history of an application, a pass or a group, or NotFound when the record does not exist. */
export async function recordHistory(
  store: Store,
  record:
    | { kind: 'application'; id: string }
    | { kind: 'pass'; number: string }
    | { kind: 'group'; number: string },
): Promise<HistoryEntry[]> {
  let pk: string;
  switch (record.kind) {
    case 'application':
      if (!(await store.applications.get(record.id))) throw new NotFound(`No application ${record.id}.`);
      pk = keys.application(record.id).PK;
      break;
    case 'pass':
      if (!(await store.passes.get(record.number))) throw new NotFound(`No pass ${record.number}.`);
      pk = keys.pass(record.number).PK;
      break;
    case 'group':
      if (!(await store.groups.get(record.number))) throw new NotFound(`No group ${record.number}.`);
      pk = groupKey(record.number).PK;
      break;
  }
  return historyView(await store.search.history(pk));
}
