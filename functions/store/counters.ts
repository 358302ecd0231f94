// Yearly number series (BP-2026-000123): read the last number used, and the conditional move that claims the next.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './table.ts';
import type { Table, TransactItem } from './transact.ts';

export interface CounterValue {
  name: string;
  year: number;
  /** The last number used, as read; the write moves it to value + 1 only if it still holds this. */
  value: number;
}

export interface Counters {
  /** The last number used in a series; a warm container remembers what its own last claim left. */
  peek(name: string, year: number): Promise<number>;
  /**
   * The transaction item claiming value + 1 to value + `count`; a lost race fails the transaction, so numbers have
   * no gaps.
   */
  claim(counter: CounterValue, count?: number): TransactItem;
  /** Call with the transaction's outcome: a win is remembered, a loss forgets, so the next peek reads the table. */
  settle(counter: CounterValue, won: boolean, count?: number): void;
}

export function counters(table: Table): Counters {
  const remembered = new Map<string, number>();
  return {
    async peek(name, year) {
      const cached = remembered.get(`${name}#${year}`);
      if (cached !== undefined) return cached;
      // Strongly consistent, or a retry after a lost race could read the value it lost to and lose again.
      const out = await table.db.send(
        new GetCommand({ TableName: table.name, Key: keys.counter(name, year), ConsistentRead: true }),
      );
      return typeof out.Item?.value === 'number' ? out.Item.value : 0;
    },
    claim({ name, year, value }, count = 1) {
      return {
        Update: {
          TableName: table.name,
          Key: keys.counter(name, year),
          UpdateExpression: 'SET #v = :next',
          ConditionExpression: value === 0 ? 'attribute_not_exists(#v)' : '#v = :current',
          ExpressionAttributeNames: { '#v': 'value' },
          ExpressionAttributeValues: {
            ':next': value + count,
            ...(value === 0 ? {} : { ':current': value }),
          },
        },
      };
    },
    settle({ name, year, value }, won, count = 1) {
      if (won) remembered.set(`${name}#${year}`, value + count);
      else remembered.delete(`${name}#${year}`);
    },
  };
}
