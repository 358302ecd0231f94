// Lambda entry of the watchlist route group: dependencies from the environment, once per container.
import { createWatchlistHandler } from './api/watchlist.ts';
import { dependenciesFromEnv } from './environment.ts';

export const handler = createWatchlistHandler(dependenciesFromEnv(process.env, 'watchlist'));
