// Lambda entry of the group approvals route group: dependencies from the environment, once per container (KMS lazily).
import { signingFromConfig } from '../signing/signing.ts';
import { createGroupApprovalsHandler } from './api/group-approvals.ts';
import { dependenciesFromEnv } from './environment.ts';
import { loadPassTypesConfig } from './pass-types-config.ts';

const deps = dependenciesFromEnv(process.env, 'groupApprovals');
export const handler = createGroupApprovalsHandler({
  ...deps,
  passTypes: loadPassTypesConfig(process.env),
  signing: signingFromConfig(deps.config),
});
