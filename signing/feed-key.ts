// The feed-signing key, apart from the pass and root keys: KMS in AWS, `feed.pem` in the key directory locally.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { sdkClientOptions } from '../functions/sdk-options.ts';
import { generateSigningKey, type PublicJwk, type Signer, signerFromPkcs8 } from '../shared/keys.ts';
import { readText } from './key-dir.ts';
import { kmsPublicKey, kmsSigner } from './kms-signer.ts';

export const FEED_KEY_FILE = 'feed.pem';

export interface FeedSigning {
  /** The key that signs feed batches. */
  signer(): Promise<Signer>;
  /** What receivers verify batches with: the feed key's public JWK. */
  publicKeys(): Promise<PublicJwk[]>;
}

/**
 * A key directory made before the feed existed has no feed key: one is made on first use, readable only by its
 * owner, as the other private keys are. Of two processes racing, the second finds the file and uses it.
 */
export async function loadFeedKey(dir: string): Promise<Signer> {
  const path = join(dir, FEED_KEY_FILE);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const key = await generateSigningKey();
    try {
      writeFileSync(path, key.pkcs8Pem, { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return signerFromPkcs8(readText(path));
}

/** Lazily and once per container, as signingFromConfig does for the other keys. */
export function feedSigningFromConfig(config: { keyDir?: string; feedKeyId?: string }): FeedSigning {
  let loaded: Promise<Signer> | undefined;
  let client: KMSClient | undefined;
  const signer = () => {
    loaded ??= (async () => {
      if (config.keyDir) return loadFeedKey(config.keyDir);
      if (!config.feedKeyId) throw new Error('FEED_KEY_ID is not set');
      client ??= new KMSClient(sdkClientOptions());
      return kmsSigner(client, config.feedKeyId);
    })().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
  return {
    signer,
    async publicKeys() {
      if (!config.keyDir && config.feedKeyId) {
        client ??= new KMSClient(sdkClientOptions());
        return [await kmsPublicKey(client, config.feedKeyId)];
      }
      return [(await signer()).publicJwk];
    },
  };
}
