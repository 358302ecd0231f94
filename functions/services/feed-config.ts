// The feed's settings from the environment: where batches go, with what credential, signed by which key.
import { ConfigError } from '../config.ts';

export interface FeedConfig {
  /** The Ministry's HTTPS endpoint; unset locally, where batches go to `outboxDir`. */
  endpoint?: string;
  /** SSM parameter holding the endpoint (AWS), read through a cache so a change reaches warm containers. */
  endpointParameter?: string;
  /** Secrets Manager secret holding the endpoint's bearer secret (AWS). */
  credentialSecret?: string;
  /** The bearer secret itself (local runs only; never set in AWS, where it would sit in plain configuration). */
  credential?: string;
  /** KMS key of the feed-signing key (AWS); locally the key directory's feed.pem. */
  feedKeyId?: string;
  keyDir?: string;
  outboxDir?: string;
  /** One POST that takes longer is abandoned. */
  requestTimeoutMs: number;
  /** The daily export's bucket. */
  exportBucket?: string;
}

export function loadFeedConfig(env: Record<string, string | undefined>): FeedConfig {
  const timeout = Number(env.FIA_TIMEOUT_MS ?? '10000');
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 120_000) {
    throw new ConfigError('FIA_TIMEOUT_MS must be a number of milliseconds above 0 and at most 120000');
  }
  if (env.FIA_ENDPOINT) {
    let url: URL;
    try {
      url = new URL(env.FIA_ENDPOINT);
    } catch {
      throw new ConfigError('FIA_ENDPOINT is not a URL');
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    // A batch carries CNICs: it travels over TLS, except to a receiver on this very machine.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new ConfigError('FIA_ENDPOINT must be an https:// URL (http:// only to a loopback receiver)');
    }
  }
  if (!env.KEY_DIR && !env.FEED_KEY_ID)
    throw new ConfigError('set KEY_DIR (local keys) or FEED_KEY_ID (KMS)');
  return {
    requestTimeoutMs: timeout,
    ...(env.FIA_ENDPOINT ? { endpoint: env.FIA_ENDPOINT } : {}),
    ...(env.FIA_ENDPOINT_PARAMETER ? { endpointParameter: env.FIA_ENDPOINT_PARAMETER } : {}),
    ...(env.FIA_CREDENTIAL_SECRET ? { credentialSecret: env.FIA_CREDENTIAL_SECRET } : {}),
    ...(env.FIA_CREDENTIAL ? { credential: env.FIA_CREDENTIAL } : {}),
    ...(env.FEED_KEY_ID ? { feedKeyId: env.FEED_KEY_ID } : {}),
    ...(env.KEY_DIR ? { keyDir: env.KEY_DIR } : {}),
    ...(env.OUTBOX_DIR ? { outboxDir: env.OUTBOX_DIR } : {}),
    ...(env.EXPORT_BUCKET ? { exportBucket: env.EXPORT_BUCKET } : {}),
  };
}
