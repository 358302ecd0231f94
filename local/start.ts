// `npm start`: the whole border-pass service on this machine, on DynamoDB Local with its data under .data/.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ConfigError } from '../functions/config.ts';
import { loadPassTypesConfig } from '../functions/pass-types-config.ts';
import { type FeedConfig, loadFeedConfig } from '../functions/services/feed-config.ts';
import { LocalStackError, startDynamoDbLocal } from './dynamodb-local.ts';
import { startDailyExport } from './feed-export.ts';
import { startGroupSweep } from './group-sweep.ts';
import { startPlatform } from './platform.ts';
import { startLocalS3 } from './s3.ts';
import { isLoopback } from './server.ts';
import { buildWebApps, webBuildNeeded } from './web-build.ts';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? '3000');
const dataDir = resolve(process.env.RAHDARI_DATA ?? '.data');
const checkpointDir = resolve('web/dist/checkpoint');
// Built beside the checkpoint app by the same `npm run build:web`, and served with it (local/static.ts).
const officeDir = resolve('web/dist/office');

function fail(message: string): never {
  console.error(`rahdari: ${message}`);
  process.exit(1);
}

function portFree(p: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer()
      .once('error', () => done(false))
      .once('listening', () => probe.close(() => done(true)))
      .listen(p, host);
  });
}

if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`PORT ${process.env.PORT} is not a port number`);
// /dev/login hands any role to whoever reaches it, so the server never listens beyond this machine.
if (!isLoopback(host))
  fail(`HOST ${host} is not a loopback address: the dev login would give any role to anyone who reaches it`);
let passTypes: ReturnType<typeof loadPassTypesConfig>;
try {
  passTypes = loadPassTypesConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
// The Ministry feed: FIA_ENDPOINT (and FIA_CREDENTIAL) when a receiver is set up, else batches go to .data/outbox.
let feedConfig: FeedConfig;
try {
  feedConfig = loadFeedConfig({ ...process.env, KEY_DIR: join(dataDir, 'keys') });
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
// Checked before Java starts, so a busy port costs no JVM start-up.
if (!(await portFree(port)))
  fail(`port ${port} on ${host} is in use: stop what uses it or set PORT to another port`);

// A fresh clone, or sources changed since the last build: the apps are built before anything is served.
const webBuild = process.env.RAHDARI_SKIP_WEB_BUILD === 'true' ? undefined : webBuildNeeded(process.cwd());
if (webBuild) {
  console.log(
    `building the checkpoint app and the office pages (${webBuild === 'missing' ? 'not built yet' : 'sources changed'})…`,
  );
  await buildWebApps(process.cwd()).catch((error: unknown) =>
    fail(error instanceof Error ? error.message : String(error)),
  );
}

const dynamodbPort = Number(process.env.DYNAMODB_PORT ?? '0');
let dynamodb: Awaited<ReturnType<typeof startDynamoDbLocal>>;
try {
  dynamodb = await startDynamoDbLocal({ port: dynamodbPort, dbPath: join(dataDir, 'dynamodb') });
} catch (error) {
  if (error instanceof LocalStackError) fail(error.message);
  throw error;
}

const platform = await startPlatform({
  dynamodbEndpoint: dynamodb.endpoint,
  tableName: 'rahdari',
  keyDir: join(dataDir, 'keys'),
  passTypes,
  host,
  port,
  log: (line) => console.log(line),
  feed: {
    outboxDir: join(dataDir, 'outbox'),
    requestTimeoutMs: feedConfig.requestTimeoutMs,
    ...(feedConfig.endpoint ? { endpoint: feedConfig.endpoint } : {}),
    ...(feedConfig.credential ? { credential: feedConfig.credential } : {}),
  },
  // Built above (or by `npm run build:web`); with RAHDARI_SKIP_WEB_BUILD=true and no build, the API still runs.
  ...(existsSync(checkpointDir) ? { checkpointApp: { dir: checkpointDir } } : {}),
}).catch(async (error: unknown) => {
  await dynamodb.stop();
  throw error;
});

// The daily export goes to s3rver under .data/s3, through the same S3 client code as in AWS.
const s3 = await startLocalS3({
  directory: join(dataDir, 's3'),
  bucket: 'rahdari-feed',
  port: Number(process.env.S3_PORT ?? '0'),
}).catch(async (error: unknown) => {
  await platform.close();
  await dynamodb.stop();
  throw error;
});
const dailyExport = startDailyExport({
  store: platform.store,
  s3: s3.client(),
  bucket: s3.bucket,
  clock: () => new Date(),
  log: (line) => console.log(line),
});

// Members still out past their group's return date are named against the leader, as the schedule does in AWS.
const groupSweep = startGroupSweep({
  store: platform.store,
  clock: () => new Date(),
  metrics: platform.metrics.groups,
  log: (line) => console.log(line),
});

console.log(`Rahdari is running at ${platform.url}

  log in (local dev issuer):  curl -s -X POST ${platform.url}/dev/login -H 'content-type: application/json' \\
                                -d '{"role":"fia-officer","sub":"officer-1"}'
  roles: applicant (+ "cnic":"54101-1234567-3", the only CNIC it may apply for), fia-officer, fia-supervisor,
         fisheries-officer (+ "port":"GWD"), checkpoint-officer (+ "checkpoint":"TFT"), moi-analyst
  public keys:                ${platform.url}/.well-known/jwks.json
  Ministry feed:              ${feedConfig.endpoint ? `signed batches to ${feedConfig.endpoint}` : `signed batches written to ${join(dataDir, 'outbox')} (set FIA_ENDPOINT to POST them)`}; verify with ${platform.url}/feed/jwks.json
  daily export:               s3://${s3.bucket}/feed/<day>/ on ${s3.endpoint} (data in ${join(dataDir, 's3')}); rahdari export --date YYYY-MM-DD --bucket ${s3.bucket} --s3-endpoint ${s3.endpoint} --table rahdari --endpoint ${dynamodb.endpoint}
  checkpoint app:             ${existsSync(checkpointDir) ? `${platform.url}/checkpoint/` : 'not built: npm run build:web, then restart'}
  office pages:               ${existsSync(officeDir) ? `${platform.url}/office/ (residents, FIA, Fisheries, Ministry)` : 'not built: npm run build:web, then restart'}
  data:                       ${join(dataDir, 'dynamodb')} (DynamoDB Local at ${dynamodb.endpoint}), keys in ${join(dataDir, 'keys')}

Ctrl-C stops the server and DynamoDB Local.`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping`);
  dailyExport.stop();
  groupSweep.stop();
  await platform.close();
  await s3.stop();
  await dynamodb.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
