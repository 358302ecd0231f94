// The revocation list: a head holding the current version and one item per revoked number, in version order.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys, revocationSk, SK_PREFIX } from './table.ts';
import type { Table, TransactItem } from './transact.ts';

export interface RevocationEntry {
  number: string;
  at: string;
  /** The revocation list version that added it: a device whose trust state is at this version or later knew. */
  version: number;
}

export interface Revocations {
  /** Strongly consistent, so a revocation that lost the head to another retries from the version that won. */
  version(): Promise<number>;
  /** Revocations after `since` (0 = all) in version order, each with when it took effect, and the version reached. */
  since(since: number): Promise<{ entries: RevocationEntry[]; version: number }>;
  /** The items that add `number` as version `from + 1`: the entry and the head, which moves only from `from`. */
  append(number: string, at: string, exp: number, from: number): TransactItem[];
  /** One cheap key read: answers when the table answers. */
  ping(): Promise<void>;
}

export function revocations(table: Table): Revocations {
  return {
    async version() {
      const out = await table.db.send(
        new GetCommand({ TableName: table.name, Key: keys.revocationHead(), ConsistentRead: true }),
      );
      return typeof out.Item?.version === 'number' ? out.Item.version : 0;
    },
    async since(since) {
      const entries: RevocationEntry[] = [];
      let version = since;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': 'REVOCATIONS',
              ':from': revocationSk(since + 1),
              ':to': `${SK_PREFIX.revocation}~`,
            },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of out.Items ?? []) {
          const added = Number(String(item.SK).slice(SK_PREFIX.revocation.length));
          entries.push({ number: item.number as string, at: item.at as string, version: added });
          version = Math.max(version, added);
        }
        start = out.LastEvaluatedKey;
      } while (start);
      return { entries, version };
    },
    append(number, at, exp, from) {
      const next = from + 1;
      return [
        {
          Put: {
            TableName: table.name,
            Item: { ...keys.revocation(next), kind: 'REVOCATION', number, at, exp },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
            TableName: table.name,
            Key: keys.revocationHead(),
            UpdateExpression: 'SET version = :next',
            ConditionExpression: from === 0 ? 'attribute_not_exists(version)' : 'version = :current',
            ExpressionAttributeValues: { ':next': next, ...(from === 0 ? {} : { ':current': from }) },
          },
        },
      ];
    },
    async ping() {
      await table.db.send(new GetCommand({ TableName: table.name, Key: keys.revocationHead() }));
    },
  };
}
