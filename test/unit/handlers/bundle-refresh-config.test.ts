// BUNDLE_REFRESH_SECONDS: how long the trust group serves a signed bundle again, refused at cold start when unsafe.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../functions/config.ts';

const base = { TABLE_NAME: 'rahdari', KEY_DIR: '/keys' };

describe('BUNDLE_REFRESH_SECONDS', () => {
  it('is 60 seconds when unset', () => {
    expect(loadConfig(base).bundleRefreshSeconds).toBe(60);
  });

  it('takes a value up to 240 seconds', () => {
    expect(loadConfig({ ...base, BUNDLE_REFRESH_SECONDS: '240' }).bundleRefreshSeconds).toBe(240);
  });

  it.each(['0', '-5', '241', 'soon', ''])('refuses %j, naming the setting', (value) => {
    expect(() => loadConfig({ ...base, BUNDLE_REFRESH_SECONDS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, BUNDLE_REFRESH_SECONDS: value })).toThrow(/BUNDLE_REFRESH_SECONDS/);
  });
});
