// The trust route group through its Lambda handler: the public JWKS and the root-signed trust bundle, full or delta.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTrustHandler } from '../../../functions/api/trust.ts';
import type { HttpHandler } from '../../../functions/http/event.ts';
import { METRIC } from '../../../functions/services/context.ts';
import {
  BUNDLE_CACHE_ENTRIES,
  BundleCache,
  DELTA_WINDOW_VERSIONS,
} from '../../../functions/services/trust-bundles.ts';
import type { Signer } from '../../../shared/keys.ts';
import { type TrustBundle, verifyTrustBundle } from '../../../shared/trust-bundle.ts';
import { signingFromConfig } from '../../../signing/signing.ts';
import { TABLE_NAME } from './environment.ts';
import { httpEvent, invoke, type RequestOptions, signedInAs } from './events.ts';
import { NOW } from './records.ts';
import { handlerTestbed, type UnitDependencies } from './testbed.ts';

let handler: HttpHandler;
let cache: BundleCache;
/** The dependencies the handler was built from last. */
let built: UnitDependencies;
const { environment, dynamo, rebuild, metrics } = await handlerTestbed((deps) => {
  built = deps;
  cache = new BundleCache();
  handler = createTrustHandler({ ...deps, bundleCache: cache });
});

const checkpointOfficer = signedInAs('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
const HEAD_KEY = { PK: 'REVOCATIONS', SK: 'HEAD' };
const IAT = NOW.getTime() / 1000;
const revocation = (version: number, number: string) => ({
  PK: 'REVOCATIONS',
  SK: `V#${String(version).padStart(12, '0')}`,
  kind: 'REVOCATION',
  number,
  at: '2026-03-01T10:00:00.000Z',
  exp: 1780858800,
});

const bundle = (query?: Record<string, string>, as: RequestOptions['as'] = checkpointOfficer) =>
  invoke(handler, httpEvent('GET /trust-bundle', { as, ...(query ? { query } : {}) }));
const headAt = (version: number) =>
  dynamo.on(GetCommand, { Key: HEAD_KEY }).resolves({ Item: { ...HEAD_KEY, version } });

/** The bundle as a checkpoint device accepts it: verified against the pinned root.jwk, or the test fails. */
async function verified(token: string): Promise<TrustBundle> {
  const check = await verifyTrustBundle(token, environment.rootJwk);
  if (!check.ok)
    throw new Error(`the bundle does not verify against root.jwk: ${check.reason} ${check.detail}`);
  return check.bundle;
}

describe('GET /.well-known/jwks.json', () => {
  it('gives anyone the published pass-signing keys, cacheable for five minutes, without reading the table', async () => {
    const reply = await invoke(handler, httpEvent('GET /.well-known/jwks.json'));

    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('public, max-age=300');
    expect(reply.json).toEqual({ keys: environment.passKeys });
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('publishes no private key material', async () => {
    const reply = await invoke(handler, httpEvent('GET /.well-known/jwks.json'));

    expect(reply.json.keys.every((k: Record<string, unknown>) => !('d' in k))).toBe(true);
  });
});

describe('GET /trust-bundle', () => {
  it('signs a full bundle with the root key: every revocation, the pass keys, valid for 72 hours', async () => {
    headAt(2);
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [revocation(1, 'BP-2026-000007'), revocation(2, 'BP-2026-000019')] });

    const reply = await bundle();

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/jwt');
    expect(await verified(reply.body)).toEqual({
      iss: 'rahdari',
      iat: IAT,
      validUntil: IAT + 72 * 3600,
      keys: environment.passKeys,
      version: 2,
      revoked: ['BP-2026-000007', 'BP-2026-000019'],
    });
  });

  it('is signed under the root kid, not a pass key', async () => {
    const reply = await bundle();

    expect(decodeProtectedHeader(reply.body)).toEqual({
      alg: 'ES256',
      kid: environment.rootJwk.kid,
      typ: 'tb+jwt',
    });
  });

  it('reads the revocation list head, then queries the list from version 1', async () => {
    await bundle();

    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(GetCommand, {
      TableName: TABLE_NAME,
      Key: HEAD_KEY,
      ConsistentRead: true,
    });
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(QueryCommand, {
      TableName: TABLE_NAME,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': 'REVOCATIONS', ':from': 'V#000000000001', ':to': 'V#~' },
    });
  });

  it('with ?since= gives a delta of the revocations after that version', async () => {
    headAt(2);
    dynamo
      .on(QueryCommand, { ExpressionAttributeValues: { ':from': 'V#000000000002' } })
      .resolves({ Items: [revocation(2, 'BP-2026-000019')] });

    const reply = await bundle({ since: '1' });

    expect(await verified(reply.body)).toMatchObject({ since: 1, version: 2, revoked: ['BP-2026-000019'] });
  });

  it('with ?since= at the current version gives an empty delta at that version', async () => {
    headAt(2);

    const reply = await bundle({ since: '2' });

    expect(await verified(reply.body)).toMatchObject({ since: 2, version: 2, revoked: [] });
  });

  it('with ?since= beyond any version the server reached gives the full bundle', async () => {
    headAt(2);
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [revocation(1, 'BP-2026-000007'), revocation(2, 'BP-2026-000019')] });

    const reply = await bundle({ since: '9' });

    const full = await verified(reply.body);
    expect(full).not.toHaveProperty('since');
    expect(full).toMatchObject({ version: 2, revoked: ['BP-2026-000007', 'BP-2026-000019'] });
  });

  it('gathers revocations over every page of the list', async () => {
    headAt(3);
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [revocation(1, 'BP-2026-000007'), revocation(2, 'BP-2026-000019')],
        LastEvaluatedKey: { PK: 'REVOCATIONS', SK: 'V#000000000002' },
      })
      .resolves({ Items: [revocation(3, 'BP-2026-000023')] });

    const reply = await bundle();

    expect((await verified(reply.body)).revoked).toEqual([
      'BP-2026-000007',
      'BP-2026-000019',
      'BP-2026-000023',
    ]);
    expect(dynamo).toHaveReceivedNthCommandWith(QueryCommand, 2, {
      ExclusiveStartKey: { PK: 'REVOCATIONS', SK: 'V#000000000002' },
    });
  });

  it('refuses a since that is not a version with 400 on the since field and reads nothing', async () => {
    const reply = await bundle({ since: '-1' });

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field: 'since', message: expect.any(String) }]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses an FIA officer with 403 and reads nothing', async () => {
    const reply = await bundle(undefined, signedInAs('fia-officer'));

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses a request without a token with 401 and reads nothing', async () => {
    const reply = await invoke(handler, httpEvent('GET /trust-bundle'));

    expect(reply.status).toBe(401);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

describe('GET /trust-bundle signs rarely', () => {
  /** Every signature the trust root makes, counted where it is made rather than by the code under test. */
  let signatures = 0;
  let now = NOW.getTime();
  const keys = signingFromConfig({ keyDir: environment.keyDir, passKeyIds: [] });
  const countingRoot = async (): Promise<Signer> => {
    const root = await keys.root();
    return {
      kid: root.kid,
      publicJwk: root.publicJwk,
      sign: (input) => {
        signatures += 1;
        return root.sign(input);
      },
    };
  };
  const useCountingSigner = () => {
    signatures = 0;
    now = NOW.getTime();
    rebuild({ clock: () => new Date(now), signing: { ...keys, root: countingRoot } });
  };
  const seconds = (n: number) => {
    now += n * 1000;
  };
  /** Revocation n of the list, and the head at n. */
  const revoked = (upTo: number) => {
    headAt(upTo);
    dynamo.on(QueryCommand).resolves({
      Items: Array.from({ length: upTo }, (_, i) =>
        revocation(i + 1, `BP-2026-${String(i + 1).padStart(6, '0')}`),
      ),
    });
  };

  it('signs one bundle for 100 requests at one revocation version, and serves that same bundle to each', async () => {
    useCountingSigner();
    revoked(2);

    const replies = [];
    for (let i = 0; i < 100; i++) replies.push(await bundle());

    expect(signatures).toBe(1);
    expect(new Set(replies.map((r) => r.body)).size).toBe(1);
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect((await verified(replies[99]?.body ?? '')).revoked).toEqual(['BP-2026-000001', 'BP-2026-000002']);
    expect(metrics().count(METRIC.trustBundlesSigned)).toBe(1);
  });

  it('reads the revocation head on every request but the revocation list only when it signs', async () => {
    useCountingSigner();
    revoked(2);

    for (let i = 0; i < 10; i++) await bundle();

    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 10);
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 1);
  });

  it('shares one signature among requests that arrive while it is being made', async () => {
    useCountingSigner();
    revoked(1);

    const replies = await Promise.all(Array.from({ length: 20 }, () => bundle()));

    expect(signatures).toBe(1);
    expect(new Set(replies.map((r) => r.body)).size).toBe(1);
  });

  it('signs anew on the request after a revocation, and that bundle carries it', async () => {
    useCountingSigner();
    revoked(2);
    const before = await bundle();
    await bundle();
    seconds(1);

    revoked(3);
    const after = await bundle();

    expect(signatures).toBe(2);
    expect(after.body).not.toBe(before.body);
    expect(await verified(after.body)).toMatchObject({ version: 3, iat: IAT + 1 });
    expect((await verified(after.body)).revoked).toContain('BP-2026-000003');
  });

  it('serves a bundle until it is a refresh interval old, then signs one new bundle with the current time', async () => {
    useCountingSigner();
    revoked(2);
    const first = await bundle();

    seconds(59);
    const stillFirst = await bundle();
    seconds(1);
    const renewed = await bundle();
    const renewedAgain = await bundle();

    expect(stillFirst.body).toBe(first.body);
    expect(signatures).toBe(2);
    expect(renewedAgain.body).toBe(renewed.body);
    expect((await verified(renewed.body)).iat).toBe(IAT + 60);
  });

  it('takes its refresh interval from BUNDLE_REFRESH_SECONDS when given no cache', async () => {
    useCountingSigner();
    handler = createTrustHandler({ ...built, bundleRefreshSeconds: 10 });
    revoked(1);
    const first = await bundle();

    seconds(9);
    const cached = await bundle();
    seconds(1);
    const renewed = await bundle();

    expect(cached.body).toBe(first.body);
    expect(renewed.body).not.toBe(first.body);
    expect(signatures).toBe(2);
  });

  it('signs a bundle when the clock steps back, rather than serve one whose iat is in the future', async () => {
    useCountingSigner();
    revoked(1);
    await bundle();

    seconds(-5);
    const reply = await bundle();

    expect(signatures).toBe(2);
    expect((await verified(reply.body)).iat).toBe(IAT - 5);
  });

  it('keeps a delta per since: each is signed once, and a full bundle is another', async () => {
    useCountingSigner();
    headAt(3);
    dynamo.on(QueryCommand).resolves({ Items: [revocation(3, 'BP-2026-000003')] });

    const fromOne = await bundle({ since: '1' });
    const fromTwo = await bundle({ since: '2' });
    const fromOneAgain = await bundle({ since: '1' });
    const fromTwoAgain = await bundle({ since: '2' });
    const full = await bundle();

    expect(signatures).toBe(3);
    expect(fromOneAgain.body).toBe(fromOne.body);
    expect(fromTwoAgain.body).toBe(fromTwo.body);
    expect(await verified(fromOne.body)).toMatchObject({ since: 1, version: 3 });
    expect(await verified(fromTwo.body)).toMatchObject({ since: 2, version: 3 });
    expect(await verified(full.body)).not.toHaveProperty('since');
  });

  it(`gives the full bundle to a since more than ${DELTA_WINDOW_VERSIONS} versions behind, the one everyone else gets`, async () => {
    useCountingSigner();
    const current = DELTA_WINDOW_VERSIONS + 500;
    headAt(current);
    dynamo.on(QueryCommand).resolves({ Items: [revocation(current, 'BP-2026-000042')] });

    const farBehind = await bundle({ since: '499' });
    const full = await bundle();

    expect(await verified(farBehind.body)).not.toHaveProperty('since');
    expect(full.body).toBe(farBehind.body);
    expect(signatures).toBe(1);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':pk': 'REVOCATIONS', ':from': 'V#000000000001', ':to': 'V#~' },
    });
  });

  it(`still gives a delta to a since exactly ${DELTA_WINDOW_VERSIONS} versions behind`, async () => {
    useCountingSigner();
    const current = DELTA_WINDOW_VERSIONS + 500;
    headAt(current);
    dynamo.on(QueryCommand).resolves({ Items: [revocation(current, 'BP-2026-000042')] });

    const reply = await bundle({ since: '500' });

    expect(await verified(reply.body)).toMatchObject({ since: 500, version: current });
  });

  it('forgets a signature that failed, so the next request signs again', async () => {
    let failures = 1;
    rebuild({
      signing: {
        ...keys,
        root: async () => {
          const root = await keys.root();
          return {
            ...root,
            sign: (input: Uint8Array) => {
              if (failures-- > 0) return Promise.reject(new Error('KMS is unavailable'));
              return root.sign(input);
            },
          };
        },
      },
    });

    const failed = await bundle();
    const next = await bundle();

    expect(failed.status).toBe(500);
    expect(next.status).toBe(200);
    expect(cache.size).toBe(1);
  });
});

describe('BundleCache', () => {
  it(`keeps at most ${BUNDLE_CACHE_ENTRIES} bundles, dropping the oldest`, async () => {
    const small = new BundleCache();
    let signed = 0;
    const sign = async () => `bundle-${++signed}`;

    for (let since = 0; since <= BUNDLE_CACHE_ENTRIES; since++) await small.get(`delta:${since}@99`, 0, sign);
    const newest = await small.get(`delta:${BUNDLE_CACHE_ENTRIES}@99`, 0, sign);
    const oldest = await small.get('delta:0@99', 0, sign);

    expect(small.size).toBe(BUNDLE_CACHE_ENTRIES);
    expect(newest).toBe(`bundle-${BUNDLE_CACHE_ENTRIES + 1}`);
    expect(oldest).toBe(`bundle-${BUNDLE_CACHE_ENTRIES + 2}`);
  });
});
