// The environment a handler module reads once at import, pointing at a fresh key directory and no real AWS.
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

/**
 * Call before importing a handler: runtime.ts reads the table, the keys and the endpoint at import. Dummy
 * credentials and a region keep the SDK from looking for real ones; the mocked client never sends anyway.
 */
export async function prepareHandlerEnvironment(): Promise<HandlerEnvironment> {
  const base = mkdtempSync(join(tmpdir(), 'rahdari-handlers-'));
  const keyDir = join(base, 'keys');
  await initKeyDir(keyDir);
  Object.assign(process.env, {
    TABLE_NAME,
    KEY_DIR: keyDir,
    AWS_REGION: 'me-south-1',
    AWS_ACCESS_KEY_ID: 'AKIAUNITTESTUNITTEST',
    AWS_SECRET_ACCESS_KEY: 'unit-test-secret',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  for (const name of [
    'DYNAMODB_ENDPOINT',
    'PASS_KEY_IDS',
    'ROOT_KEY_ID',
    'AWS_PROFILE',
    'AWS_SESSION_TOKEN',
  ]) {
    delete process.env[name];
  }
  return {
    workDir: base,
    keyDir,
    rootJwk: readJson(join(keyDir, KEY_FILES.rootJwk)) as PublicJwk,
    passKeys: (readJson(join(keyDir, KEY_FILES.jwks)) as { keys: PublicJwk[] }).keys,
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
