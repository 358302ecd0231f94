// Creating an applicant's sign-in account at an FIA counter: bound to the CNIC the officer saw, audited.
import { type AccountDirectory, AccountExists, type ApplicantAccount } from '../directory/directory.ts';
import type { Actor } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from './context.ts';
import { Conflict } from './errors.ts';

/**
 * The account exists and its invitation is on its way, but the audit item could not be written. Not a request to
 * retry: a second attempt would only be told the account exists.
 */
export class AccountAuditMissing extends Error {
  override name = 'AccountAuditMissing';
}

export async function createApplicantAccount(
  deps: { directory: AccountDirectory; store: Pick<Store, 'accounts'>; clock: Clock },
  account: ApplicantAccount,
  actor: Actor,
): Promise<{ username: string }> {
  let created: { username: string };
  try {
    created = await deps.directory.createApplicant(account);
  } catch (error) {
    if (error instanceof AccountExists) {
      throw new Conflict(
        'An account for this CNIC exists already; the resident can reset its password from the sign-in page.',
      );
    }
    throw error;
  }
  try {
    await deps.store.accounts.recordCreated(account.cnic, actor, deps.clock().toISOString());
  } catch (error) {
    throw new AccountAuditMissing('the account was created but its audit item was not written', {
      cause: error,
    });
  }
  return created;
}
