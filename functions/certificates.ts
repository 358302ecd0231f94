// Lambda entry of the certificates route group: dependencies from the environment, once per container (KMS lazily).
import { signingFromConfig } from '../signing/signing.ts';
import { createCertificatesHandler } from './api/vessels-certificates.ts';
import { dependenciesFromEnv } from './environment.ts';

const deps = dependenciesFromEnv(process.env, 'certificates');
export const handler = createCertificatesHandler({ ...deps, signing: signingFromConfig(deps.config) });
