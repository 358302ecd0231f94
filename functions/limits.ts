// Time limits the functions and the stack that deploys them share: the function timeout, the AWS SDK's timeouts
// and attempts, which must end inside it, and how long a trust bundle is reused. No CDK here, so a Lambda bundle
// can import it.

/** API Gateway gives up after 30 s; a request that needs more than 10 s has a problem a retry will not fix. */
export const FUNCTION_TIMEOUT_SECONDS = 10;

/**
 * Every AWS SDK call a function makes (DynamoDB, KMS, Cognito) gives up within these. Without them the SDK waits
 * for a stalled connection as long as the function lives, so a brief network fault becomes a Lambda timeout: no
 * problem+json, no retry, and an Errors alarm instead of a handled 503. Worst case, every attempt connects in
 * just under 1 s and waits 2 s for an answer: 3 × 3 s = 9 s, with the retry back-off, inside the 10 s timeout.
 * DynamoDB and KMS answer in milliseconds, so 2 s is far beyond a healthy call.
 */
export const SDK_LIMITS = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  maxAttempts: 3,
} as const;

/**
 * The SDK limits of the batch jobs (the deliverer, the daily export, the sweeps): no caller waits on them, they
 * run for minutes, and a slow moment of DynamoDB or S3 under their own load must cost a retry, not the run. An
 * S3 part (8 MB) or a 1 MB Query page under a busy machine takes seconds, so 30 s per attempt; eight attempts
 * with the SDK's exponential back-off (with jitter) ride out a throttling burst. Their own work is bounded in
 * concurrency (BATCH_CONCURRENCY), so these sockets are never all asked for at once.
 */
export const BATCH_SDK_LIMITS = {
  connectionTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  maxAttempts: 8,
} as const;

/** Requests a batch job has in flight at once against one service (BatchGetItem, Query pages, S3 parts). */
export const BATCH_CONCURRENCY = 8;

export type SdkLimits = { readonly [K in keyof typeof SDK_LIMITS]: number };

/**
 * How long a signed bundle is served again, by default. Not longer: a device measures its clock against the
 * bundle's `iat` and warns when they differ by more than 5 minutes, so a bundle served a minute after it was signed
 * reads to the device as a clock up to a minute fast. A minute keeps that error well inside the warning's margin,
 * and still turns a flood of downloads into one signature a minute per (kind, since, version).
 */
export const DEFAULT_BUNDLE_REFRESH_SECONDS = 60;
/** Past this the error a reused bundle adds to the device's clock check nears its 5-minute warning. */
export const MAX_BUNDLE_REFRESH_SECONDS = 240;
