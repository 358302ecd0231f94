// Lambda entry of the crossings route group: dependencies from the environment, once per container (KMS lazily).
import { signingFromConfig } from '../signing/signing.ts';
import { createCrossingsHandler } from './api/crossings.ts';
import { dependenciesFromEnv } from './environment.ts';

const deps = dependenciesFromEnv(process.env, 'crossings');
export const handler = createCrossingsHandler({ ...deps, signing: signingFromConfig(deps.config) });
