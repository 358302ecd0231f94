// GET /health through its Lambda handler: 200 only when a key read of the table answers, 503 otherwise.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createHealthHandler } from '../../../functions/api/health.ts';
import type { HttpHandler } from '../../../functions/http/event.ts';
import { TABLE_NAME } from './environment.ts';
import { httpEvent, invoke, signedInAs } from './events.ts';
import { handlerTestbed } from './testbed.ts';

let handler: HttpHandler;
const { dynamo } = await handlerTestbed((deps) => {
  handler = createHealthHandler(deps);
});

describe('GET /health', () => {
  it('answers 200 ok when the table answers a read of the revocation head', async () => {
    dynamo.on(GetCommand).resolves({});

    const reply = await invoke(handler, httpEvent('GET /health'));

    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ok' });
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(GetCommand, {
      TableName: TABLE_NAME,
      Key: { PK: 'REVOCATIONS', SK: 'HEAD' },
    });
  });

  it('answers 503 problem+json when the read fails', async () => {
    dynamo.on(GetCommand).rejects(new Error('connect ECONNREFUSED'));

    const reply = await invoke(handler, httpEvent('GET /health'));

    expect(reply.status).toBe(503);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json).toMatchObject({ type: 'urn:rahdari:problem:unavailable', status: 503 });
  });

  it('does not reveal why the store failed', async () => {
    dynamo
      .on(GetCommand)
      .rejects(new Error('AccessDeniedException: arn:aws:dynamodb:me-south-1:111122223333'));

    const reply = await invoke(handler, httpEvent('GET /health'));

    expect(reply.body).not.toContain('AccessDenied');
    expect(reply.body).not.toContain('111122223333');
  });

  it('needs no token, and a token of any role gets the same answer', async () => {
    dynamo.on(GetCommand).resolves({});

    const anonymous = await invoke(handler, httpEvent('GET /health'));
    const signedIn = await invoke(handler, httpEvent('GET /health', { as: signedInAs('moi-analyst') }));

    expect([anonymous.status, signedIn.status]).toEqual([200, 200]);
  });

  it('answers a route key the group does not serve with 404 and reads nothing', async () => {
    const reply = await invoke(handler, httpEvent('GET /healthz'));

    expect(reply.status).toBe(404);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});
