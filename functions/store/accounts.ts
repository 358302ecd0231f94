// Applicant accounts in the table: the audit item of who created each, and the account directory of `npm start`.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AccountDirectory, AccountExists } from '../directory/directory.ts';
import type { Actor } from './records.ts';
import { keys } from './table.ts';
import { auditItem, type Table } from './transact.ts';

export interface Accounts {
  /** The ACCOUNT_CREATED audit item under the CNIC's account: who created it, and when. */
  recordCreated(cnic: string, actor: Actor, at: string): Promise<void>;
}

export function accounts(table: Table): Accounts {
  return {
    async recordCreated(cnic, actor, at) {
      const { Put } = auditItem(table, keys.account(cnic).PK, actor, 'ACCOUNT_CREATED', at);
      if (!Put) throw new Error('an audit item is a Put');
      await table.db.send(new PutCommand(Put));
    },
  };
}

/**
 * The directory `npm start` uses in place of Cognito: one item per account, written only if absent, so a second
 * account for a CNIC is refused as Cognito refuses a taken username. Sign-in stays with the dev login.
 */
export function tableDirectory(table: Table, clock: () => Date): AccountDirectory {
  return {
    async createApplicant(account) {
      try {
        await table.db.send(
          new PutCommand({
            TableName: table.name,
            Item: {
              ...keys.account(account.cnic),
              kind: 'ACCOUNT',
              username: account.cnic,
              cnic: account.cnic,
              name: account.name,
              email: account.email,
              createdAt: clock().toISOString(),
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException)
          throw new AccountExists('the username is taken');
        throw error;
      }
      return { username: account.cnic };
    },
  };
}
