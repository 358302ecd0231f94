// Issued passes: the issue transaction (counter, application, pass, audit), reads and revocation.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplicationStatus } from '../../shared/schemas.ts';
import type { Applications } from './applications.ts';
import type { Counters, CounterValue } from './counters.ts';
import { outboxItem, passIssuedRecord, passRevokedRecord } from './feed.ts';
import type { Actor, Application, Pass } from './records.ts';
import type { Revocations } from './revocations.ts';
import { keys } from './table.ts';
import {
  auditItem,
  batchGet,
  strip,
  type Table,
  type TransactItem,
  transact,
  transition,
} from './transact.ts';

export interface IssueInput {
  app: Application;
  from: readonly ApplicationStatus[];
  pass: Pass;
  counter: CounterValue;
  actor: Actor;
  /** A CNIC that must not be on the watchlist at the moment of the write (an officer's approval). */
  unlistedCnic?: string;
}

export interface Passes {
  /**
   * Strongly consistent: an approval that lost the race reads the pass the winner wrote a moment ago, and a
   * revocation that lost re-reads the pass to see whether it was revoked meanwhile.
   */
  get(number: string): Promise<Pass | undefined>;
  /** The passes of `numbers` that exist, in no particular order (a group's members' passes). */
  getMany(numbers: readonly string[]): Promise<Pass[]>;
  /**
   * Approves an application and stores its pass in one transaction with the number counter and the audit items.
   * The counter moves only if it still holds the value read, so numbers have no gaps and a lost race changes
   * nothing; the application moves only from a status in `from`.
   */
  issue(input: IssueInput): Promise<void>;
  /**
   * Revokes an active pass: the pass, the next revocation-list entry, the list head and the audit item move
   * together. The head moves only from `version`, so two revocations never take the same version.
   */
  revoke(pass: Pass, reason: string, actor: Actor, at: string, version: number): Promise<number>;
  /** The items that store a newly issued pass: the pass, its audit item and its feed entry. */
  issueItems(pass: Pass, actor: Actor, detail: Record<string, unknown>): TransactItem[];
  /** The items of `revoke`, for a transaction that changes more (a member removed from a group). */
  revokeItems(pass: Pass, reason: string, actor: Actor, at: string, version: number): TransactItem[];
}

export function passes(
  table: Table,
  deps: { applications: Applications; counters: Counters; revocations: Revocations },
): Passes {
  const issueItems: Passes['issueItems'] = (pass, actor, detail) => {
    const passKey = keys.pass(pass.number);
    const at = pass.issuedAt;
    return [
      {
        Put: {
          TableName: table.name,
          Item: { ...passKey, ...keys.cnicIndex(pass.cnic, 'PASS', at), kind: 'PASS', ...pass },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      auditItem(table, passKey.PK, actor, 'PASS_ISSUED', at, { kid: pass.kid, ...detail }),
      outboxItem(table, passIssuedRecord(pass), at),
    ];
  };

  const revokeItems: Passes['revokeItems'] = (pass, reason, actor, at, version) => {
    const next = version + 1;
    const passKey = keys.pass(pass.number);
    return [
      transition(table, passKey, ['ACTIVE'], 'REVOKED', {
        revocation: { by: actor, at, reason, version: next },
      }),
      ...deps.revocations.append(pass.number, at, pass.exp, version),
      auditItem(table, passKey.PK, actor, 'PASS_REVOKED', at, { reason, version: next }),
      outboxItem(table, passRevokedRecord(pass, at, reason), at),
    ];
  };

  return {
    async get(number) {
      const out = await table.db.send(
        new GetCommand({ TableName: table.name, Key: keys.pass(number), ConsistentRead: true }),
      );
      return strip<Pass>(out.Item);
    },

    async getMany(numbers) {
      const items = await batchGet(
        table,
        numbers.map((no) => keys.pass(no)),
      );
      return items.map((item) => strip<Pass>(item) as Pass);
    },

    async issue({ app, from, pass, counter, actor, unlistedCnic }) {
      const at = pass.issuedAt;
      const watchCheck: TransactItem[] = unlistedCnic
        ? [
            {
              ConditionCheck: {
                TableName: table.name,
                Key: keys.watch(unlistedCnic),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ]
        : [];
      // The pass and its audit item, then the watchlist check, then the feed entry: the order the handler tests pin.
      const issued = issueItems(pass, actor, { applicationId: app.id });
      try {
        await transact(table, [
          deps.counters.claim(counter),
          ...deps.applications.approvalItems(app, from, pass.number, actor, at),
          ...issued.slice(0, 2),
          ...watchCheck,
          ...issued.slice(2),
        ]);
      } catch (error) {
        deps.counters.settle(counter, false);
        throw error;
      }
      deps.counters.settle(counter, true);
    },

    async revoke(pass, reason, actor, at, version) {
      await transact(table, revokeItems(pass, reason, actor, at, version));
      return version + 1;
    },

    issueItems,
    revokeItems,
  };
}
