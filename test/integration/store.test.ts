// The store's read paths on DynamoDB Local: everything for a CNIC, an entity's audit trail, the queue page by page.
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Application, Pass } from '../../functions/store/records.ts';
import { CursorError, createStore, OpenApplicationExists, type Store } from '../../functions/store/store.ts';
import { cnicSeries, storedApplication, storedPass } from '../support/data.ts';
import { testTable } from '../support/dynamodb.ts';
import { auditTrail, byCnic } from '../support/store-queries.ts';

const officer: Actor = { sub: 'officer-1', role: 'fia-officer' };
const supervisor: Actor = { sub: 'supervisor-1', role: 'fia-supervisor' };

let clock = Date.parse('2026-03-01T08:00:00.000Z');
/** A minute later on every call, so items written one after another have distinct times in that order. */
function tick(): string {
  clock += 60_000;
  return new Date(clock).toISOString();
}

/** A CNIC no other case uses: an open application holds its CNIC until decided. */
const freshCnic = cnicSeries('5410', 1);

function application(cnic: string, overrides: Partial<Application> = {}): Application {
  const at = tick();
  return storedApplication({
    id: ulid(),
    cnic,
    validFrom: '2026-03-02',
    validUntil: '2026-05-30',
    submittedBy: officer,
    createdAt: at,
    ...overrides,
  });
}

/** The record an approval stores. */
function passFor(app: Application, number: string): Pass {
  return storedPass(app, number, { kid: 'storekid', issuedAt: tick(), issuedBy: officer });
}

async function newStore(): Promise<Store> {
  const table = await testTable();
  return createStore(table.client, table.tableName);
}

/** Approves with the next number of the year, as the approval route does. */
async function approve(store: Store, app: Application): Promise<Pass> {
  const value = await store.counters.peek('BP', 2026);
  const pass = passFor(app, `BP-2026-${String(value + 1).padStart(6, '0')}`);
  await store.passes.issue({
    app,
    from: ['PENDING'],
    pass,
    counter: { name: 'BP', year: 2026, value },
    actor: officer,
  });
  return pass;
}

describe('byCnic', () => {
  let store: Store;
  const cnic = freshCnic();
  let rejected: Application;
  let approved: Application;
  let open: Application;
  let pass: Pass;

  beforeAll(async () => {
    store = await newStore();
    rejected = application(cnic);
    await store.applications.create(rejected);
    await store.applications.reject(rejected, ['PENDING'], 'documents do not match', officer, tick());
    approved = application(cnic);
    await store.applications.create(approved);
    pass = await approve(store, approved);
    open = application(cnic);
    await store.applications.create(open);
    await store.applications.create(application(freshCnic()));
  });

  it("lists a person's applications newest first, each in its current status", async () => {
    const held = await byCnic(store, cnic);

    expect(held.applications.map((a) => [a.id, a.status])).toEqual([
      [open.id, 'PENDING'],
      [approved.id, 'APPROVED'],
      [rejected.id, 'REJECTED'],
    ]);
  });

  it('lists their passes, as stored', async () => {
    const held = await byCnic(store, cnic);

    expect(held.passes).toEqual([pass]);
  });

  it("gives records without index or guard attributes, and nobody else's", async () => {
    const held = await byCnic(store, cnic);

    for (const record of [...held.applications, ...held.passes]) {
      expect(Object.keys(record).filter((k) => /^(PK|SK|GSI\dPK|GSI\dSK|kind)$/.test(k))).toEqual([]);
      expect(record.cnic).toBe(cnic);
    }
  });

  it('finds nothing for a CNIC that never applied', async () => {
    expect(await byCnic(store, freshCnic())).toEqual({ applications: [], passes: [] });
  });
});

describe('auditTrail', () => {
  let store: Store;

  beforeAll(async () => {
    store = await newStore();
  });

  const trail = async (entityPk: string) =>
    (await auditTrail(store, entityPk)).map((e) => ({ action: e.action, actor: e.actor.sub, at: e.at }));

  it('gives an approved and revoked pass every change, oldest first, under the application and the pass', async () => {
    const app = application(freshCnic());
    await store.applications.create(app);
    const pass = await approve(store, app);
    const revokedAt = tick();
    await store.passes.revoke(
      pass,
      'reported lost',
      supervisor,
      revokedAt,
      await store.revocations.version(),
    );

    expect(await trail(`APP#${app.id}`)).toEqual([
      { action: 'APPLICATION_SUBMITTED', actor: 'officer-1', at: app.createdAt },
      { action: 'APPLICATION_APPROVED', actor: 'officer-1', at: pass.issuedAt },
    ]);
    expect(await trail(`PASS#${pass.number}`)).toEqual([
      { action: 'PASS_ISSUED', actor: 'officer-1', at: pass.issuedAt },
      { action: 'PASS_REVOKED', actor: 'supervisor-1', at: revokedAt },
    ]);
  });

  it('gives a rejected application its submission and rejection, with the reason', async () => {
    const app = application(freshCnic());
    await store.applications.create(app);
    const at = tick();
    await store.applications.reject(app, ['PENDING'], 'documents do not match', supervisor, at);

    const entries = await auditTrail(store, `APP#${app.id}`);

    expect(entries.map((e) => e.action)).toEqual(['APPLICATION_SUBMITTED', 'APPLICATION_REJECTED']);
    expect(entries[1]).toMatchObject({
      entity: `APP#${app.id}`,
      at,
      actor: supervisor,
      detail: { reason: 'documents do not match' },
    });
  });

  it('gives a watchlist entry its addition, change and removal, oldest first', async () => {
    const cnic = freshCnic();
    const added = tick();
    await store.watchlist.put(
      cnic,
      undefined,
      { reason: 'known smuggler', category: 'smuggling' },
      supervisor,
      added,
    );
    const changed = tick();
    const listed = await store.watchlist.get(cnic);
    await store.watchlist.put(
      cnic,
      listed,
      { reason: 'court order', category: 'blacklisted' },
      officer,
      changed,
    );
    const removed = tick();
    await store.watchlist.remove(cnic, supervisor, removed);

    expect(await trail(`WATCH#${cnic}`)).toEqual([
      { action: 'WATCHLIST_ADDED', actor: 'supervisor-1', at: added },
      { action: 'WATCHLIST_UPDATED', actor: 'officer-1', at: changed },
      { action: 'WATCHLIST_REMOVED', actor: 'supervisor-1', at: removed },
    ]);
  });

  it('records nothing for a change that was refused', async () => {
    const cnic = freshCnic();
    const first = application(cnic);
    await store.applications.create(first);
    const second = application(cnic);

    await expect(store.applications.create(second)).rejects.toThrow(OpenApplicationExists);

    expect(await auditTrail(store, `APP#${second.id}`)).toEqual([]);
    expect((await auditTrail(store, `APP#${first.id}`)).map((e) => e.action)).toEqual([
      'APPLICATION_SUBMITTED',
    ]);
  });
});

describe('listApplications', () => {
  let store: Store;
  const pending: Application[] = [];
  const held: Application[] = [];

  beforeAll(async () => {
    store = await newStore();
    for (let i = 0; i < 7; i++) pending.push(application(freshCnic()));
    for (let i = 0; i < 2; i++) held.push(application(freshCnic(), { status: 'NEEDS_REVIEW' }));
    const decided = application(freshCnic());
    // Stored out of order, so the queue's order can only come from the index.
    for (const app of [...pending].reverse()) await store.applications.create(app);
    for (const app of [...held, decided]) await store.applications.create(app);
    await store.applications.reject(decided, ['PENDING'], 'documents do not match', officer, tick());
  });

  async function pages(status: Application['status'], limit: number) {
    const seen: Application[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store.applications.listByStatus(status, limit, cursor);
      seen.push(page.items);
      cursor = page.cursor;
    } while (cursor);
    return seen;
  }

  it('pages through one status oldest first, each cursor resuming where the last page ended', async () => {
    const seen = await pages('PENDING', 3);

    expect(seen.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(seen.flat().map((a) => a.id)).toEqual(pending.map((a) => a.id));
  });

  it('gives the whole queue on one page when the limit allows, with no cursor', async () => {
    const page = await store.applications.listByStatus('PENDING', 100);

    expect(page.items).toHaveLength(7);
    expect(page).not.toHaveProperty('cursor');
  });

  it('keeps statuses apart: held and decided applications are in their own queues', async () => {
    expect((await pages('NEEDS_REVIEW', 1)).flat().map((a) => a.id)).toEqual(held.map((a) => a.id));
    expect((await pages('REJECTED', 5)).flat().map((a) => a.status)).toEqual(['REJECTED']);
  });

  it("refuses one queue's cursor for another", async () => {
    const first = await store.applications.listByStatus('PENDING', 3);

    await expect(store.applications.listByStatus('NEEDS_REVIEW', 3, first.cursor)).rejects.toThrow(
      CursorError,
    );
  });
});
