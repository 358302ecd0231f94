// The one place that sets how every AWS SDK client of a function talks to AWS: its timeouts and attempts.
import type { NodeHttpHandlerOptions } from '@smithy/types';
import { BATCH_CONCURRENCY, BATCH_SDK_LIMITS, SDK_LIMITS, type SdkLimits } from './limits.ts';

export interface SdkClientOptions {
  /**
   * Options, not a NodeHttpHandler instance: the client builds its own default handler from them, so a bundle
   * carries no second import of @smithy/node-http-handler and none of its own version of it.
   */
  requestHandler: NodeHttpHandlerOptions;
  maxAttempts: number;
}

/** Client options for DynamoDB, KMS and Cognito clients built in a Lambda container. */
export function sdkClientOptions(limits: SdkLimits = SDK_LIMITS): SdkClientOptions {
  return {
    maxAttempts: limits.maxAttempts,
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Without it a request over its timeout is only logged as a warning and goes on waiting.
      throwOnRequestTimeout: true,
    },
  };
}

/**
 * Client options for the batch jobs (deliverer, exporter, sweeps): their own longer timeouts and more attempts
 * (functions/limits.ts), and a socket pool sized to the concurrency they use, with room for a retry.
 */
export function batchSdkClientOptions(limits: SdkLimits = BATCH_SDK_LIMITS): SdkClientOptions {
  const base = sdkClientOptions(limits);
  return {
    ...base,
    requestHandler: {
      ...base.requestHandler,
      httpsAgent: { keepAlive: true, maxSockets: BATCH_CONCURRENCY * 4 },
    },
  };
}
