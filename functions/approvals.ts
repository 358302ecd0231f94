// Lambda entry of the approvals route group: dependencies from the environment, once per container (KMS lazily).
import { signingFromConfig } from '../signing/signing.ts';
import { createApprovalsHandler } from './api/approvals.ts';
import { dependenciesFromEnv } from './environment.ts';
import { loadPassTypesConfig } from './pass-types-config.ts';

const deps = dependenciesFromEnv(process.env, 'approvals');
export const handler = createApprovalsHandler({
  ...deps,
  passTypes: loadPassTypesConfig(process.env),
  signing: signingFromConfig(deps.config),
});
