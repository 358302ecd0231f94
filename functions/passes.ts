// Lambda entry of the passes route group: dependencies from the environment, once per container.
import { createPassesHandler } from './api/passes.ts';
import { dependenciesFromEnv } from './environment.ts';

export const handler = createPassesHandler(dependenciesFromEnv(process.env, 'passes'));
