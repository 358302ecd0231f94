// Lambda bundle benchmarks: each route group's bundle built exactly as deployed, its size against the 300 KB budget,
// and its cold import time in a fresh Node process against importing an empty module the same way.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { ROUTE_GROUPS } from '../../functions/routes.ts';
import { LAMBDA_ESBUILD_OPTIONS } from '../../infra/constructs/function.ts';
import { type BenchRow, quantile } from './harness.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUNDLE_BUDGET_KB = 300;
const IMPORT_RUNS = 7;

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

/** The median of several cold imports: each run is a new process, so a single one is noisy. */
function medianColdImportMs(file: string): number {
  const runs = Array.from({ length: IMPORT_RUNS }, () => coldImportMs(file)).sort((a, b) => a - b);
  return quantile(runs, 0.5);
}

export async function benchBundles(): Promise<BenchRow[]> {
  const { outdir, bundles } = await bundleEveryRouteGroup();
  try {
    const emptyModule = join(outdir, 'empty.mjs');
    writeFileSync(emptyModule, '');
    const baseline = { name: 'empty module, fresh process', value: medianColdImportMs(emptyModule) };
    const rows: BenchRow[] = [];
    for (const bundle of bundles) {
      const kb = bundle.bytes / 1024;
      rows.push({
        name: `${bundle.name} bundle (minified, AWS SDK included)`,
        value: Math.round(kb * 10) / 10,
        unit: 'KB',
        note:
          kb <= BUNDLE_BUDGET_KB
            ? `within ${BUNDLE_BUDGET_KB} KB budget`
            : `OVER ${BUNDLE_BUDGET_KB} KB budget`,
      });
      rows.push({
        name: `${bundle.name} cold import (Node ${process.versions.node}, fresh process)`,
        value: medianColdImportMs(bundle.file),
        unit: 'ms',
        baseline,
        note: `median of ${IMPORT_RUNS} processes`,
      });
    }
    return rows;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
