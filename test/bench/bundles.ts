// Lambda bundle benchmarks: each route group's bundle built exactly as deployed, its size against the 400 KB budget,
// and its cold import time in a fresh Node process against its floor: a bundle of only the AWS SDK clients and
// Powertools packages that function uses, built and imported the same way in the same run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { ROUTE_GROUPS } from '../../functions/routes.ts';
import { LAMBDA_ESBUILD_OPTIONS } from '../../infra/constructs/function.ts';
import type { DeployedRouteGroup } from '../../infra/constructs/route-group.ts';
import { type BenchRow, quantile } from './harness.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUNDLE_BUDGET_KB = 400;
/** How much slower than its floor a function's cold import may be. */
export const COLD_IMPORT_MAX_RATIO = 1.5;
const IMPORT_RUNS = 9;

export interface RouteGroupBundle {
  name: string;
  /** The bundle's path: index.mjs, as NodejsFunction names an ESM bundle. */
  file: string;
  bytes: number;
  metafile: Metafile;
}

/** Bundles one route group's entry with the options RahdariFunction gives NodejsFunction. */
export async function bundleRouteGroup(
  name: string,
  entry: string,
  outdir: string,
): Promise<RouteGroupBundle> {
  const file = join(outdir, name, 'index.mjs');
  const result = await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
    external: [...LAMBDA_ESBUILD_OPTIONS.external],
    entryPoints: [join(PROJECT_ROOT, entry)],
    outfile: file,
    absWorkingDir: PROJECT_ROOT,
    metafile: true,
    logLevel: 'error',
  });
  return { name, file, bytes: statSync(file).size, metafile: result.metafile };
}

/**
 * What a route group's function must load whatever its code: the SDK clients its declaration implies (every group
 * uses the table; a group that signs or publishes keys, KMS; a group with Cognito actions, Cognito) with the commands
 * it can send, and Powertools Logger and Metrics, which every entry builds. Derived from the route table, so a new
 * group gets its floor without an edit here.
 */
export function floorModule(group: DeployedRouteGroup): string {
  const lines = [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    "import { DynamoDBDocumentClient, DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';",
    "import { Logger } from '@aws-lambda-powertools/logger';",
    "import { Metrics } from '@aws-lambda-powertools/metrics';",
    'const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
    'const logger = new Logger();',
    'const metrics = new Metrics();',
    'export const floor = { table, logger, metrics, commands: [DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand] };',
  ];
  if (group.signs || group.readsPublicKeys) {
    lines.push(
      "import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';",
      'export const kms = { client: new KMSClient({}), commands: [GetPublicKeyCommand, SignCommand] };',
    );
  }
  if ((group.cognitoActions ?? []).length > 0) {
    lines.push(
      "import { AdminCreateUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';",
      'export const cognito = { client: new CognitoIdentityProviderClient({}), commands: [AdminCreateUserCommand] };',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Bundles a route group's floor module with the same options as its function. */
export async function bundleFloor(
  name: string,
  group: DeployedRouteGroup,
  outdir: string,
): Promise<RouteGroupBundle> {
  const source = join(outdir, `${name}-floor.ts`);
  writeFileSync(source, floorModule(group));
  const file = join(outdir, `${name}-floor`, 'index.mjs');
  const result = await build({
    ...LAMBDA_ESBUILD_OPTIONS,
    mainFields: [...LAMBDA_ESBUILD_OPTIONS.mainFields],
    external: [...LAMBDA_ESBUILD_OPTIONS.external],
    // Resolve packages from the project, as the function does, though the source lives in the temporary directory.
    nodePaths: [join(PROJECT_ROOT, 'node_modules')],
    entryPoints: [source],
    outfile: file,
    absWorkingDir: PROJECT_ROOT,
    metafile: true,
    logLevel: 'error',
  });
  return { name: `${name} floor`, file, bytes: statSync(file).size, metafile: result.metafile };
}

/** Bundles every route group into a new temporary directory; the caller removes it. */
export async function bundleEveryRouteGroup(): Promise<{ outdir: string; bundles: RouteGroupBundle[] }> {
  const outdir = mkdtempSync(join(tmpdir(), 'rahdari-bundles-'));
  const bundles = [];
  for (const [name, group] of Object.entries(ROUTE_GROUPS)) {
    bundles.push(await bundleRouteGroup(name, group.entry, outdir));
  }
  return { outdir, bundles };
}

/**
 * Milliseconds to import a module in a new Node process (this same Node 22 binary), measured inside that process
 * so process start-up is not counted. The environment is what a function gets, so module-scope configuration
 * loads as it does in Lambda; nothing reaches the network at import.
 */
function coldImportMs(file: string): number {
  const script =
    'const t0 = performance.now(); await import(process.env.BENCH_MODULE_URL);' +
    'console.log("\\nBENCH_IMPORT_MS=" + (performance.now() - t0));';
  const output = execFileSync(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        BENCH_MODULE_URL: pathToFileURL(file).href,
        AWS_REGION: 'ap-south-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        TABLE_NAME: 'rahdari-bench',
        PASS_KEY_IDS: 'arn:aws:kms:ap-south-1:111122223333:key/00000000-0000-4000-8000-000000000001',
        ROOT_KEY_ID: 'arn:aws:kms:ap-south-1:111122223333:key/00000000-0000-4000-8000-000000000002',
        BUNDLE_VALIDITY_HOURS: '72',
        // What the stack sets for a group with Cognito actions (accounts).
        USER_POOL_ID: 'ap-south-1_bench',
        // What the stack sets for the group that reads the feed's public key (feed).
        FEED_KEY_ID: 'arn:aws:kms:ap-south-1:111122223333:key/00000000-0000-4000-8000-000000000003',
        POWERTOOLS_SERVICE_NAME: 'rahdari',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const match = /BENCH_IMPORT_MS=([\d.]+)/.exec(output);
  if (!match?.[1]) throw new Error(`no import time from ${file}: ${output.slice(-500)}`);
  return Number(match[1]);
}

export async function benchBundles(): Promise<BenchRow[]> {
  const { outdir, bundles } = await bundleEveryRouteGroup();
  try {
    const groups: Readonly<Record<string, DeployedRouteGroup>> = ROUTE_GROUPS;
    const rows: BenchRow[] = [];
    for (const bundle of bundles) {
      const group = groups[bundle.name];
      if (!group) throw new Error(`no route group ${bundle.name}`);
      const floor = await bundleFloor(bundle.name, group, outdir);
      const kb = bundle.bytes / 1024;
      rows.push({
        name: `${bundle.name} bundle (minified, AWS SDK included)`,
        value: Math.round(kb * 10) / 10,
        unit: 'KB',
        baseline: { name: 'floor bundle', value: Math.round((floor.bytes / 1024) * 10) / 10 },
        note:
          kb <= BUNDLE_BUDGET_KB
            ? `within ${BUNDLE_BUDGET_KB} KB budget`
            : `OVER ${BUNDLE_BUDGET_KB} KB budget`,
      });
      // Interleaved, so a machine that slows down during the run slows both sides alike.
      const own: number[] = [];
      const base: number[] = [];
      for (let run = 0; run < IMPORT_RUNS; run++) {
        own.push(coldImportMs(bundle.file));
        base.push(coldImportMs(floor.file));
      }
      const value = quantile(
        own.sort((a, b) => a - b),
        0.5,
      );
      const baseline = quantile(
        base.sort((a, b) => a - b),
        0.5,
      );
      rows.push({
        name: `${bundle.name} cold import (Node ${process.versions.node}, fresh process)`,
        value,
        unit: 'ms',
        baseline: { name: `floor (${floorClients(group)})`, value: baseline },
        note: `median of ${IMPORT_RUNS} processes; ${value <= COLD_IMPORT_MAX_RATIO * baseline ? 'within' : 'OVER'} ${COLD_IMPORT_MAX_RATIO}x of its floor`,
      });
    }
    return rows;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The floor's contents in a few words, for the table. */
function floorClients(group: DeployedRouteGroup): string {
  return [
    'DynamoDB',
    ...(group.signs || group.readsPublicKeys ? ['KMS'] : []),
    ...((group.cognitoActions ?? []).length > 0 ? ['Cognito'] : []),
    'Powertools',
  ].join(' + ');
}
