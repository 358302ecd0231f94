// A key directory on disk: the trust root and pass-signing keys as PKCS#8 PEM, with their public JWKs beside them.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, type PublicJwk, type Signer, signerFromPkcs8 } from '../shared/keys.ts';

export const KEY_FILES = {
  rootKey: 'root.pem',
  rootJwk: 'root.jwk',
  signingKey: 'signing.pem',
  jwks: 'jwks.json',
} as const;

/** A file the user named is missing, unreadable or not what it should be; the message is one line. */
export class FileError extends Error {
  override name = 'FileError';
}

export interface KeyDir {
  root: Signer;
  signing: Signer;
  /** Every public pass-signing key still published, the current one first. */
  jwks: { keys: PublicJwk[] };
}

/** Creates a trust root and a pass-signing key in `dir`; refuses to overwrite keys that exist. */
export async function initKeyDir(dir: string): Promise<KeyDir> {
  for (const file of [KEY_FILES.rootKey, KEY_FILES.signingKey]) {
    if (existsSync(join(dir, file)))
      throw new FileError(`${join(dir, file)} already exists: refusing to overwrite keys`);
  }
  mkdirSync(dir, { recursive: true });
  const root = await generateSigningKey();
  const signing = await generateSigningKey();
  writePrivate(join(dir, KEY_FILES.rootKey), root.pkcs8Pem);
  writePrivate(join(dir, KEY_FILES.signingKey), signing.pkcs8Pem);
  writeFileSync(join(dir, KEY_FILES.rootJwk), `${JSON.stringify(root.publicJwk, null, 2)}\n`);
  writeFileSync(join(dir, KEY_FILES.jwks), `${JSON.stringify({ keys: [signing.publicJwk] }, null, 2)}\n`);
  return loadKeyDir(dir);
}

function writePrivate(path: string, pem: string): void {
  writeFileSync(path, pem, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export async function loadKeyDir(dir: string): Promise<KeyDir> {
  const root = await signerFromPkcs8(readText(join(dir, KEY_FILES.rootKey)));
  const signing = await signerFromPkcs8(readText(join(dir, KEY_FILES.signingKey)));
  const jwks = existsSync(join(dir, KEY_FILES.jwks))
    ? (readJson(join(dir, KEY_FILES.jwks)) as { keys: PublicJwk[] })
    : { keys: [] };
  const others = jwks.keys.filter((k) => k.kid !== signing.kid);
  return { root, signing, jwks: { keys: [signing.publicJwk, ...others] } };
}

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code})`);
  }
}

export function readJson(path: string): unknown {
  const text = readText(path);
  try {
    return JSON.parse(text);
  } catch {
    throw new FileError(`${path}: not valid JSON`);
  }
}
