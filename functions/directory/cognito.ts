// Applicant accounts in the Cognito user pool: one AdminCreateUser with the CNIC binding, and nothing else.
import {
  AdminCreateUserCommand,
  type CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AccountDirectory, AccountExists } from './directory.ts';

/**
 * The function may call AdminCreateUser only (functions/routes.ts), so the account it makes has no group: the API
 * reads an account with no group and a bound `custom:cnic` as an applicant (functions/http/caller.ts). The
 * attributes are exactly e-mail, name and the CNIC binding; nothing from a request reaches any other.
 */
export function cognitoDirectory(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
): AccountDirectory {
  return {
    async createApplicant(account) {
      try {
        await client.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: account.cnic,
            UserAttributes: [
              { Name: 'email', Value: account.email },
              { Name: 'name', Value: account.name },
              { Name: 'custom:cnic', Value: account.cnic },
            ],
            // Cognito mails the temporary password; the officer at the counter never sees it.
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        );
      } catch (error) {
        if (error instanceof UsernameExistsException) throw new AccountExists('the username is taken');
        throw error;
      }
      return { username: account.cnic };
    },
  };
}
