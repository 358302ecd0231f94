// The applications route group through its Lambda handler, with DynamoDB mocked and the store, rules and signing real.
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createApplicationsHandler } from '../../../functions/api/applications.ts';
import { createApprovalsHandler } from '../../../functions/api/approvals.ts';
import type { HttpHandler } from '../../../functions/http/event.ts';
import type { Actor, Application } from '../../../functions/store/records.ts';
import { trustStoreFromJwks, verifyCredential } from '../../../shared/credential.ts';
import { nameIndexKeys } from '../../../shared/domain/names.ts';
import { findPassType, type PassType } from '../../../shared/domain/pass-types.ts';
import { TABLE_NAME } from './environment.ts';
import { httpEvent, invoke, type RequestOptions, signedInAs } from './events.ts';
import {
  APPLICANT_SUB,
  APPLICATION_ID,
  application,
  applicationBody,
  applicationItem,
  auditPut,
  CNIC,
  NOW,
  pass,
  passItem,
  transactionCancelled,
} from './records.ts';
import { handlerTestbed, type UnitDependencies, writesOf } from './testbed.ts';

/** Each test gets a cold container: the store remembers the pass counter between approvals in a warm one. */
let handler: HttpHandler;
const { environment, dynamo, transaction, rebuild, metrics } = await handlerTestbed((deps) => {
  handler = applicationsAndApprovals(deps);
});

/** The applications and approvals functions behind one dispatcher, as the HTTP API routes them. */
function applicationsAndApprovals(deps: UnitDependencies): HttpHandler {
  const applications = createApplicationsHandler(deps);
  const approvals = createApprovalsHandler(deps);
  return (event, context) =>
    event.routeKey === 'POST /applications/{id}/approve'
      ? approvals(event, context)
      : applications(event, context);
}

const applicant = signedInAs('applicant', APPLICANT_SUB, { cnic: CNIC });
const otherApplicant = signedInAs('applicant', 'resident-2', { cnic: '5220112345678' });
const officer = signedInAs('fia-officer', 'officer-1');
const supervisor = signedInAs('fia-supervisor', 'supervisor-1');
const checkpointOfficer = signedInAs('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
const AT = NOW.toISOString();
const SECOND_ID = '01JNXG5Q8Z3T4W6Y7R9B2C4D7G';
const APP_KEY = { PK: `APP#${APPLICATION_ID}`, SK: 'APP' };
const COUNTER_KEY = { PK: 'COUNTER#BP#2026', SK: 'COUNTER' };

const submit = (options: RequestOptions) => invoke(handler, httpEvent('POST /applications', options));
const read = (as: RequestOptions['as'], id = APPLICATION_ID) =>
  invoke(handler, httpEvent('GET /applications/{id}', { as, pathParameters: { id } }));
const list = (as: RequestOptions['as'], query: Record<string, string> = {}) =>
  invoke(handler, httpEvent('GET /applications', { as, query }));
const approve = (as: RequestOptions['as'], id = APPLICATION_ID) =>
  invoke(handler, httpEvent('POST /applications/{id}/approve', { as, pathParameters: { id } }));
const reject = (as: RequestOptions['as'], body: unknown = { reason: 'Crossing points do not match.' }) =>
  invoke(
    handler,
    httpEvent('POST /applications/{id}/reject', { as, pathParameters: { id: APPLICATION_ID }, body }),
  );

/** The table holds this application under its key. */
const stored = (app: Application) =>
  dynamo.on(GetCommand, { Key: { PK: `APP#${app.id}`, SK: 'APP' } }).resolves({ Item: applicationItem(app) });
const counterAt = (value: number) =>
  dynamo.on(GetCommand, { Key: COUNTER_KEY }).resolves({ Item: { ...COUNTER_KEY, value } });
const onWatchlist = (category: string) =>
  dynamo.on(GetCommand, { Key: { PK: `WATCH#${CNIC}`, SK: 'WATCH' } }).resolves({
    Item: {
      PK: `WATCH#${CNIC}`,
      SK: 'WATCH',
      kind: 'WATCH',
      cnic: CNIC,
      reason: 'Known facilitator on the Taftan route.',
      category,
      addedBy: { sub: 'supervisor-1', role: 'fia-supervisor' },
      addedAt: '2026-01-05T09:00:00.000Z',
    },
  });

describe('POST /applications', () => {
  it('answers 201 with the new application and its location', async () => {
    const reply = await submit({ as: applicant, body: applicationBody() });

    expect(reply.status).toBe(201);
    expect(reply.headers.location).toBe(`/applications/${reply.json.id}`);
    expect(reply.json).toMatchObject({
      status: 'PENDING',
      cnic: '54101-1234567-3',
      crossingPoints: ['TFT', 'RJY'],
    });
  });

  it('looks up the watchlist and the person’s passes before writing; the open-application guard is in the write', async () => {
    await submit({ as: applicant, body: applicationBody() });

    // The watchlist entry, and the reference counter the write claims from.
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 2);
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE_NAME,
      Key: { PK: `WATCH#${CNIC}`, SK: 'WATCH' },
    });
    // One active pass per person and type: their passes, on GSI2, are the only index read.
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND begins_with(GSI2SK, :kind)',
      ExpressionAttributeValues: { ':pk': `CNIC#${CNIC}`, ':kind': 'PASS#' },
    });
  });

  it("stores a clean application as PENDING with its reference, its CNIC's open-application guard, its name index items and its audit item in one transaction", async () => {
    const reply = await submit({ as: applicant, body: applicationBody() });

    const id = reply.json.id as string;
    expect(reply.json.reference).toBe('RA-2026-000001');
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = transaction();
    expect(items.slice(0, 5)).toEqual([
      {
        Put: {
          TableName: TABLE_NAME,
          Item: {
            PK: `APP#${id}`,
            SK: 'APP',
            GSI1PK: 'STATUS#PENDING',
            GSI1SK: `${AT}#${id}`,
            GSI2PK: `CNIC#${CNIC}`,
            GSI2SK: `APP#${AT}`,
            kind: 'APP',
            id,
            reference: 'RA-2026-000001',
            status: 'PENDING',
            passType: 'RAHDARI',
            cnic: CNIC,
            name: 'Abdul Ghafoor Sanjrani',
            fatherName: 'Haji Muhammad Hassan',
            district: 'CHAGAI',
            crossingPoints: ['TFT', 'RJY'],
            validFrom: '2026-03-10',
            validUntil: '2026-06-07',
            applicantSub: APPLICANT_SUB,
            submittedBy: { sub: APPLICANT_SUB, role: 'applicant' },
            createdAt: AT,
            updatedAt: AT,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          TableName: TABLE_NAME,
          Item: { PK: `OPEN#${CNIC}`, SK: 'OPEN', kind: 'OPEN', applicationId: id, createdAt: AT },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Update: expect.objectContaining({
          Key: { PK: 'COUNTER#RA#2026', SK: 'COUNTER' },
          ConditionExpression: 'attribute_not_exists(#v)',
          ExpressionAttributeValues: { ':next': 1 },
        }),
      },
      {
        Put: {
          TableName: TABLE_NAME,
          Item: {
            PK: 'REF#RA-2026-000001',
            SK: 'REF',
            kind: 'REF',
            reference: 'RA-2026-000001',
            applicationId: id,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      auditPut(`APP#${id}`, { sub: APPLICANT_SUB, role: 'applicant' }, 'APPLICATION_SUBMITTED', {
        status: 'PENDING',
        reference: 'RA-2026-000001',
      }),
    ]);
    expect(items.slice(5).map((i) => i.Put?.Item?.PK)).toEqual(
      nameIndexKeys('Abdul Ghafoor Sanjrani').map((key) => `NAME#${key}`),
    );
    for (const item of items.slice(5))
      expect(item.Put?.Item).toMatchObject({ SK: CNIC, kind: 'NAME', name: 'Abdul Ghafoor Sanjrani' });
  });

  it('lets an applicant apply for their own CNIC, written with or without dashes', async () => {
    const dashed = await submit({ as: applicant, body: applicationBody({ cnic: '54101-1234567-3' }) });
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled(['None', 'ConditionalCheckFailed', 'None']));
    const bare = await submit({ as: applicant, body: applicationBody({ cnic: CNIC }) });

    expect(dashed.status).toBe(201);
    expect(bare.status).toBe(409);
  });

  it('refuses an applicant applying for another CNIC with 403 and sends nothing', async () => {
    const reply = await submit({ as: applicant, body: applicationBody({ cnic: '52201-7654321-9' }) });

    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({
      type: 'urn:rahdari:problem:forbidden',
      detail: 'You may apply only for your own CNIC.',
    });
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses an applicant whose account has no CNIC with 403 and sends nothing', async () => {
    const reply = await submit({ as: signedInAs('applicant', 'resident-3'), body: applicationBody() });

    expect(reply.status).toBe(403);
    expect(reply.json.detail).toBe('Your account has no CNIC; ask an FIA office to register it.');
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('binds an account whose CNIC claim was stored with dashes', async () => {
    const reply = await submit({
      as: signedInAs('applicant', APPLICANT_SUB, { cnic: '54101-1234567-3' }),
      body: applicationBody(),
    });

    expect(reply.status).toBe(201);
  });

  it('names the CNIC field when an applicant sends one that is not a CNIC, rather than refusing the account', async () => {
    const reply = await submit({ as: applicant, body: applicationBody({ cnic: '54101-1234567' }) });

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field: 'cnic', message: expect.any(String) }]);
  });

  it('lets an FIA officer at a counter apply for any CNIC', async () => {
    const reply = await submit({ as: officer, body: applicationBody({ cnic: '52201-7654321-9' }) });

    expect(reply.status).toBe(201);
  });

  it('stores a counter application by an FIA officer without an applicant account', async () => {
    await submit({ as: officer, body: applicationBody() });

    const put = transaction()[0]?.Put?.Item;
    expect(put).not.toHaveProperty('applicantSub');
    expect(put).toMatchObject({ submittedBy: { sub: 'officer-1', role: 'fia-officer' } });
  });

  it('holds a watchlist hit as NEEDS_REVIEW with the category as review reason', async () => {
    onWatchlist('trafficking');

    await submit({ as: applicant, body: applicationBody() });

    expect(transaction()[0]?.Put?.Item).toMatchObject({
      status: 'NEEDS_REVIEW',
      GSI1PK: 'STATUS#NEEDS_REVIEW',
      reviewReason: 'watchlist: trafficking',
    });
  });

  it('shows the applicant a watchlist hit as PENDING without the review reason', async () => {
    onWatchlist('trafficking');

    const reply = await submit({ as: applicant, body: applicationBody() });

    expect(reply.json.status).toBe('PENDING');
    expect(reply.body).not.toContain('watchlist');
    expect(reply.body).not.toContain('trafficking');
  });

  it('shows an FIA officer a watchlist hit as NEEDS_REVIEW with the review reason', async () => {
    onWatchlist('smuggling');

    const reply = await submit({ as: officer, body: applicationBody() });

    expect(reply.json).toMatchObject({ status: 'NEEDS_REVIEW', reviewReason: 'watchlist: smuggling' });
  });

  it('refuses a role that may not apply with 403 and sends nothing', async () => {
    const reply = await submit({ as: checkpointOfficer, body: applicationBody() });

    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ type: 'urn:rahdari:problem:forbidden', status: 403 });
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses a request without a token with 401 and sends nothing', async () => {
    const reply = await submit({ body: applicationBody() });

    expect(reply.status).toBe(401);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses an application that breaks the rules with field errors and writes nothing', async () => {
    const reply = await submit({
      as: applicant,
      body: applicationBody({ validFrom: '2026-03-09', crossingPoints: ['GBD'] }),
    });

    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.json.errors.map((e: { field: string }) => e.field)).toEqual([
      'crossingPoints/0',
      'validFrom',
    ]);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses an unknown field with an error on that field and writes nothing', async () => {
    const reply = await submit({ as: applicant, body: applicationBody({ status: 'APPROVED' }) });

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field: 'status', message: 'This field is not allowed.' }]);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses a body that is not JSON with 400 and writes nothing', async () => {
    const reply = await submit({ as: applicant, body: '{"passType": "RAHDARI",' });

    expect(reply.status).toBe(400);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses a body sent as a form with 415 and writes nothing', async () => {
    const reply = await submit({
      as: applicant,
      body: applicationBody(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(reply.status).toBe(415);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers 409 when the CNIC already holds the open-application guard', async () => {
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled(['None', 'ConditionalCheckFailed', 'None']));

    const reply = await submit({ as: applicant, body: applicationBody() });

    expect(reply.status).toBe(409);
    expect(reply.json).toMatchObject({
      type: 'urn:rahdari:problem:conflict',
      detail: 'An application for this CNIC is already waiting for a decision.',
    });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });
});

describe('GET /applications/{id}', () => {
  it('lets the applicant read their own application', async () => {
    stored(application());

    const reply = await read(applicant);

    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ id: APPLICATION_ID, status: 'PENDING', cnic: '54101-1234567-3' });
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(GetCommand, {
      TableName: TABLE_NAME,
      Key: APP_KEY,
      ConsistentRead: true,
    });
  });

  it("answers another applicant's application 404, exactly as one that does not exist", async () => {
    stored(application());
    const theirs = await read(otherApplicant);
    dynamo.on(GetCommand).resolves({});

    const missing = await read(otherApplicant);

    expect(theirs.status).toBe(404);
    expect({ ...theirs, json: { ...theirs.json, instance: undefined } }).toEqual({
      ...missing,
      json: { ...missing.json, instance: undefined },
    });
  });

  it('shows the applicant a NEEDS_REVIEW application as PENDING, without the review reason', async () => {
    stored(application({ status: 'NEEDS_REVIEW', reviewReason: 'watchlist: trafficking' }));

    const reply = await read(applicant);

    expect(reply.json.status).toBe('PENDING');
    expect(reply.json).not.toHaveProperty('reviewReason');
    expect(reply.body).not.toContain('trafficking');
  });

  it('shows an FIA officer the review reason and who submitted', async () => {
    stored(application({ status: 'NEEDS_REVIEW', reviewReason: 'watchlist: trafficking' }));

    const reply = await read(officer);

    expect(reply.json).toMatchObject({
      status: 'NEEDS_REVIEW',
      reviewReason: 'watchlist: trafficking',
      submittedBy: { sub: APPLICANT_SUB, role: 'applicant' },
    });
  });

  it('shows the pass number and link once issued', async () => {
    stored(application({ status: 'APPROVED', passNumber: 'BP-2026-000042' }));

    const reply = await read(applicant);

    expect(reply.json).toMatchObject({ passNumber: 'BP-2026-000042', pass: '/passes/BP-2026-000042' });
  });

  it('answers 404 for an id the table does not hold', async () => {
    const reply = await read(officer);

    expect(reply.status).toBe(404);
    expect(reply.json.type).toBe('urn:rahdari:problem:not-found');
  });

  it('answers 404 for an id that is not a ULID without reading the table', async () => {
    const reply = await read(officer, 'APP#01JNXG5Q8Z3T4W6Y7R9B2C4D6F');

    expect(reply.status).toBe(404);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses a checkpoint officer with 403 and sends nothing', async () => {
    const reply = await read(checkpointOfficer);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

describe('GET /applications', () => {
  const lastKey = {
    PK: `APP#${APPLICATION_ID}`,
    SK: 'APP',
    GSI1PK: 'STATUS#PENDING',
    GSI1SK: `2026-03-09T05:00:00.000Z#${APPLICATION_ID}`,
  };

  it('queries GSI1 for the status, oldest first, 25 at a time by default', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [applicationItem(application())] });

    const reply = await list(officer);

    expect(reply.status).toBe(200);
    expect(reply.json.items.map((a: { id: string }) => a.id)).toEqual([APPLICATION_ID]);
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(QueryCommand, {
      TableName: TABLE_NAME,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': 'STATUS#PENDING' },
      ScanIndexForward: true,
      Limit: 25,
    });
  });

  it('adds the status’s total when asked, from a COUNT of the same partition', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [applicationItem(application())], Count: 231 });

    const reply = await list(officer, { total: 'true' });

    expect(reply.json.total).toBe(231);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE_NAME,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': 'STATUS#PENDING' },
      Select: 'COUNT',
    });
  });

  it('gives no next link on the last page', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [applicationItem(application())] });

    const reply = await list(officer);

    expect(reply.json).not.toHaveProperty('next');
  });

  it('gives a next link whose cursor resumes the query where the page ended', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [applicationItem(application())], LastEvaluatedKey: lastKey });
    const first = await list(officer, { status: 'PENDING', limit: '1' });
    const next = new URL(first.json.next as string, 'https://api.rahdari.test');

    await list(officer, Object.fromEntries(next.searchParams));

    expect(next.pathname).toBe('/applications');
    expect(dynamo).toHaveReceivedNthCommandWith(QueryCommand, 2, {
      ExpressionAttributeValues: { ':pk': 'STATUS#PENDING' },
      Limit: 1,
      ExclusiveStartKey: lastKey,
    });
  });

  it('refuses a garbage cursor with 400 on the cursor field and queries nothing', async () => {
    const reply = await list(officer, { cursor: 'not-a-cursor!' });

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it("refuses another status's cursor with 400 and queries nothing", async () => {
    const approvedCursor = Buffer.from(JSON.stringify({ ...lastKey, GSI1PK: 'STATUS#APPROVED' })).toString(
      'base64url',
    );

    const reply = await list(officer, { status: 'PENDING', cursor: approvedCursor });

    expect(reply.status).toBe(400);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses with 400 a cursor whose attributes are not the queue key, which DynamoDB would reject', async () => {
    dynamo.on(QueryCommand, { ExclusiveStartKey: { GSI1PK: 'STATUS#PENDING' } }).rejects(
      new DynamoDBServiceException({
        name: 'ValidationException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'The provided starting key is invalid: The provided key element does not match the schema',
      }),
    );
    const tampered = Buffer.from(JSON.stringify({ GSI1PK: 'STATUS#PENDING' })).toString('base64url');

    const reply = await list(officer, { cursor: tampered });

    expect(reply.status).toBe(400);
  });

  it('refuses an unknown status with 400 and queries nothing', async () => {
    const reply = await list(officer, { status: 'LOST' });

    expect(reply.status).toBe(400);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses a limit over 100 with 400 and queries nothing', async () => {
    const reply = await list(officer, { limit: '101' });

    expect(reply.status).toBe(400);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses an applicant with 403 and sends nothing', async () => {
    const reply = await list(applicant);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

describe('POST /applications/{id}/approve', () => {
  const officerActor: Actor = { sub: 'officer-1', role: 'fia-officer' };

  it('issues the next pass number and answers 201 with its location', async () => {
    stored(application());
    counterAt(41);

    const reply = await approve(officer);

    expect(reply.status).toBe(201);
    expect(reply.headers.location).toBe('/passes/BP-2026-000042');
    expect(reply.json.application).toMatchObject({ status: 'APPROVED', passNumber: 'BP-2026-000042' });
    expect(reply.json.pass).toMatchObject({ number: 'BP-2026-000042', status: 'ACTIVE' });
  });

  it("sends one transaction: counter, application, pass, the CNIC's open-application guard and two audit items, each conditioned", async () => {
    stored(application());
    counterAt(41);

    const reply = await approve(officer);

    const token = reply.json.pass.token as string;
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const writes = transaction();
    expect(writesOf(writes)).toEqual([
      { op: 'Update', key: 'COUNTER#BP#2026 COUNTER', conditioned: true },
      { op: 'Update', key: `APP#${APPLICATION_ID} APP`, conditioned: true },
      { op: 'Delete', key: `OPEN#${CNIC} OPEN`, conditioned: true },
      {
        op: 'Put',
        key: expect.stringMatching(new RegExp(`^APP#${APPLICATION_ID} AUDIT#`)),
        conditioned: true,
      },
      { op: 'Put', key: 'PASS#BP-2026-000042 PASS', conditioned: true },
      { op: 'Put', key: expect.stringMatching(/^PASS#BP-2026-000042 AUDIT#/), conditioned: true },
      { op: 'ConditionCheck', key: `WATCH#${CNIC} WATCH`, conditioned: true },
      // The Ministry feed's outbox entry, queued in the same transaction as the change.
      { op: 'Put', key: 'FEED#pass-issued#BP-2026-000042:issued FEED', conditioned: true },
    ]);
    expect(writes).toContainEqual(
      auditPut(APP_KEY.PK, officerActor, 'APPLICATION_APPROVED', { passNumber: 'BP-2026-000042' }),
    );
    expect(writes).toContainEqual(
      auditPut('PASS#BP-2026-000042', officerActor, 'PASS_ISSUED', {
        kid: environment.passKeys[0]?.kid,
        applicationId: APPLICATION_ID,
      }),
    );
    expect(writes).toContainEqual({
      Put: expect.objectContaining({
        Item: expect.objectContaining({
          GSI2PK: `CNIC#${CNIC}`,
          number: 'BP-2026-000042',
          status: 'ACTIVE',
          nbf: Date.parse('2026-03-10T00:00:00+05:00') / 1000,
          exp: Date.parse('2026-06-08T00:00:00+05:00') / 1000,
          token,
          kid: environment.passKeys[0]?.kid,
          holderSub: APPLICANT_SUB,
          issuedAt: AT,
          issuedBy: officerActor,
        }),
      }),
    });
  });

  it("a supervisor's approval does not check the watchlist, since a supervisor may approve a listed CNIC", async () => {
    stored(application());
    counterAt(41);

    await approve(supervisor);

    expect(transaction().some((item) => 'ConditionCheck' in item)).toBe(false);
  });

  it('reads the application and the counter strongly consistent, as a retry after a lost race needs', async () => {
    stored(application());
    counterAt(41);

    await approve(officer);

    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: APP_KEY, ConsistentRead: true });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: COUNTER_KEY, ConsistentRead: true });
  });

  it('rereads the pass that won a race strongly consistent, as it was written a moment ago', async () => {
    stored(application({ status: 'APPROVED', passNumber: 'BP-2026-000042' }));
    dynamo
      .on(GetCommand, { Key: { PK: 'PASS#BP-2026-000042', SK: 'PASS' } })
      .resolves({ Item: passItem(pass('eyJhbGciOiJFUzI1NiJ9.e30.c2ln')) });

    await approve(officer);

    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      Key: { PK: 'PASS#BP-2026-000042', SK: 'PASS' },
      ConsistentRead: true,
    });
  });

  it('conditions the first number of a year on the counter not existing yet', async () => {
    stored(application());

    const reply = await approve(officer);

    expect(reply.json.pass.number).toBe('BP-2026-000001');
    expect(transaction()[0]).toEqual({
      Update: expect.objectContaining({
        Key: COUNTER_KEY,
        ConditionExpression: 'attribute_not_exists(#v)',
        ExpressionAttributeValues: { ':next': 1 },
      }),
    });
  });

  it("issues a token that verifies with the key dir's pass key and carries the pass claims", async () => {
    stored(application());
    counterAt(41);

    const reply = await approve(officer);

    const result = await verifyCredential(
      reply.json.pass.qrText,
      await trustStoreFromJwks({ keys: environment.passKeys }),
      {
        now: NOW,
        kind: 'bp',
        checkpoint: 'TFT',
      },
    );
    expect(result).toMatchObject({ verdict: 'VALID', kind: 'bp', kid: environment.passKeys[0]?.kid });
    expect(result.claims).toEqual({
      sub: 'BP-2026-000042',
      nbf: Date.parse('2026-03-10T00:00:00+05:00') / 1000,
      exp: Date.parse('2026-06-08T00:00:00+05:00') / 1000,
      n: 'Abdul Ghafoor Sanjrani',
      f: 'Haji Muhammad Hassan',
      c: 5410112345673,
      p: 'TFT RJY',
    });
  });

  it('returns the approved application with the decision it stored', async () => {
    stored(application());
    counterAt(41);

    const reply = await approve(officer);

    expect(reply.json.application).toMatchObject({ decision: { by: officerActor, at: AT }, updatedAt: AT });
  });

  it('lets a supervisor approve a NEEDS_REVIEW application, conditioned on either open status', async () => {
    stored(application({ status: 'NEEDS_REVIEW', reviewReason: 'watchlist: trafficking' }));
    counterAt(41);

    const reply = await approve(supervisor);

    expect(reply.status).toBe(201);
    expect(transaction()[1]?.Update).toMatchObject({
      ConditionExpression: '#s IN (:from0, :from1)',
      ExpressionAttributeValues: { ':from0': 'PENDING', ':from1': 'NEEDS_REVIEW' },
    });
  });

  it('refuses an officer a NEEDS_REVIEW application with 403 and writes nothing', async () => {
    stored(application({ status: 'NEEDS_REVIEW', reviewReason: 'watchlist: trafficking' }));

    const reply = await approve(officer);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses an officer with 403 a PENDING application whose CNIC was listed since: the transaction checked it', async () => {
    stored(application());
    onWatchlist('trafficking');
    counterAt(41);
    dynamo
      .on(TransactWriteCommand)
      .rejects(
        transactionCancelled(['None', 'None', 'None', 'None', 'None', 'None', 'ConditionalCheckFailed']),
      );

    const reply = await approve(officer);

    expect(reply.status).toBe(403);
    expect(reply.json.detail).toMatch(/needs review by an FIA supervisor/);
    expect(transaction().at(-2)).toEqual({
      ConditionCheck: {
        TableName: TABLE_NAME,
        Key: { PK: `WATCH#${CNIC}`, SK: 'WATCH' },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      Key: { PK: `WATCH#${CNIC}`, SK: 'WATCH' },
      ConsistentRead: true,
    });
  });

  it('lets a supervisor approve a PENDING application whose CNIC was listed since', async () => {
    stored(application());
    onWatchlist('trafficking');
    counterAt(41);

    const reply = await approve(supervisor);

    expect(reply.status).toBe(201);
  });

  describe('when configuration changed the pass type since the application', () => {
    const rahdari = findPassType('RAHDARI') as PassType;
    /** Builds the handler with other pass types, as a cold start after a configuration change would. */
    async function configured(passTypes: PassType[]) {
      rebuild({ passTypes });
    }

    it('refuses with 409 a pass type that has ended', async () => {
      await configured([{ ...rahdari, effectiveUntil: '2026-03-01' }]);
      stored(application());

      const reply = await approve(officer);

      expect(reply.status).toBe(409);
      expect(reply.json.detail).toBe(`The ${rahdari.name} ended on 2026-03-01; it is no longer issued.`);
      expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    });

    it("refuses with 409 a validity that runs past the pass type's new last day", async () => {
      await configured([{ ...rahdari, effectiveUntil: '2026-05-31' }]);
      stored(application());

      const reply = await approve(officer);

      expect(reply.status).toBe(409);
      expect(reply.json.detail).toBe(
        `The requested validity runs to 2026-06-07, past 2026-05-31, the last day of the ${rahdari.name}.`,
      );
      expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    });

    it("approves a validity that ends on the pass type's last day", async () => {
      await configured([{ ...rahdari, effectiveUntil: '2026-06-07' }]);
      stored(application());

      const reply = await approve(officer);

      expect(reply.status).toBe(201);
    });
  });

  it('refuses with 409 a pass type that is not issued yet', async () => {
    stored(application({ passType: 'BORDER_RESIDENT_CARD' }));

    const reply = await approve(officer);

    expect(reply.status).toBe(409);
    expect(reply.json.detail).toMatch(/only issued from 2027-01-01/);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses with 409 a pass type the configuration does not know', async () => {
    stored(application({ passType: 'HAJJ_PERMIT' }));

    const reply = await approve(officer);

    expect(reply.status).toBe(409);
    expect(reply.json.detail).toBe('The pass type HAJJ_PERMIT is no longer issued.');
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses an applicant with 403 and sends nothing', async () => {
    const reply = await approve(applicant);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses a rejected application with 409 and writes nothing', async () => {
    stored(application({ status: 'REJECTED' }));

    const reply = await approve(officer);

    expect(reply.status).toBe(409);
    expect(reply.json.type).toBe('urn:rahdari:problem:conflict');
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses with 409 an application whose requested validity has already ended', async () => {
    stored(application({ validFrom: '2026-01-01', validUntil: '2026-03-09' }));

    const reply = await approve(officer);

    expect(reply.status).toBe(409);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers 404 for an application the table does not hold', async () => {
    const reply = await approve(officer);

    expect(reply.status).toBe(404);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('returns the existing pass with 200 and writes nothing when the application is already approved', async () => {
    stored(application({ status: 'APPROVED', passNumber: 'BP-2026-000042' }));
    dynamo
      .on(GetCommand, { Key: { PK: 'PASS#BP-2026-000042', SK: 'PASS' } })
      .resolves({ Item: passItem(pass('eyJhbGciOiJFUzI1NiJ9.e30.c2ln')) });

    const reply = await approve(officer);

    expect(reply.status).toBe(200);
    expect(reply.json.pass.number).toBe('BP-2026-000042');
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('after losing the race to another approval, rereads and returns the pass that won', async () => {
    const winner = pass('eyJhbGciOiJFUzI1NiJ9.e30.c2ln', { number: 'BP-2026-000042' });
    dynamo
      .on(GetCommand, { Key: APP_KEY })
      .resolvesOnce({ Item: applicationItem(application()) })
      .resolves({ Item: applicationItem(application({ status: 'APPROVED', passNumber: winner.number })) });
    dynamo
      .on(GetCommand, { Key: { PK: 'PASS#BP-2026-000042', SK: 'PASS' } })
      .resolves({ Item: passItem(winner) });
    counterAt(41);
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled());

    const reply = await approve(officer);

    expect(reply.status).toBe(200);
    expect(reply.json.pass).toMatchObject({ number: 'BP-2026-000042', token: winner.token });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: APP_KEY });
  });

  it('after losing the counter to another pass, retries with the next number', async () => {
    stored(application());
    dynamo
      .on(GetCommand, { Key: COUNTER_KEY })
      .resolvesOnce({ Item: { ...COUNTER_KEY, value: 41 } })
      .resolves({ Item: { ...COUNTER_KEY, value: 42 } });
    dynamo.on(TransactWriteCommand).rejectsOnce(transactionCancelled()).resolves({});

    const reply = await approve(officer);

    expect(reply.status).toBe(201);
    expect(reply.json.pass.number).toBe('BP-2026-000043');
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(transaction(2)[0]?.Update?.ExpressionAttributeValues).toEqual({ ':next': 43, ':current': 42 });
  });

  it('numbers the next pass in a warm container from its own last issue, without reading the counter', async () => {
    stored(application());
    stored(application({ id: SECOND_ID }));
    counterAt(41);
    await approve(officer);
    dynamo.resetHistory();

    const reply = await approve(officer, SECOND_ID);

    expect(reply.json.pass.number).toBe('BP-2026-000043');
    expect(dynamo).not.toHaveReceivedCommandWith(GetCommand, { Key: COUNTER_KEY });
    expect(transaction()[0]?.Update?.ExpressionAttributeValues).toEqual({ ':next': 43, ':current': 42 });
  });

  it('forgets the remembered counter when another container moved it, and numbers from the table', async () => {
    stored(application());
    stored(application({ id: SECOND_ID }));
    counterAt(41);
    await approve(officer);
    counterAt(50);
    dynamo.resetHistory();
    dynamo.on(TransactWriteCommand).rejectsOnce(transactionCancelled()).resolves({});

    const reply = await approve(officer, SECOND_ID);

    expect(reply.json.pass.number).toBe('BP-2026-000051');
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(transaction(2)[0]?.Update?.ExpressionAttributeValues).toEqual({ ':next': 51, ':current': 50 });
  });

  it('answers 503 busy when every attempt loses the counter', async () => {
    stored(application());
    counterAt(41);
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled());

    const reply = await approve(officer);

    expect(reply.status).toBe(503);
    expect(reply.json).toMatchObject({ type: 'urn:rahdari:problem:busy', status: 503 });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 8);
  });

  it('answers 409 when a rejection wins the race', async () => {
    dynamo
      .on(GetCommand, { Key: APP_KEY })
      .resolvesOnce({ Item: applicationItem(application()) })
      .resolves({ Item: applicationItem(application({ status: 'REJECTED' })) });
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled());

    const reply = await approve(officer);

    expect(reply.status).toBe(409);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });
});

describe('POST /applications/{id}/reject', () => {
  const officerActor: Actor = { sub: 'officer-1', role: 'fia-officer' };

  it('answers 200 with the application REJECTED and the reason shown to the applicant', async () => {
    stored(application());

    const reply = await reject(officer);

    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Crossing points do not match.',
    });
  });

  it("sends one transaction: the status update conditioned on the open status, the release of the CNIC's open-application guard, and the audit item", async () => {
    stored(application());

    await reject(officer);

    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const writes = transaction();
    expect(writesOf(writes)).toEqual([
      { op: 'Update', key: `APP#${APPLICATION_ID} APP`, conditioned: true },
      { op: 'Delete', key: `OPEN#${CNIC} OPEN`, conditioned: true },
      {
        op: 'Put',
        key: expect.stringMatching(new RegExp(`^APP#${APPLICATION_ID} AUDIT#`)),
        conditioned: true,
      },
    ]);
    expect(writes).toContainEqual(
      auditPut(APP_KEY.PK, officerActor, 'APPLICATION_REJECTED', { reason: 'Crossing points do not match.' }),
    );
  });

  it('returns the rejected application with the update time it stored', async () => {
    stored(application());

    const reply = await reject(officer);

    expect(reply.json.updatedAt).toBe(AT);
  });

  it('answers 409 when the application was decided meanwhile', async () => {
    stored(application());
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled());

    const reply = await reject(officer);

    expect(reply.status).toBe(409);
    expect(reply.json.type).toBe('urn:rahdari:problem:conflict');
  });

  it('refuses an approved application with 409 and writes nothing', async () => {
    stored(application({ status: 'APPROVED', passNumber: 'BP-2026-000042' }));

    const reply = await reject(officer);

    expect(reply.status).toBe(409);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses a rejection without a reason with 400 on the reason field and sends nothing', async () => {
    stored(application());

    const reply = await reject(officer, {});

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses an officer a NEEDS_REVIEW application with 403 and writes nothing', async () => {
    stored(application({ status: 'NEEDS_REVIEW', reviewReason: 'watchlist: trafficking' }));

    const reply = await reject(officer);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses an applicant with 403 and sends nothing', async () => {
    const reply = await reject(applicant);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 404 for an application the table does not hold', async () => {
    const reply = await reject(officer);

    expect(reply.status).toBe(404);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});

describe('the metrics an operator watches', () => {
  it('counts a pass issued, and no lost race, for a clean approval', async () => {
    stored(application());
    counterAt(41);

    await approve(officer);

    expect(metrics().count('PassesIssued')).toBe(1);
    expect(metrics().count('ApprovalRaceLost')).toBe(0);
  });

  it('counts every lost race and the approval that lost them all, and no pass issued', async () => {
    stored(application());
    counterAt(41);
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled());

    await approve(officer);

    expect(metrics().count('ApprovalRaceLost')).toBe(8);
    expect(metrics().count('ApprovalRetriesExhausted')).toBe(1);
    expect(metrics().count('PassesIssued')).toBe(0);
  });

  it('counts a watchlist hit when an application is held for review', async () => {
    onWatchlist('trafficking');

    const reply = await submit({ as: applicant, body: applicationBody() });

    expect(reply.status).toBe(201);
    expect(metrics().count('WatchlistHits')).toBe(1);
  });
});
