// Function configuration: what a cold start accepts from the environment and what it refuses at once.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/config.ts';
import { loadPassTypesConfig } from '../../functions/pass-types-config.ts';

const base = { TABLE_NAME: 'rahdari', KEY_DIR: '/tmp/keys' };

describe('loadConfig', () => {
  it('needs a table', () => {
    expect(() => loadConfig({ KEY_DIR: '/tmp/keys' })).toThrow(ConfigError);
  });

  it('needs local keys or both KMS key settings', () => {
    expect(() => loadConfig({ TABLE_NAME: 't', PASS_KEY_IDS: 'k1' })).toThrow(/ROOT_KEY_ID/);
    expect(loadConfig({ TABLE_NAME: 't', PASS_KEY_IDS: 'k1, k0', ROOT_KEY_ID: 'r' }).passKeyIds).toEqual([
      'k1',
      'k0',
    ]);
  });

  it('uses the built-in pass types unless PASS_TYPES overrides them', () => {
    expect(loadPassTypesConfig(base).map((t) => t.code)).toContain('RAHDARI');
  });

  it('lets ops end a pass type by configuration', () => {
    const ended = loadPassTypesConfig({
      ...base,
      PASS_TYPES: JSON.stringify([{ ...rahdari(), effectiveUntil: '2026-06-30' }]),
    });
    expect(ended.find((t) => t.code === 'RAHDARI')?.effectiveUntil).toBe('2026-06-30');
  });

  it('refuses a PASS_TYPES that is not JSON or not valid, naming the problem', () => {
    expect(() => loadPassTypesConfig({ ...base, PASS_TYPES: '[{' })).toThrow('PASS_TYPES is not valid JSON');
    expect(() =>
      loadPassTypesConfig({ ...base, PASS_TYPES: JSON.stringify([{ ...rahdari(), maxValidityDays: 0 }]) }),
    ).toThrow(/^PASS_TYPES: 0\/maxValidityDays: /);
  });

  it('refuses a bundle validity that is not a positive number', () => {
    expect(() => loadConfig({ ...base, BUNDLE_VALIDITY_HOURS: 'soon' })).toThrow(/BUNDLE_VALIDITY_HOURS/);
  });
});

function rahdari() {
  return {
    code: 'RAHDARI',
    name: 'Rahdari',
    kind: 'bp',
    effectiveFrom: '2024-01-01',
    maxValidityDays: 365,
    eligibleDistricts: ['CHAGAI'],
    allowedPoints: { CHAGAI: ['TFT'] },
  };
}
