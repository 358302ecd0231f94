// A fresh key directory for a handler test file: the keys a local stack signs with, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublicJwk } from '../../../shared/keys.ts';
import { initKeyDir, KEY_FILES, readJson } from '../../../signing/key-dir.ts';

export const TABLE_NAME = 'test-table';

export interface HandlerEnvironment {
  /** A temporary directory for the test's own files; the key directory is inside it. */
  workDir: string;
  keyDir: string;
  /** The pinned trust root as a checkpoint device holds it: the key dir's root.jwk. */
  rootJwk: PublicJwk;
  /** The published pass-signing keys: the key dir's jwks.json. */
  passKeys: PublicJwk[];
  remove(): void;
}

export async function prepareHandlerEnvironment(): Promise<HandlerEnvironment> {
  const base = mkdtempSync(join(tmpdir(), 'rahdari-handlers-'));
  const keyDir = join(base, 'keys');
  await initKeyDir(keyDir);
  return {
    workDir: base,
    keyDir,
    rootJwk: readJson(join(keyDir, KEY_FILES.rootJwk)) as PublicJwk,
    passKeys: (readJson(join(keyDir, KEY_FILES.jwks)) as { keys: PublicJwk[] }).keys,
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
