// Lambda entry of the feed deliverer: woken by the table's stream and by a schedule, it drains the outbox.
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { feedSigningFromConfig } from '../signing/feed-key.ts';
import { dependenciesFromEnv } from './environment.ts';
import { loadFeedConfig } from './services/feed-config.ts';
import { createDelivererHandler } from './services/feed-handler.ts';
import { directoryTransport, httpTransport } from './services/feed-transport.ts';

const deps = dependenciesFromEnv(process.env, 'deliverer');
const feed = loadFeedConfig(process.env);
const signing = feedSigningFromConfig(feed);
// The secret is read through Powertools' cache (5 minutes), so a rotated secret reaches warm containers too.
const credential = async () =>
  feed.credentialParameter
    ? await getParameter(feed.credentialParameter, { decrypt: true, maxAge: 300 })
    : feed.credential;

export const handler = createDelivererHandler({
  ...deps,
  outbox: deps.store.feed,
  signer: signing.signer,
  transport: feed.endpoint
    ? httpTransport({ endpoint: feed.endpoint, credential, timeoutMs: feed.requestTimeoutMs })
    : directoryTransport(feed.outboxDir ?? '/tmp/outbox'),
  budgetMs: 4 * 60_000,
});
