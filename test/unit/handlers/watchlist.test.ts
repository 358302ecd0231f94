// The watchlist route group through its Lambda handler: supervisors write the FIA list, officers read it.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createWatchlistHandler } from '../../../functions/api/watchlist.ts';
import type { HttpHandler } from '../../../functions/http/event.ts';
import type { Actor } from '../../../functions/store/records.ts';
import { TABLE_NAME } from './environment.ts';
import { httpEvent, invoke, type RequestOptions, signedInAs } from './events.ts';
import { auditPut, CNIC, NOW, transactionCancelled } from './records.ts';
import { handlerTestbed } from './testbed.ts';

let handler: HttpHandler;
const { dynamo } = await handlerTestbed((deps) => {
  handler = createWatchlistHandler(deps);
});

const applicant = signedInAs('applicant', 'resident-1');
const officer = signedInAs('fia-officer', 'officer-1');
const supervisor = signedInAs('fia-supervisor', 'supervisor-1');
const supervisorActor: Actor = { sub: 'supervisor-1', role: 'fia-supervisor' };
const otherSupervisor = signedInAs('fia-supervisor', 'supervisor-2');
const otherSupervisorActor: Actor = { sub: 'supervisor-2', role: 'fia-supervisor' };
const AT = NOW.toISOString();
const WATCH_KEY = { PK: `WATCH#${CNIC}`, SK: 'WATCH' };
const entry = {
  cnic: CNIC,
  reason: 'Known facilitator on the Taftan route.',
  category: 'trafficking',
  addedBy: supervisorActor,
  addedAt: '2026-01-05T09:00:00.000Z',
};

const call = (routeKey: string, as: RequestOptions['as'], cnic = '54101-1234567-3', body?: unknown) =>
  invoke(handler, httpEvent(routeKey, { as, pathParameters: { cnic }, ...(body ? { body } : {}) }));
const put = (as: RequestOptions['as'], body: unknown = { reason: entry.reason, category: entry.category }) =>
  call('PUT /watchlist/{cnic}', as, '54101-1234567-3', body);

const listed = () =>
  dynamo.on(GetCommand, { Key: WATCH_KEY }).resolves({ Item: { ...WATCH_KEY, kind: 'WATCH', ...entry } });

describe('GET /watchlist/{cnic}', () => {
  it('gives an FIA officer the entry, looked up by the 13-digit CNIC', async () => {
    listed();

    const reply = await call('GET /watchlist/{cnic}', officer);

    expect(reply.status).toBe(200);
    expect(reply.json).toEqual(entry);
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(GetCommand, {
      TableName: TABLE_NAME,
      Key: WATCH_KEY,
    });
  });

  it('finds the same entry when the CNIC is written without dashes', async () => {
    listed();

    const reply = await call('GET /watchlist/{cnic}', officer, CNIC);

    expect(reply.status).toBe(200);
  });

  it('answers 404 for a CNIC that is not on the list', async () => {
    const reply = await call('GET /watchlist/{cnic}', officer);

    expect(reply.status).toBe(404);
  });

  it('refuses a malformed CNIC with 400 on the cnic field and reads nothing', async () => {
    const reply = await call('GET /watchlist/{cnic}', officer, '54101-1234567');

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field: 'cnic', message: expect.any(String) }]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it("refuses a CNIC holding a literal '%' with 400 rather than failing", async () => {
    const reply = await call('GET /watchlist/{cnic}', officer, '54101-1234567-%');

    expect(reply.status).toBe(400);
  });

  it('refuses an applicant, who must not learn of the list, with 403 and reads nothing', async () => {
    const reply = await call('GET /watchlist/{cnic}', applicant);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

describe('PUT /watchlist/{cnic}', () => {
  const addition = {
    Put: {
      TableName: TABLE_NAME,
      Item: { ...WATCH_KEY, kind: 'WATCH', ...entry, addedBy: otherSupervisorActor, addedAt: AT },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
  const change = {
    Put: {
      TableName: TABLE_NAME,
      Item: {
        ...WATCH_KEY,
        kind: 'WATCH',
        ...entry,
        reason: 'Blacklisted by court order.',
        category: 'blacklisted',
        updatedBy: otherSupervisorActor,
        updatedAt: AT,
      },
      ConditionExpression: '#addedAt = :addedAt',
      ExpressionAttributeNames: { '#addedAt': 'addedAt' },
      ExpressionAttributeValues: { ':addedAt': entry.addedAt },
    },
  };
  const changed = { reason: 'Blacklisted by court order.', category: 'blacklisted' };

  it('adds a CNIC with 201: the entry, conditioned on there being none, and a WATCHLIST_ADDED audit item', async () => {
    const reply = await put(otherSupervisor);

    expect(reply.status).toBe(201);
    expect(reply.json).toEqual({ ...entry, addedBy: otherSupervisorActor, addedAt: AT });
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(TransactWriteCommand, {
      TransactItems: [
        addition,
        auditPut(WATCH_KEY.PK, otherSupervisorActor, 'WATCHLIST_ADDED', { category: 'trafficking' }),
      ],
    });
  });

  it('changes a listed CNIC with 200, keeping who listed it first, audited as WATCHLIST_UPDATED', async () => {
    listed();

    const reply = await put(otherSupervisor, changed);

    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ ...entry, ...changed, updatedBy: otherSupervisorActor, updatedAt: AT });
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(TransactWriteCommand, {
      TransactItems: [
        change,
        auditPut(WATCH_KEY.PK, otherSupervisorActor, 'WATCHLIST_UPDATED', { category: 'blacklisted' }),
      ],
    });
  });

  it('reads the entry strongly consistent before deciding between an addition and a change', async () => {
    await put(supervisor);

    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: WATCH_KEY, ConsistentRead: true });
  });

  it('retries an addition that lost to another as a change, with 200 and WATCHLIST_UPDATED', async () => {
    dynamo
      .on(GetCommand, { Key: WATCH_KEY })
      .resolvesOnce({})
      .resolves({ Item: { ...WATCH_KEY, kind: 'WATCH', ...entry } });
    dynamo.on(TransactWriteCommand).rejectsOnce(transactionCancelled()).resolves({});

    const reply = await put(otherSupervisor, changed);

    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ addedBy: supervisorActor, addedAt: entry.addedAt });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(dynamo).toHaveReceivedNthCommandWith(TransactWriteCommand, 2, {
      TransactItems: [
        change,
        auditPut(WATCH_KEY.PK, otherSupervisorActor, 'WATCHLIST_UPDATED', { category: 'blacklisted' }),
      ],
    });
  });

  it('retries a change whose entry was removed meanwhile as an addition, with 201 and WATCHLIST_ADDED', async () => {
    dynamo
      .on(GetCommand, { Key: WATCH_KEY })
      .resolvesOnce({ Item: { ...WATCH_KEY, kind: 'WATCH', ...entry } })
      .resolves({});
    dynamo.on(TransactWriteCommand).rejectsOnce(transactionCancelled()).resolves({});

    const reply = await put(otherSupervisor);

    expect(reply.status).toBe(201);
    expect(dynamo).toHaveReceivedNthCommandWith(TransactWriteCommand, 2, {
      TransactItems: [
        addition,
        auditPut(WATCH_KEY.PK, otherSupervisorActor, 'WATCHLIST_ADDED', { category: 'trafficking' }),
      ],
    });
  });

  it('answers 503 busy when the entry changes under every attempt', async () => {
    listed();
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled());

    const reply = await put(supervisor);

    expect(reply.status).toBe(503);
    expect(reply.json.type).toBe('urn:rahdari:problem:busy');
  });

  it('refuses an unknown category with 400 and writes nothing', async () => {
    const reply = await put(supervisor, { reason: entry.reason, category: 'suspicious' });

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field: 'category', message: expect.any(String) }]);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses a malformed CNIC with 400 and writes nothing', async () => {
    const reply = await call('PUT /watchlist/{cnic}', supervisor, '0410112345673', {
      reason: entry.reason,
      category: entry.category,
    });

    expect(reply.status).toBe(400);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses an FIA officer with 403 and sends nothing', async () => {
    const reply = await put(officer);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

describe('DELETE /watchlist/{cnic}', () => {
  it('removes a CNIC with 204: a Delete conditioned on the entry existing, and a WATCHLIST_REMOVED audit item', async () => {
    const reply = await call('DELETE /watchlist/{cnic}', supervisor);

    expect(reply.status).toBe(204);
    expect(reply.body).toBe('');
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(TransactWriteCommand, {
      TransactItems: [
        { Delete: { TableName: TABLE_NAME, Key: WATCH_KEY, ConditionExpression: 'attribute_exists(PK)' } },
        auditPut(WATCH_KEY.PK, supervisorActor, 'WATCHLIST_REMOVED'),
      ],
    });
  });

  it('answers 404 when the CNIC is not on the list', async () => {
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled());

    const reply = await call('DELETE /watchlist/{cnic}', supervisor);

    expect(reply.status).toBe(404);
  });

  it('refuses an FIA officer with 403 and sends nothing', async () => {
    const reply = await call('DELETE /watchlist/{cnic}', officer);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});
