// The FIA watchlist: one item per listed CNIC, every write conditioned on what was read.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { WatchlistInput } from '../../shared/schemas.ts';
import type { Actor, WatchEntry } from './records.ts';
import { keys } from './table.ts';
import { auditItem, batchGet, strip, type Table, transact } from './transact.ts';

export interface Watchlist {
  /** Strongly consistent: a CNIC listed a moment ago must already hold an application or an approval. */
  get(cnic: string): Promise<WatchEntry | undefined>;
  /** The entries of those of `cnics` that are listed (a group's members), strongly consistent as `get`. */
  getMany(cnics: readonly string[]): Promise<Map<string, WatchEntry>>;
  /**
   * Lists a CNIC if `existing` is undefined, or changes the reason and category of `existing` while keeping who
   * listed it first. Conditioned on `existing` being what is stored, so StateConflict means someone else wrote
   * first; the caller re-reads and retries, and the audit item then says what really happened.
   */
  put(
    cnic: string,
    existing: WatchEntry | undefined,
    change: WatchlistInput,
    actor: Actor,
    at: string,
  ): Promise<{ outcome: 'created' | 'updated'; entry: WatchEntry }>;
  /** StateConflict when the CNIC is not listed. */
  remove(cnic: string, actor: Actor, at: string): Promise<void>;
}

export function watchlist(table: Table): Watchlist {
  return {
    async get(cnic) {
      const out = await table.db.send(
        new GetCommand({ TableName: table.name, Key: keys.watch(cnic), ConsistentRead: true }),
      );
      return strip<WatchEntry>(out.Item);
    },

    async getMany(cnics) {
      const items = await batchGet(
        table,
        [...new Set(cnics)].map((cnic) => keys.watch(cnic)),
      );
      return new Map(items.map((item) => [item.cnic as string, strip<WatchEntry>(item) as WatchEntry]));
    },

    async put(cnic, existing, change, actor, at) {
      const pk = keys.watch(cnic);
      if (!existing) {
        const entry: WatchEntry = { cnic, ...change, addedBy: actor, addedAt: at };
        await transact(table, [
          {
            Put: {
              TableName: table.name,
              Item: { ...pk, kind: 'WATCH', ...entry },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          auditItem(table, pk.PK, actor, 'WATCHLIST_ADDED', at, { category: change.category }),
        ]);
        return { outcome: 'created', entry };
      }
      const entry: WatchEntry = { ...existing, ...change, updatedBy: actor, updatedAt: at };
      await transact(table, [
        {
          // The whole item rather than an Update, so the watchlist group needs no UpdateItem grant (routes.ts).
          Put: {
            TableName: table.name,
            Item: { ...pk, kind: 'WATCH', ...entry },
            // addedAt tells the entry read from one removed and listed again since.
            ConditionExpression: '#addedAt = :addedAt',
            ExpressionAttributeNames: { '#addedAt': 'addedAt' },
            ExpressionAttributeValues: { ':addedAt': existing.addedAt },
          },
        },
        auditItem(table, pk.PK, actor, 'WATCHLIST_UPDATED', at, { category: change.category }),
      ]);
      return { outcome: 'updated', entry };
    },

    async remove(cnic, actor, at) {
      const pk = keys.watch(cnic);
      await transact(table, [
        { Delete: { TableName: table.name, Key: pk, ConditionExpression: 'attribute_exists(PK)' } },
        auditItem(table, pk.PK, actor, 'WATCHLIST_REMOVED', at),
      ]);
    },
  };
}
