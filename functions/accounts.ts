// Lambda entry of the accounts route group: dependencies from the environment, once per container.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createAccountsHandler } from './api/accounts.ts';
import { ConfigError } from './config.ts';
import { cognitoDirectory } from './directory/cognito.ts';
import { dependenciesFromEnv } from './environment.ts';
import { sdkClientOptions } from './sdk-options.ts';

const deps = dependenciesFromEnv(process.env, 'accounts');
if (!deps.config.userPoolId) throw new ConfigError('USER_POOL_ID is not set');
export const handler = createAccountsHandler({
  ...deps,
  directory: cognitoDirectory(new CognitoIdentityProviderClient(sdkClientOptions()), deps.config.userPoolId),
});
