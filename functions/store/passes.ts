// Issued passes: the issue transaction (counter, application, pass, audit), reads and revocation.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplicationStatus } from '../../shared/schemas.ts';
import type { Applications } from './applications.ts';
import type { Counters, CounterValue } from './counters.ts';
import { outboxItem, passIssuedRecord, passRevokedRecord } from './feed.ts';
import type { Actor, Application, Pass } from './records.ts';
import type { Revocations } from './revocations.ts';
import { keys } from './table.ts';
import { auditItem, strip, type Table, type TransactItem, transact, transition } from './transact.ts';

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
}

export function passes(
  table: Table,
  deps: { applications: Applications; counters: Counters; revocations: Revocations },
): Passes {
  return {
    async get(number) {
      const out = await table.db.send(
        new GetCommand({ TableName: table.name, Key: keys.pass(number), ConsistentRead: true }),
      );
      return strip<Pass>(out.Item);
    },

    async issue({ app, from, pass, counter, actor, unlistedCnic }) {
      const passKey = keys.pass(pass.number);
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
      try {
        await transact(table, [
          deps.counters.claim(counter),
          ...deps.applications.approvalItems(app, from, pass.number, actor, at),
          {
            Put: {
              TableName: table.name,
              Item: { ...passKey, ...keys.cnicIndex(pass.cnic, 'PASS', at), kind: 'PASS', ...pass },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          auditItem(table, passKey.PK, actor, 'PASS_ISSUED', at, { kid: pass.kid, applicationId: app.id }),
          ...watchCheck,
          outboxItem(table, passIssuedRecord(pass), at),
        ]);
      } catch (error) {
        deps.counters.settle(counter, false);
        throw error;
      }
      deps.counters.settle(counter, true);
    },

    async revoke(pass, reason, actor, at, version) {
      const next = version + 1;
      const passKey = keys.pass(pass.number);
      await transact(table, [
        transition(table, passKey, ['ACTIVE'], 'REVOKED', {
          revocation: { by: actor, at, reason, version: next },
        }),
        ...deps.revocations.append(pass.number, at, pass.exp, version),
        auditItem(table, passKey.PK, actor, 'PASS_REVOKED', at, { reason, version: next }),
        outboxItem(table, passRevokedRecord(pass, at, reason), at),
      ]);
      return next;
    },
  };
}
