// Where signatures come from: PKCS#8 keys on disk locally, KMS in AWS. Handlers see only Signers and public JWKs.
import { KMSClient } from '@aws-sdk/client-kms';
import { sdkClientOptions } from '../functions/sdk-options.ts';
import type { PublicJwk, Signer } from '../shared/keys.ts';
import { loadKeyDir } from './key-dir.ts';
import { kmsPublicKeys, kmsSigner } from './kms-signer.ts';

export interface Signing {
  /** The current pass-signing key. */
  pass(): Promise<Signer>;
  /** The trust root, which signs trust bundles. */
  root(): Promise<Signer>;
  /** Every published pass-signing public key: the current one first, then retired ones. */
  passPublicKeys(): Promise<PublicJwk[]>;
}

/** Where the keys are: a local key directory, or KMS key ids (the first pass key signs, the rest are retired). */
export interface SigningConfig {
  keyDir?: string;
  passKeyIds: readonly string[];
  rootKeyId?: string;
}

/** Resolves keys lazily and once per container: a cold start pays for the key it actually uses. */
export function signingFromConfig(config: SigningConfig): Signing {
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
  // The client is made on first use, so a container that never signs never builds one.
  let client: KMSClient | undefined;
  const kms = () => {
    client ??= new KMSClient(sdkClientOptions());
    return client;
  };
  const [current] = config.passKeyIds;
  return {
    pass: once(() => kmsSigner(kms(), current as string)),
    root: once(() => kmsSigner(kms(), config.rootKeyId as string)),
    passPublicKeys: once(() => kmsPublicKeys(kms(), config.passKeyIds)),
  };
}
