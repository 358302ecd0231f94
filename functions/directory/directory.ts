// Where sign-in accounts live: Cognito in AWS, the table for `npm start`. Workflows see only this interface.

/** An applicant's sign-in account: bound to one CNIC, and to nothing else. */
export interface ApplicantAccount {
  /** 13 digits: the username too, so a resident signs in with the number they know. */
  cnic: string;
  name: string;
  email: string;
}

export interface AccountDirectory {
  /**
   * Creates the account and sends its invitation. Throws AccountExists if an account with this username (the
   * CNIC) exists; never changes an existing account.
   */
  createApplicant(account: ApplicantAccount): Promise<{ username: string }>;
}

/** An account for this CNIC exists already. */
export class AccountExists extends Error {
  override name = 'AccountExists';
}
