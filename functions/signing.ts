// Where signatures come from: PKCS#8 keys on disk locally, KMS in AWS. Handlers see only Signers and public JWKs.
import { loadKeyDir } from '../cli/key-dir.ts';
import type { PublicJwk, Signer } from '../shared/keys.ts';
import type { Config } from './config.ts';

export interface Signing {
  /** The current pass-signing key. */
  pass(): Promise<Signer>;
  /** The trust root, which signs trust bundles. */
  root(): Promise<Signer>;
  /** Every published pass-signing public key: the current one first, then retired ones. */
  passPublicKeys(): Promise<PublicJwk[]>;
}

/** Resolves keys lazily and once per container: a cold start pays for the key it actually uses. */
export function signingFromConfig(config: Config): Signing {
  const once = <T>(load: () => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => {
      value ??= load().catch((error: unknown) => {
        value = undefined;
        throw error;
      });
      return value;
    };
  };
  if (config.keyDir) {
    const keys = once(() => loadKeyDir(config.keyDir as string));
    return {
      pass: async () => (await keys()).signing,
      root: async () => (await keys()).root,
      passPublicKeys: async () => (await keys()).jwks.keys,
    };
  }
  const kms = once(async () => {
    const [{ KMSClient }, { kmsSigner, kmsPublicKeys }] = await Promise.all([
      import('@aws-sdk/client-kms'),
      import('./kms-signer.ts'),
    ]);
    return { client: new KMSClient({}), kmsSigner, kmsPublicKeys };
  });
  const [current] = config.passKeyIds;
  return {
    pass: once(async () => {
      const { client, kmsSigner } = await kms();
      return kmsSigner(client, current as string);
    }),
    root: once(async () => {
      const { client, kmsSigner } = await kms();
      return kmsSigner(client, config.rootKeyId as string);
    }),
    passPublicKeys: once(async () => {
      const { client, kmsPublicKeys } = await kms();
      return kmsPublicKeys(client, config.passKeyIds);
    }),
  };
}
