// The web apps `npm start` serves: built before the server starts when missing or older than their sources.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What the built apps are made from: their own folders, the shared core they import, and the pinned packages. */
const SOURCES = ['web/checkpoint', 'web/office', 'web/vite.config.ts', 'shared', 'package-lock.json'];
/** One file each build writes last-ish and always: the apps' entry pages. */
const OUTPUTS = ['web/dist/checkpoint/index.html', 'web/dist/office/index.html'];

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestChange(join(path, entry.name)));
  }
  return newest;
}

/** Why the apps need building (`missing` or `stale`), or undefined when the build is newer than every source. */
export function webBuildNeeded(root: string): 'missing' | 'stale' | undefined {
  const outputs = OUTPUTS.map((path) => resolve(root, path));
  if (!outputs.every((path) => existsSync(path))) return 'missing';
  const built = Math.min(...outputs.map((path) => statSync(path).mtimeMs));
  const sources = SOURCES.map((path) => resolve(root, path)).filter((path) => existsSync(path));
  return sources.some((path) => newestChange(path) > built) ? 'stale' : undefined;
}

/** Runs `npm run build:web`'s vite build on the project's own Node; rejects with its output when it fails. */
export function buildWebApps(root: string): Promise<void> {
  return new Promise((done, fail) => {
    const vite = resolve(root, 'node_modules/vite/bin/vite.js');
    const child = spawn(
      process.execPath,
      [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`the web build failed (exit ${code}):\n${output.trim()}`)),
    );
  });
}
