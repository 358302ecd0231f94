// Lambda entry of the health route group: dependencies from the environment, once per container.
import { createHealthHandler } from './api/health.ts';
import { dependenciesFromEnv } from './environment.ts';

export const handler = createHealthHandler(dependenciesFromEnv(process.env, 'health'));
