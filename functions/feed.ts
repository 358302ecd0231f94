// Lambda entry of the feed route group: dependencies from the environment, once per container (KMS lazily).
import { feedSigningFromConfig } from '../signing/feed-key.ts';
import { createFeedHandler } from './api/feed.ts';
import { dependenciesFromEnv } from './environment.ts';
import { loadFeedConfig } from './services/feed-config.ts';

const deps = dependenciesFromEnv(process.env, 'feed');
export const handler = createFeedHandler({
  ...deps,
  feedPublicKeys: feedSigningFromConfig(loadFeedConfig(process.env)).publicKeys,
});
