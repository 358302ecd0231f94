// Function configuration, read from the environment once at start-up; a missing setting fails the cold start.
import { DEFAULT_BUNDLE_REFRESH_SECONDS, MAX_BUNDLE_REFRESH_SECONDS } from './limits.ts';

export interface Config {
  tableName: string;
  /** DynamoDB Local endpoint; unset in AWS. */
  dynamodbEndpoint?: string;
  /** Local key directory (PKCS#8 files); unset in AWS, where KMS keys sign. */
  keyDir?: string;
  /** KMS key ids: the first signs passes, the rest are retired keys still published until their passes expire. */
  passKeyIds: string[];
  rootKeyId?: string;
  /** How long a trust bundle's revocation list is trusted before a VALID becomes "revocation unknown". */
  bundleValidityHours: number;
  /** How long a signed trust bundle is served again before a new one is signed. */
  bundleRefreshSeconds: number;
  /** The Cognito user pool the accounts group creates applicant accounts in; unset elsewhere. */
  userPoolId?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new ConfigError('TABLE_NAME is not set');
  const passKeyIds = (env.PASS_KEY_IDS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!env.KEY_DIR && (passKeyIds.length === 0 || !env.ROOT_KEY_ID)) {
    throw new ConfigError('set KEY_DIR (local keys) or PASS_KEY_IDS and ROOT_KEY_ID (KMS)');
  }
  const hours = Number(env.BUNDLE_VALIDITY_HOURS ?? '72');
  if (!Number.isFinite(hours) || hours <= 0)
    throw new ConfigError('BUNDLE_VALIDITY_HOURS must be a positive number');
  const refresh = Number(env.BUNDLE_REFRESH_SECONDS ?? DEFAULT_BUNDLE_REFRESH_SECONDS);
  if (!Number.isFinite(refresh) || refresh <= 0 || refresh > MAX_BUNDLE_REFRESH_SECONDS) {
    // A device checks its clock against a bundle's iat: a bundle served much later would make it warn falsely.
    throw new ConfigError(
      `BUNDLE_REFRESH_SECONDS must be a number of seconds above 0 and at most ${MAX_BUNDLE_REFRESH_SECONDS}`,
    );
  }
  return {
    tableName,
    passKeyIds,
    bundleValidityHours: hours,
    bundleRefreshSeconds: refresh,
    ...(env.USER_POOL_ID ? { userPoolId: env.USER_POOL_ID } : {}),
    ...(env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: env.DYNAMODB_ENDPOINT } : {}),
    ...(env.KEY_DIR ? { keyDir: env.KEY_DIR } : {}),
    ...(env.ROOT_KEY_ID ? { rootKeyId: env.ROOT_KEY_ID } : {}),
  };
}
