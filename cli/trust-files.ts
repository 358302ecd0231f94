// The files a checkpoint's trust lives in: the pinned root, bundles, saved trust states and bare JWKS.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { checkPublicJwk, type PublicJwk, toPublicJwk } from '../shared/keys.ts';
import { TrustState } from '../shared/trust-state.ts';
import { FileError, readJson, readText } from '../signing/key-dir.ts';

/** The pinned root from a root.jwk. The kid is recomputed from the key, so an edited kid cannot rename it. */
export async function readRoot(file: string): Promise<PublicJwk> {
  const checked = await checkPublicJwk(readJson(file));
  if (!checked.ok) throw new FileError(`${file}: not a P-256 public key (JWK)`);
  return toPublicJwk(checked.jwk);
}

/** A saved trust state, re-verified against the root it carries (and against `root` when one is given). */
export async function readState(file: string, root?: PublicJwk, json = readJson(file)): Promise<TrustState> {
  const restored = await TrustState.restore(json, root);
  if (!restored.ok)
    throw new FileError(`${file}: trust state refused (${restored.reason}): ${restored.detail}`);
  return restored.state;
}

/**
 * Replaces `file` with the state in one step: written to a temporary file beside it, flushed, then renamed, so
 * a crash or a full disk leaves either the old state or the new one, never half of either.
 */
export function writeState(file: string, state: TrustState): void {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(temporary, 'wx', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(state)}\n`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw new FileError(`${file}: cannot write the trust state (${(error as Error).message.split('\n')[0]})`);
  }
  closeSync(fd);
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new FileError(
      `${file}: cannot replace the trust state (${(error as Error).message.split('\n')[0]})`,
    );
  }
}

/** What a `--trust` file holds, told apart by its shape. */
export type TrustFile =
  | { kind: 'state'; json: unknown }
  | { kind: 'jwks'; json: unknown }
  | { kind: 'bundle'; token: string };

export function readTrustFile(file: string): TrustFile {
  const text = readText(file).trim();
  if (!text.startsWith('{')) return { kind: 'bundle', token: text };
  const json = readJson(file) as Record<string, unknown>;
  if (json.format !== undefined) return { kind: 'state', json };
  if (Array.isArray(json.keys)) return { kind: 'jwks', json };
  throw new FileError(`${file}: not a trust state, a trust bundle or a JWKS`);
}
