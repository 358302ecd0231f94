// Brings up the border-pass API on this machine against a DynamoDB endpoint: keys, table, handlers, HTTP server.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { HttpHandler } from '../functions/http.ts';
import type { RouteGroupName } from '../functions/routes.ts';
import { initKeyDir, KEY_FILES } from '../signing/key-dir.ts';
import { devIssuer } from './dev-issuer.ts';
import { ensureTable } from './ensure-table.ts';
import { createLocalServer } from './server.ts';

export interface PlatformOptions {
  dynamodbEndpoint: string;
  tableName: string;
  keyDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  log?: (line: string) => void;
}

export interface Platform {
  url: string;
  close(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const host = options.host ?? '127.0.0.1';
  if (!existsSync(join(options.keyDir, KEY_FILES.signingKey))) await initKeyDir(options.keyDir);
  const raw = new DynamoDBClient({
    endpoint: options.dynamodbEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(raw, options.tableName);
  raw.destroy();

  // The handlers read their configuration once, at import, exactly as in Lambda.
  process.env.TABLE_NAME = options.tableName;
  process.env.DYNAMODB_ENDPOINT = options.dynamodbEndpoint;
  process.env.KEY_DIR = options.keyDir;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const handlers: Record<RouteGroupName, HttpHandler> = {
    applications: (await import('../functions/applications.ts')).handler,
    approvals: (await import('../functions/approvals.ts')).handler,
    passes: (await import('../functions/passes.ts')).handler,
    watchlist: (await import('../functions/watchlist.ts')).handler,
    trust: (await import('../functions/trust.ts')).handler,
    health: (await import('../functions/health.ts')).handler,
  };

  const server = createLocalServer({
    handlers,
    issuer: await devIssuer(join(options.keyDir, 'dev-issuer.pem'), 'rahdari-local-dev-issuer'),
    ...(options.log ? { log: options.log } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
