// FIA's desk in the table: the name index, application references, group memberships, a person's records, history.
//
// | access pattern                                   | where  | key condition                                            |
// |--------------------------------------------------|--------|----------------------------------------------------------|
// | people indexed under a name key (a part's key or | table  | PK=NAME#<key>, SK=<cnic> (one item per person and key,   |
// |   a pair of parts' keys, shared/domain/names.ts) |        |   holding the name, father's name and district written)  |
// | the application of a reference (RA-2026-004512)  | table  | PK=REF#<reference>, SK=REF                               |
// | the pilgrim groups a person was a member of      | table  | PK=PERSON#<cnic>, SK=GROUPS (a string set, ADDed to)     |
// | everything a CNIC has (applications, passes,     | GSI2   | GSI2PK=CNIC#<cnic>                                       |
// |   boats, groups led)                             |        |                                                          |
// | a record's audit items (who did what, when)      | table  | PK=<entity PK>, begins_with SK=AUDIT#                    |
import { GetCommand, QueryCommand, type QueryCommandOutput, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from './records.ts';
import { keys, SK_PREFIX, type TableKey } from './table.ts';
import { batchGet, strip, type Table, type TransactItem, transact } from './transact.ts';

/** A person's name as one record wrote it: what the index holds beside each key. */
export interface PersonName {
  cnic: string;
  name: string;
  fatherName: string;
  district?: string;
}

/**
 * A name with the index keys it is written under (nameIndexKeys of shared/domain/names.ts, computed by the
 * service): the store knows nothing of matching, so a function that writes no names bundles no matcher.
 */
export interface NameEntry extends PersonName {
  keys: readonly string[];
}

/** An index partition's item: the person and the name that put them there. */
export interface IndexedName extends PersonName {
  key: string;
}

export const nameKey = (indexKey: string, cnic: string): TableKey => ({ PK: `NAME#${indexKey}`, SK: cnic });
export const referenceKey = (reference: string): TableKey => ({ PK: `REF#${reference}`, SK: 'REF' });
export const membershipKey = (cnic: string): TableKey => ({ PK: `PERSON#${cnic}`, SK: 'GROUPS' });

/** Transactions in flight when many index items are written at once; each holds up to a hundred items. */
const WRITE_CONCURRENCY = 4;
const TRANSACTION_ITEMS = 100;
/** A partition read stops after this many items: a pair partition holding more says little about anyone. */
const MAX_PARTITION_ITEMS = 3000;

export interface SearchStore {
  /** The Puts that index `entry` under every key of its name: part of the transaction that writes the record. */
  nameItems(entry: NameEntry): TransactItem[];
  /**
   * Indexes many names outside the record's own transaction (a group's members, the backfill), a hundred items per
   * transaction, a few at once. Idempotent: the same name writes the same items.
   */
  putNames(entries: readonly NameEntry[]): Promise<number>;
  /** The people indexed under each key, up to MAX_PARTITION_ITEMS per key, all keys read at once. */
  candidates(indexKeys: readonly string[]): Promise<IndexedName[]>;
  referenceItem(reference: string, applicationId: string): TransactItem;
  /** The application id a reference names, if any. */
  findReference(reference: string): Promise<string | undefined>;
  /** Records that each of `cnics` was a member of `group` (idempotent: a set), a hundred per transaction. */
  putMemberships(group: string, cnics: readonly string[]): Promise<void>;
  /** The groups `cnic` was ever a member of. */
  memberships(cnic: string): Promise<string[]>;
  /** The groups each of `cnics` was ever a member of, read a hundred at a time (BatchGetItem). */
  membershipsOf(cnics: readonly string[]): Promise<Map<string, string[]>>;
  /** Everything GSI2 holds for a CNIC: applications, passes, boats, groups led, whatever their kind. */
  recordsOf(cnic: string): Promise<Record<string, unknown>[]>;
  /** Only one kind of a CNIC's records on GSI2 (APP, PASS, VESSEL, GROUP). */
  recordsOfKind(cnic: string, kind: string): Promise<Record<string, unknown>[]>;
  /** A record's audit items, oldest first. */
  history(entityPk: string): Promise<AuditEntry[]>;
  /**
   * Every record of the given kinds, a page at a time: a Scan, for the operator's backfill (rahdari search
   * reindex) only; no route's function is granted Scan.
   */
  scanKinds(
    kinds: readonly string[],
    onPage: (items: Record<string, unknown>[]) => Promise<void>,
  ): Promise<void>;
  /**
   * The latest crossings of several credentials together, newest first: up to `limit` from each credential's
   * history below the sort key `before` (exclusive), merged; the caller keeps the first `limit`.
   */
  latestCrossings(
    credentialPks: readonly string[],
    limit: number,
    before?: string,
  ): Promise<{ sk: string; item: Record<string, unknown> }[]>;
}

/** Runs `run` over `items` with at most WRITE_CONCURRENCY at once. */
async function bounded<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, items.length) }, worker));
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += TRANSACTION_ITEMS) out.push(items.slice(i, i + TRANSACTION_ITEMS));
  return out;
}

/** The group numbers a membership item holds (a string set, read back as a Set). */
function groupsOf(item: Record<string, unknown> | undefined): string[] {
  const groups = item?.groups;
  return groups instanceof Set ? [...groups].filter((g): g is string => typeof g === 'string').sort() : [];
}

export function searchStore(table: Table): SearchStore {
  const indexItems = (entry: NameEntry): Record<string, unknown>[] =>
    entry.keys.map((key) => ({
      ...nameKey(key, entry.cnic),
      kind: 'NAME',
      key,
      cnic: entry.cnic,
      name: entry.name,
      fatherName: entry.fatherName,
      ...(entry.district ? { district: entry.district } : {}),
    }));

  const queryAll = async (
    input: ConstructorParameters<typeof QueryCommand>[0],
    cap = Number.POSITIVE_INFINITY,
  ): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const out = await table.db.send(
        new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && items.length < cap);
    return items;
  };

  return {
    nameItems(entry) {
      // Unconditional: the same person indexed again under a key keeps the latest spelling there.
      return indexItems(entry).map((Item) => ({ Put: { TableName: table.name, Item } }));
    },

    async putNames(entries) {
      const items = entries.flatMap(indexItems);
      await bounded(chunks(items), (chunk) =>
        transact(
          table,
          chunk.map((Item) => ({ Put: { TableName: table.name, Item } })),
        ),
      );
      return items.length;
    },

    async candidates(indexKeys) {
      const pages = await Promise.all(
        indexKeys.map((key) =>
          queryAll(
            {
              TableName: table.name,
              KeyConditionExpression: 'PK = :pk',
              ExpressionAttributeValues: { ':pk': `NAME#${key}` },
              Limit: MAX_PARTITION_ITEMS,
            },
            MAX_PARTITION_ITEMS,
          ),
        ),
      );
      return pages.flat().map((item) => strip<IndexedName>(item) as IndexedName);
    },

    referenceItem(reference, applicationId) {
      return {
        Put: {
          TableName: table.name,
          Item: { ...referenceKey(reference), kind: 'REF', reference, applicationId },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      };
    },

    async findReference(reference) {
      const out = await table.db.send(
        new GetCommand({ TableName: table.name, Key: referenceKey(reference) }),
      );
      const id = out.Item?.applicationId;
      return typeof id === 'string' ? id : undefined;
    },

    async putMemberships(group, cnics) {
      await bounded(chunks([...new Set(cnics)]), (chunk) =>
        transact(
          table,
          chunk.map((cnic) => ({
            Update: {
              TableName: table.name,
              Key: membershipKey(cnic),
              UpdateExpression: 'SET kind = :kind, cnic = :cnic ADD #groups :group',
              ExpressionAttributeNames: { '#groups': 'groups' },
              ExpressionAttributeValues: { ':kind': 'MEMBERSHIP', ':cnic': cnic, ':group': new Set([group]) },
            },
          })),
        ),
      );
    },

    async memberships(cnic) {
      const out = await table.db.send(new GetCommand({ TableName: table.name, Key: membershipKey(cnic) }));
      return groupsOf(out.Item);
    },

    async membershipsOf(cnics) {
      const found = await batchGet(table, [...new Set(cnics)].map(membershipKey));
      return new Map(found.map((item) => [item.cnic as string, groupsOf(item)]));
    },

    recordsOf(cnic) {
      return queryAll({
        TableName: table.name,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.cnicIndex(cnic, 'X', new Date(0).toISOString()).GSI2PK },
        ScanIndexForward: false,
      });
    },

    recordsOfKind(cnic, kind) {
      return queryAll({
        TableName: table.name,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :kind)',
        ExpressionAttributeValues: {
          ':pk': keys.cnicIndex(cnic, 'X', new Date(0).toISOString()).GSI2PK,
          ':kind': `${kind}#`,
        },
        ScanIndexForward: false,
      });
    },

    async history(entityPk) {
      const items = await queryAll({
        TableName: table.name,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :audit)',
        ExpressionAttributeValues: { ':pk': entityPk, ':audit': SK_PREFIX.audit },
      });
      return items.map((item) => strip<AuditEntry>(item) as AuditEntry);
    },

    async scanKinds(kinds, onPage) {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await table.db.send(
          new ScanCommand({
            TableName: table.name,
            FilterExpression: `kind IN (${kinds.map((_, i) => `:k${i}`).join(', ')})`,
            ExpressionAttributeValues: Object.fromEntries(kinds.map((k, i) => [`:k${i}`, k])),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        await onPage(out.Items ?? []);
        start = out.LastEvaluatedKey;
      } while (start);
    },

    async latestCrossings(credentialPks, limit, before) {
      const pages = await Promise.all(
        credentialPks.map(async (pk) => {
          const out = await table.db.send(
            new QueryCommand({
              TableName: table.name,
              KeyConditionExpression: before
                ? 'PK = :pk AND SK BETWEEN :from AND :before'
                : 'PK = :pk AND begins_with(SK, :from)',
              ExpressionAttributeValues: {
                ':pk': pk,
                ':from': SK_PREFIX.crossing,
                // BETWEEN includes its bounds: the last one shown is stepped over below.
                ...(before ? { ':before': before } : {}),
              },
              ScanIndexForward: false,
              Limit: limit + 1,
            }),
          );
          return (out.Items ?? [])
            .filter((item) => item.SK !== before)
            .map((item) => ({ sk: item.SK as string, item }));
        }),
      );
      return pages.flat().sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
    },
  };
}
