// The pass types a function applies, read once at cold start from the built-in list and `PASS_TYPES`.
import { PASS_TYPES, type PassType } from '../shared/domain/pass-types.ts';
import { loadPassTypes } from '../shared/domain/pass-types-config.ts';
import { ConfigError, passTypesOverrides } from './config.ts';

/**
 * The pass types in force: the built-in ones with `PASS_TYPES` (JSON) applied, so ops can phase one out.
 * Read only by the functions that apply the rules, so the others never load the schema library.
 */
export function loadPassTypesConfig(
  env: Record<string, string | undefined> = process.env,
): readonly PassType[] {
  const overrides = passTypesOverrides(env);
  if (overrides === undefined) return PASS_TYPES;
  const loaded = loadPassTypes(overrides);
  if (!loaded.ok) throw new ConfigError(`PASS_TYPES: ${loaded.errors.join('; ')}`);
  return loaded.passTypes;
}
