// `rahdari keys init|export-kms`: a local key directory, or the public JWK of a KMS key to pin or publish.
import { writeFileSync } from 'node:fs';
import type { PublicJwk } from '../../shared/keys.ts';
import { FileError, initKeyDir, KEY_FILES } from '../../signing/key-dir.ts';
import { type CliIo, need, parseCommand, UsageError } from '../io.ts';

export async function keysCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'init') return keysInit(rest, io);
  if (sub === 'export-kms') return keysExportKms(rest, io);
  throw new UsageError('keys takes init or export-kms');
}

async function keysInit(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(args, { dir: { type: 'string' } });
  const dir = need(values.dir, '--dir');
  const keys = await initKeyDir(dir);
  io.stdout(`trust root ${keys.root.kid} and pass-signing key ${keys.signing.kid} written to ${dir}`);
  io.stdout(`publish ${dir}/${KEY_FILES.jwks}; pin ${dir}/${KEY_FILES.rootJwk} on checkpoint devices`);
  return 0;
}

/** The public JWK of a KMS key (the trust root in AWS), for pinning on checkpoint devices or publishing. */
async function keysExportKms(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(args, {
    'key-id': { type: 'string' },
    out: { type: 'string' },
    region: { type: 'string' },
  });
  const keyId = need(values['key-id'], '--key-id');
  const out = need(values.out, '--out');
  // Loaded only here: the other commands never pay for the AWS SDK.
  const [{ KMSClient }, { kmsPublicKey }] = await Promise.all([
    import('@aws-sdk/client-kms'),
    import('../../signing/kms-signer.ts'),
  ]);
  const client = new KMSClient(values.region ? { region: values.region } : {});
  let jwk: PublicJwk;
  try {
    jwk = await kmsPublicKey(client, keyId);
  } catch (error) {
    throw new FileError(`KMS key ${keyId}: ${(error as Error).message.split('\n')[0]}`);
  }
  writeFileSync(out, `${JSON.stringify(jwk, null, 2)}\n`);
  io.stdout(`public key ${jwk.kid} of ${keyId} written to ${out}`);
  return 0;
}
