// Brings up the border-pass API on this machine against a DynamoDB endpoint: keys, table, handlers, HTTP server.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAccountsHandler } from '../functions/api/accounts.ts';
import { createApplicationsHandler } from '../functions/api/applications.ts';
import { createApprovalsHandler } from '../functions/api/approvals.ts';
import { createCrossingsHandler } from '../functions/api/crossings.ts';
import { createFeedHandler } from '../functions/api/feed.ts';
import { createGroupApprovalsHandler } from '../functions/api/group-approvals.ts';
import { createGroupsHandler } from '../functions/api/groups.ts';
import { createHealthHandler } from '../functions/api/health.ts';
import { createPassesHandler } from '../functions/api/passes.ts';
import { createReportsHandler } from '../functions/api/reports.ts';
import { createSearchHandler } from '../functions/api/search.ts';
import { createTrustHandler } from '../functions/api/trust.ts';
import { createVesselsHandler } from '../functions/api/vessels.ts';
import { createCertificatesHandler } from '../functions/api/vessels-certificates.ts';
import { createWatchlistHandler } from '../functions/api/watchlist.ts';
import type { HttpHandler } from '../functions/http/event.ts';
import type { RouteGroupName } from '../functions/routes.ts';
import type { Clock } from '../functions/services/context.ts';
import { tableDirectory } from '../functions/store/accounts.ts';
import { documentClient } from '../functions/store/client.ts';
import { createStore, type Store } from '../functions/store/store.ts';
import { PASS_TYPES, type PassType } from '../shared/domain/pass-types.ts';
import { feedSigningFromConfig } from '../signing/feed-key.ts';
import { initKeyDir, KEY_FILES } from '../signing/key-dir.ts';
import { signingFromConfig } from '../signing/signing.ts';
import { devIssuer } from './dev-issuer.ts';
import { ensureTable } from './ensure-table.ts';
import { type LocalFeed, type LocalFeedOptions, startLocalFeed } from './feed.ts';
import { CountingMetrics } from './metrics.ts';
import { assertLoopback, createLocalServer } from './server.ts';
import { staticApp, type WebAppConfig } from './static.ts';

export interface PlatformOptions {
  dynamodbEndpoint: string;
  tableName: string;
  keyDir: string;
  /** Must be a loopback address: the dev login hands out any role to anyone who can reach it. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The pass types in force; the built-in ones by default. */
  passTypes?: readonly PassType[];
  /** The trust bundle's validity; 72 hours by default, as in AWS. */
  bundleValidityHours?: number;
  clock?: Clock;
  /** Structured log level of the handlers; WARN by default, so the console shows the server's own lines. */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  log?: (line: string) => void;
  /** The built checkpoint app to serve under /checkpoint/ (web/dist/checkpoint), with the dev login by default. */
  checkpointApp?: { dir: string; auth?: WebAppConfig['auth'] };
  /** Run the Ministry feed's deliverer (stream poller and timer); off unless given, as most tests need none. */
  feed?: LocalFeedOptions;
}

export interface Platform {
  url: string;
  store: Store;
  /** Each route group's metrics, as an operator would see them. */
  metrics: Record<RouteGroupName, CountingMetrics>;
  /** The feed's deliverer, when the options asked for one. */
  feed?: LocalFeed;
  close(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const host = options.host ?? '127.0.0.1';
  assertLoopback(host);
  if (!existsSync(join(options.keyDir, KEY_FILES.signingKey))) await initKeyDir(options.keyDir);
  const raw = new DynamoDBClient({
    endpoint: options.dynamodbEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(raw, options.tableName);
  raw.destroy();

  const db = documentClient({ endpoint: options.dynamodbEndpoint });
  const store = createStore(db, options.tableName);
  const clock = options.clock ?? (() => new Date());
  const signing = signingFromConfig({ keyDir: options.keyDir, passKeyIds: [] });
  const feedSigning = feedSigningFromConfig({ keyDir: options.keyDir });
  const passTypes = options.passTypes ?? PASS_TYPES;
  const metrics = {} as Record<RouteGroupName, CountingMetrics>;
  const observe = (group: RouteGroupName) => {
    metrics[group] = new CountingMetrics(group);
    return {
      logger: new Logger({ serviceName: group, logLevel: options.logLevel ?? 'WARN' }),
      metrics: metrics[group],
    };
  };
  const handlers: Record<RouteGroupName, HttpHandler> = {
    applications: createApplicationsHandler({ ...observe('applications'), store, clock, passTypes }),
    approvals: createApprovalsHandler({ ...observe('approvals'), store, clock, passTypes, signing }),
    passes: createPassesHandler({ ...observe('passes'), store, clock }),
    watchlist: createWatchlistHandler({ ...observe('watchlist'), store, clock }),
    trust: createTrustHandler({
      ...observe('trust'),
      store,
      clock,
      signing,
      bundleValidityHours: options.bundleValidityHours ?? 72,
    }),
    health: createHealthHandler({ ...observe('health'), store }),
    search: createSearchHandler({ ...observe('search'), store, clock }),
    // Accounts go to the table rather than Cognito; the dev login still signs anyone in.
    accounts: createAccountsHandler({
      ...observe('accounts'),
      store,
      clock,
      directory: tableDirectory(store.table, clock),
    }),
    vessels: createVesselsHandler({ ...observe('vessels'), store, clock }),
    certificates: createCertificatesHandler({ ...observe('certificates'), store, clock, signing }),
    crossings: createCrossingsHandler({ ...observe('crossings'), store, clock, signing }),
    reports: createReportsHandler({ ...observe('reports'), store, clock }),
    feed: createFeedHandler({ ...observe('feed'), store, clock, feedPublicKeys: feedSigning.publicKeys }),
    groups: createGroupsHandler({ ...observe('groups'), store, clock, passTypes }),
    groupApprovals: createGroupApprovalsHandler({
      ...observe('groupApprovals'),
      store,
      clock,
      passTypes,
      signing,
    }),
  };

  const server = createLocalServer({
    handlers,
    issuer: await devIssuer(join(options.keyDir, 'dev-issuer.pem'), 'rahdari-local-dev-issuer'),
    ...(options.log ? { log: options.log } : {}),
    ...(options.checkpointApp
      ? {
          staticApps: [
            staticApp({
              base: '/checkpoint/',
              dir: options.checkpointApp.dir,
              // Same origin as the API; the root key is offered for setup, and its thumbprint is checked by eye.
              config: {
                apiUrl: '',
                auth: options.checkpointApp.auth ?? { kind: 'dev' },
                rootJwkUrl: 'root.jwk',
              },
              rootJwkFile: join(options.keyDir, KEY_FILES.rootJwk),
            }),
          ],
        }
      : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const feed = options.feed
    ? await startLocalFeed(
        {
          store,
          clock,
          signing: feedSigning,
          dynamodbEndpoint: options.dynamodbEndpoint,
          tableName: options.tableName,
        },
        { ...(options.log ? { log: options.log } : {}), ...options.feed },
      )
    : undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    store,
    metrics,
    ...(feed ? { feed } : {}),
    close: async () => {
      await feed?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => {
          db.destroy();
          resolve();
        });
        server.closeAllConnections();
      });
    },
  };
}
