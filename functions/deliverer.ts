// Lambda entry of the feed deliverer: woken by the table's stream and by a schedule, it drains the outbox.

import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { feedSigningFromConfig } from '../signing/feed-key.ts';
import { dependenciesFromEnv } from './environment.ts';
import { loadFeedConfig } from './services/feed-config.ts';
import { createDelivererHandler } from './services/feed-handler.ts';
import { directoryTransport, httpTransport } from './services/feed-transport.ts';

const deps = dependenciesFromEnv(process.env, 'deliverer');
const feed = loadFeedConfig(process.env);
const signing = feedSigningFromConfig(feed);
// Both read through Powertools' cache (5 minutes): a new endpoint or a rotated secret reaches warm containers.
const CACHE_SECONDS = 300;
const endpoint = async (): Promise<string> =>
  feed.endpointParameter
    ? ((await getParameter(feed.endpointParameter, { maxAge: CACHE_SECONDS })) ?? 'unset')
    : (feed.endpoint ?? 'unset');
const credential = async (): Promise<string | undefined> =>
  feed.credentialSecret
    ? ((await getSecret<string>(feed.credentialSecret, { maxAge: CACHE_SECONDS })) ?? undefined)
    : feed.credential;
const sendsOverHttp = Boolean(feed.endpoint || feed.endpointParameter);

export const handler = createDelivererHandler({
  ...deps,
  outbox: deps.store.feed,
  signer: signing.signer,
  transport: sendsOverHttp
    ? httpTransport({ endpoint, credential, timeoutMs: feed.requestTimeoutMs })
    : directoryTransport(feed.outboxDir ?? '/tmp/outbox'),
  ...(sendsOverHttp ? { ready: async () => /^https:\/\//.test(await endpoint()) } : {}),
  budgetMs: 4 * 60_000,
});
