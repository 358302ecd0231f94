// Lambda entry of the vessels route group: dependencies from the environment, once per container.
import { createVesselsHandler } from './api/vessels.ts';
import { dependenciesFromEnv } from './environment.ts';

export const handler = createVesselsHandler(dependenciesFromEnv(process.env, 'vessels'));
