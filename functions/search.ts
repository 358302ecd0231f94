// Lambda entry of the search route group: dependencies from the environment, once per container.
import { createSearchHandler } from './api/search.ts';
import { dependenciesFromEnv } from './environment.ts';

export const handler = createSearchHandler(dependenciesFromEnv(process.env, 'search'));
