// `rahdari trust-bundle`: a root-signed bundle, full or (with --since) a delta, from a local key directory.
import { writeFileSync } from 'node:fs';
import { DEFAULT_BUNDLE_VALIDITY_SECONDS, signTrustBundle } from '../../shared/trust-bundle.ts';
import { FileError, loadKeyDir, readJson, readText } from '../../signing/key-dir.ts';
import { type CliIo, need, parseCommand, seconds, UsageError, wholeNumber } from '../io.ts';

function readRevoked(file: string | undefined): string[] {
  if (!file) return [];
  const text = readText(file).trim();
  if (text.startsWith('[')) {
    const list = readJson(file);
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && x.length > 0)) {
      throw new FileError(`${file}: must be a JSON array of credential numbers`);
    }
    return list;
  }
  return text.split(/\s+/).filter(Boolean);
}

export async function trustBundleCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(args, {
    keys: { type: 'string' },
    revoked: { type: 'string' },
    out: { type: 'string' },
    version: { type: 'string' },
    since: { type: 'string' },
    'valid-days': { type: 'string' },
  });
  const out = need(values.out, '--out');
  const revoked = readRevoked(values.revoked);
  const version = wholeNumber(values.version, '--version', revoked.length);
  const since = values.since === undefined ? undefined : wholeNumber(values.since, '--since', 0);
  if (since !== undefined && since > version)
    throw new UsageError('--since must not be above --version: a delta moves a state forward');
  const keys = await loadKeyDir(need(values.keys, '--keys'));
  const iat = seconds(io.now());
  const validity =
    wholeNumber(values['valid-days'], '--valid-days', DEFAULT_BUNDLE_VALIDITY_SECONDS / 86400) * 86400;
  const token = await signTrustBundle(keys.root, {
    iss: 'rahdari',
    iat,
    validUntil: iat + validity,
    keys: keys.jwks.keys,
    version,
    ...(since === undefined ? {} : { since }),
    revoked,
  });
  writeFileSync(out, `${token}\n`);
  const what = since === undefined ? 'trust bundle' : `delta bundle from version ${since}`;
  io.stdout(
    `${what} at version ${version} with ${keys.jwks.keys.length} key(s) and ${revoked.length} revocation(s) written to ${out}`,
  );
  return 0;
}
