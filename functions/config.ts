// Function configuration, read from the environment once at start-up; a missing setting fails the cold start.

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
  return {
    tableName,
    passKeyIds,
    bundleValidityHours: hours,
    ...(env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: env.DYNAMODB_ENDPOINT } : {}),
    ...(env.KEY_DIR ? { keyDir: env.KEY_DIR } : {}),
    ...(env.ROOT_KEY_ID ? { rootKeyId: env.ROOT_KEY_ID } : {}),
  };
}
