// Function configuration, read from the environment once at start-up; a missing setting fails the cold start.
import { loadPassTypes, PASS_TYPES, type PassType } from '../shared/domain/pass-types.ts';
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
  /** The pass types in force: the built-in ones with `PASS_TYPES` (JSON) applied, so ops can phase one out. */
  passTypes: readonly PassType[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
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
  let passTypes = PASS_TYPES;
  if (env.PASS_TYPES) {
    let overrides: unknown;
    try {
      overrides = JSON.parse(env.PASS_TYPES);
    } catch {
      throw new ConfigError('PASS_TYPES is not valid JSON');
    }
    const loaded = loadPassTypes(overrides);
    if (!loaded.ok) throw new ConfigError(`PASS_TYPES: ${loaded.errors.join('; ')}`);
    passTypes = loaded.passTypes;
  }
  return {
    tableName,
    passKeyIds,
    bundleValidityHours: hours,
    passTypes,
    ...(env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: env.DYNAMODB_ENDPOINT } : {}),
    ...(env.KEY_DIR ? { keyDir: env.KEY_DIR } : {}),
    ...(env.ROOT_KEY_ID ? { rootKeyId: env.ROOT_KEY_ID } : {}),
  };
}
