// Time limits the functions and the stack that deploys them share: the function timeout, and the AWS SDK's
// timeouts and attempts, which must end inside it. No CDK here, so a Lambda bundle can import it.

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

export type SdkLimits = { readonly [K in keyof typeof SDK_LIMITS]: number };
