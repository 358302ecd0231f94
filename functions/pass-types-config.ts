// The pass types in force, read once per container from the built-in list and `PASS_TYPES`: the one loader, used
// by the groups that apply the rules (applications, approvals), so the others never load the schema library.
import { PASS_TYPES, type PassType } from '../shared/domain/pass-types.ts';
import { loadPassTypes } from '../shared/domain/pass-types-config.ts';
import { ConfigError } from './config.ts';

/** The built-in pass types with `PASS_TYPES` (JSON) applied, so ops can phase one out; a bad value fails the cold start. */
export function loadPassTypesConfig(env: Record<string, string | undefined>): readonly PassType[] {
  if (!env.PASS_TYPES) return PASS_TYPES;
  let overrides: unknown;
  try {
    overrides = JSON.parse(env.PASS_TYPES);
  } catch {
    throw new ConfigError('PASS_TYPES is not valid JSON');
  }
  const loaded = loadPassTypes(overrides);
  if (!loaded.ok) throw new ConfigError(`PASS_TYPES: ${loaded.errors.join('; ')}`);
  return loaded.passTypes;
}
