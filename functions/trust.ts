// Lambda entry of the trust route group: dependencies from the environment, once per container (KMS lazily).
import { signingFromConfig } from '../signing/signing.ts';
import { createTrustHandler } from './api/trust.ts';
import { dependenciesFromEnv } from './environment.ts';

const deps = dependenciesFromEnv(process.env, 'trust');
export const handler = createTrustHandler({
  ...deps,
  signing: signingFromConfig(deps.config),
  bundleValidityHours: deps.config.bundleValidityHours,
  bundleRefreshSeconds: deps.config.bundleRefreshSeconds,
});
