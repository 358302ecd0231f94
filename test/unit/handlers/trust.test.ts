// The trust route group through its Lambda handler: the public JWKS and the root-signed trust bundle, full or delta.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTrustHandler } from '../../../functions/api/trust.ts';
import type { HttpHandler } from '../../../functions/http/event.ts';
import { type TrustBundle, verifyTrustBundle } from '../../../shared/trust-bundle.ts';
import { TABLE_NAME } from './environment.ts';
import { httpEvent, invoke, type RequestOptions, signedInAs } from './events.ts';
import { NOW } from './records.ts';
import { handlerTestbed } from './testbed.ts';

let handler: HttpHandler;
const { environment, dynamo } = await handlerTestbed((deps) => {
  handler = createTrustHandler(deps);
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
