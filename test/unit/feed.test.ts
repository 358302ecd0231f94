// The feed's pure parts: back-off with jitter, which stream records wake the deliverer, the configuration's
// refusals, the signed batch's header, the record order, and the export's stable gzip and its day.
import { gunzipSync } from 'node:zlib';
import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/config.ts';
import { gzipStable, yesterdayInPakistan } from '../../functions/services/export.ts';
import { backoffMs, DEFAULT_DELIVERY_POLICY, signBatch } from '../../functions/services/feed.ts';
import { loadFeedConfig } from '../../functions/services/feed-config.ts';
import { wakesDeliverer } from '../../functions/services/feed-handler.ts';
import { compareRecords, type FeedRecord, toNdjson } from '../../shared/feed-records.ts';
import { generateSigningKey, signerFromPkcs8 } from '../../shared/keys.ts';

describe('back-off', () => {
  const policy = DEFAULT_DELIVERY_POLICY;

  it('waits between half and all of a step that doubles with each attempt', () => {
    expect(backoffMs(policy, 1, () => 0)).toBe(1_000);
    expect(backoffMs(policy, 1, () => 1)).toBe(2_000);
    expect(backoffMs(policy, 4, () => 0)).toBe(8_000);
    expect(backoffMs(policy, 4, () => 1)).toBe(16_000);
  });

  it('never waits longer than the cap', () => {
    expect(backoffMs(policy, 40, () => 1)).toBe(policy.maxDelayMs);
  });
});

describe('what wakes the deliverer', () => {
  const record = (gsi1pk?: string) => ({
    eventName: 'INSERT',
    dynamodb: { NewImage: gsi1pk ? { GSI1PK: { S: gsi1pk } } : { PK: { S: 'APP#1' } } },
  });

  it('wakes for a stream page holding a new pending entry', () => {
    expect(wakesDeliverer({ Records: [record(), record('FEED#PENDING')] })).toBe(true);
  });

  it('stays asleep for a page of other writes, its own included', () => {
    expect(wakesDeliverer({ Records: [record(), record('FEEDSENT#01ARZ3NDEKTSV4RRFFQ69G5FAV')] })).toBe(
      false,
    );
  });

  it('always runs on a scheduled event', () => {
    expect(wakesDeliverer({ source: 'aws.scheduler' })).toBe(true);
  });
});

describe('feed configuration', () => {
  it('refuses a plain-HTTP endpoint that is not on this machine', () => {
    expect(() => loadFeedConfig({ KEY_DIR: 'k', FIA_ENDPOINT: 'http://fia.example.pk/feed' })).toThrow(
      ConfigError,
    );
  });

  it('takes an HTTPS endpoint, or HTTP to a loopback receiver', () => {
    expect(loadFeedConfig({ KEY_DIR: 'k', FIA_ENDPOINT: 'https://fia.example.pk/feed' }).endpoint).toBe(
      'https://fia.example.pk/feed',
    );
    expect(loadFeedConfig({ KEY_DIR: 'k', FIA_ENDPOINT: 'http://127.0.0.1:9/feed' }).endpoint).toBeDefined();
  });

  it('refuses a timeout that is not a positive number of milliseconds, and a run with no feed key', () => {
    expect(() => loadFeedConfig({ KEY_DIR: 'k', FIA_TIMEOUT_MS: '0' })).toThrow(ConfigError);
    expect(() => loadFeedConfig({ KEY_DIR: 'k', FIA_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
    expect(() => loadFeedConfig({})).toThrow(ConfigError);
  });
});

describe('a signed batch', () => {
  it('verifies as ES256 with its typ, kid and the delivery id in the protected header', async () => {
    const key = await generateSigningKey();
    const signer = await signerFromPkcs8(key.pkcs8Pem);
    const jws = await signBatch(signer, '01ARZ3NDEKTSV4RRFFQ69G5FAV', '{"type":"crossing","id":"a"}\n');
    const { payload, protectedHeader } = await compactVerify(jws, await importJWK(key.publicJwk, 'ES256'), {
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toEqual({
      alg: 'ES256',
      kid: signer.kid,
      typ: 'rahdari-feed+jws',
      delivery: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    });
    expect(new TextDecoder().decode(payload)).toBe('{"type":"crossing","id":"a"}\n');
  });
});

describe('records and the export', () => {
  it('orders records by type as documented, then by id, one line each', () => {
    const records = [
      { type: 'pass-issued', id: 'BP-2026-000002:issued' },
      { type: 'crossing', id: 'B' },
      { type: 'anomaly', id: 'A:DOUBLE_OUT' },
      { type: 'crossing', id: 'A' },
    ] as unknown as FeedRecord[];
    const sorted = [...records].sort(compareRecords);
    expect(sorted.map((r) => r.id)).toEqual(['A', 'B', 'A:DOUBLE_OUT', 'BP-2026-000002:issued']);
    expect(toNdjson(sorted).split('\n')).toHaveLength(5);
  });

  it('gzips the same text to the same bytes every time, without a name or a time', () => {
    const text = toNdjson([{ type: 'crossing', id: 'A' } as unknown as FeedRecord]);
    const first = gzipStable(text);
    expect(gzipStable(text).equals(first)).toBe(true);
    // RFC 1952: FLG (byte 3) has no FNAME, MTIME (bytes 4-7) is zero.
    expect(first[3]).toBe(0);
    expect(first.readUInt32LE(4)).toBe(0);
    expect(gunzipSync(first).toString()).toBe(text);
  });

  it('takes yesterday in Pakistan, which turns at 19:00 UTC', () => {
    expect(yesterdayInPakistan(new Date('2026-12-02T18:59:00Z'))).toBe('2026-12-01');
    expect(yesterdayInPakistan(new Date('2026-12-02T19:00:00Z'))).toBe('2026-12-02');
  });
});
