// The passes route group through its Lambda handler: the pass record, its QR images and card, and revocation.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { readQrFromImage } from '../../../cli/read-qr-image.ts';
import { createPassesHandler } from '../../../functions/api/passes.ts';
import type { HttpHandler } from '../../../functions/http/event.ts';
import type { Actor, Pass } from '../../../functions/store/records.ts';
import { signCredential } from '../../../shared/credential.ts';
import { toQrText } from '../../../shared/qr.ts';
import { loadKeyDir } from '../../../signing/key-dir.ts';
import { TABLE_NAME } from './environment.ts';
import { httpEvent, invoke, type RequestOptions, signedInAs } from './events.ts';
import {
  APPLICANT_SUB,
  APPLICATION_ID,
  auditPut,
  CNIC,
  NOW,
  pass,
  passItem,
  transactionCancelled,
} from './records.ts';
import { handlerTestbed, writesOf } from './testbed.ts';

let handler: HttpHandler;
const { environment, dynamo, transaction, metrics } = await handlerTestbed((deps) => {
  handler = createPassesHandler(deps);
});

const holder = signedInAs('applicant', APPLICANT_SUB, { cnic: CNIC });
const otherApplicant = signedInAs('applicant', 'resident-2', { cnic: '5220112345678' });
const officer = signedInAs('fia-officer', 'officer-1');
const supervisor = signedInAs('fia-supervisor', 'supervisor-1');
const checkpointOfficer = signedInAs('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' });
const AT = NOW.toISOString();
const NUMBER = 'BP-2026-000042';
const PASS_KEY = { PK: `PASS#${NUMBER}`, SK: 'PASS' };
const HEAD_KEY = { PK: 'REVOCATIONS', SK: 'HEAD' };
const supervisorActor: Actor = { sub: 'supervisor-1', role: 'fia-supervisor' };

const signing = (await loadKeyDir(environment.keyDir)).signing;
const issued = pass(
  await signCredential(signing, 'bp', {
    sub: NUMBER,
    nbf: Date.parse('2026-03-10T00:00:00+05:00') / 1000,
    exp: Date.parse('2026-06-08T00:00:00+05:00') / 1000,
    n: 'Abdul Ghafoor Sanjrani',
    f: 'Haji Muhammad Hassan',
    c: 5410112345673,
    p: 'TFT RJY',
  }),
  { kid: signing.kid },
);
const revoked = pass(issued.token, {
  kid: signing.kid,
  status: 'REVOKED',
  revocation: {
    by: supervisorActor,
    at: '2026-03-09T10:00:00.000Z',
    reason: 'Forged supporting letter.',
    version: 3,
  },
});

const request = (routeKey: string, as: RequestOptions['as'], extra: Omit<RequestOptions, 'as'> = {}) =>
  invoke(handler, httpEvent(routeKey, { as, pathParameters: { no: NUMBER }, ...extra }));
const revoke = (as: RequestOptions['as'], body: unknown = { reason: 'Holder reported for smuggling.' }) =>
  request('POST /passes/{no}/revoke', as, { body });

const stored = (record: Pass) =>
  dynamo.on(GetCommand, { Key: PASS_KEY }).resolves({ Item: passItem(record) });
const headAt = (version: number) =>
  dynamo.on(GetCommand, { Key: HEAD_KEY }).resolves({ Item: { ...HEAD_KEY, version } });

describe('GET /passes/{no}', () => {
  it('gives the holder their pass with its token and QR text', async () => {
    stored(issued);

    const reply = await request('GET /passes/{no}', holder);

    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      number: NUMBER,
      status: 'ACTIVE',
      cnic: '54101-1234567-3',
      token: issued.token,
      qrText: toQrText(issued.token),
      links: {
        svg: `/passes/${NUMBER}/qr.svg`,
        png: `/passes/${NUMBER}/qr.png`,
        card: `/passes/${NUMBER}/card`,
      },
    });
    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(GetCommand, { TableName: TABLE_NAME, Key: PASS_KEY });
  });

  it('hides from the holder which application and officer issued it', async () => {
    stored(issued);

    const reply = await request('GET /passes/{no}', holder);

    expect(reply.json).not.toHaveProperty('applicationId');
    expect(reply.json).not.toHaveProperty('issuedBy');
  });

  it('shows an FIA officer the application and the issuing officer', async () => {
    stored(issued);

    const reply = await request('GET /passes/{no}', officer);

    expect(reply.json).toMatchObject({
      applicationId: APPLICATION_ID,
      issuedBy: { sub: 'officer-1', role: 'fia-officer' },
    });
  });

  it('tells the holder when a pass was revoked but not why', async () => {
    stored(revoked);

    const reply = await request('GET /passes/{no}', holder);

    expect(reply.json).toMatchObject({ status: 'REVOKED', revokedAt: '2026-03-09T10:00:00.000Z' });
    expect(reply.body).not.toContain('Forged');
  });

  it("answers another applicant's pass 404, exactly as one that does not exist", async () => {
    stored(issued);
    const theirs = await request('GET /passes/{no}', otherApplicant);
    dynamo.on(GetCommand).resolves({});

    const missing = await request('GET /passes/{no}', otherApplicant);

    expect(theirs.status).toBe(404);
    expect({ ...theirs, json: { ...theirs.json, instance: undefined } }).toEqual({
      ...missing,
      json: { ...missing.json, instance: undefined },
    });
  });

  it('answers an applicant 404 for a pass issued at a counter, which has no holder account', async () => {
    const { holderSub: _, ...counterPass } = issued;
    stored(counterPass);

    const reply = await request('GET /passes/{no}', holder);

    expect(reply.status).toBe(404);
    expect(reply.json.type).toBe('urn:rahdari:problem:not-found');
  });

  it('refuses a checkpoint officer with 403 and reads nothing', async () => {
    const reply = await request('GET /passes/{no}', checkpointOfficer);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 404 for a pass the table does not hold', async () => {
    const reply = await request('GET /passes/{no}', officer);

    expect(reply.status).toBe(404);
  });

  it('answers 404 for a malformed pass number without reading the table', async () => {
    const reply = await request('GET /passes/{no}', officer, { pathParameters: { no: 'BP-2026-42' } });

    expect(reply.status).toBe(404);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

describe('GET /passes/{no}/qr.svg and qr.png', () => {
  it('serves the QR as SVG, cacheable by the holder only, with an ETag', async () => {
    stored(issued);

    const reply = await request('GET /passes/{no}/qr.svg', holder);

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('image/svg+xml');
    expect(reply.headers['cache-control']).toBe('private, max-age=86400');
    expect(reply.headers.etag).toMatch(/^"[\w-]{22}"$/);
    expect(reply.body).toMatch(/^<svg/);
  });

  it('answers 304 without a body when the ETag still matches', async () => {
    stored(issued);
    const first = await request('GET /passes/{no}/qr.svg', holder);

    const again = await request('GET /passes/{no}/qr.svg', holder, {
      headers: { 'if-none-match': first.headers.etag ?? '' },
    });

    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves a base64 PNG whose QR reads back as the pass QR text', async () => {
    stored(issued);

    const reply = await request('GET /passes/{no}/qr.png', holder);

    const file = join(environment.workDir, 'pass.png');
    writeFileSync(file, Buffer.from(reply.body, 'base64'));
    expect(reply.headers['content-type']).toBe('image/png');
    expect(reply.base64Encoded).toBe(true);
    expect(await readQrFromImage(file)).toBe(toQrText(issued.token));
  });

  it('answers another applicant 404 for the image, as for a pass that does not exist', async () => {
    stored(issued);

    const reply = await request('GET /passes/{no}/qr.png', otherApplicant);

    expect(reply.status).toBe(404);
    expect(reply.json.type).toBe('urn:rahdari:problem:not-found');
  });
});

describe('GET /passes/{no}/card', () => {
  it('renders an HTML card with the QR, the holder, the CNIC and Urdu labels', async () => {
    stored(issued);

    const reply = await request('GET /passes/{no}/card', holder);

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.body).toContain('<svg');
    expect(reply.body).toContain('Abdul Ghafoor Sanjrani');
    expect(reply.body).toContain('54101-1234567-3');
    expect(reply.body).toContain('والد کا نام');
  });

  it('escapes markup in stored names', async () => {
    stored({ ...issued, name: 'Ali <script>alert(1)</script>' });

    const reply = await request('GET /passes/{no}/card', holder);

    expect(reply.body).not.toContain('<script>');
    expect(reply.body).toContain('Ali &lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe.each(['GET /passes/{no}/qr.svg', 'GET /passes/{no}/qr.png', 'GET /passes/{no}/card'])(
  '%s',
  (routeKey) => {
    it('refuses a checkpoint officer with 403 and reads nothing', async () => {
      const reply = await request(routeKey, checkpointOfficer);

      expect(reply.status).toBe(403);
      expect(dynamo).not.toHaveReceivedAnyCommand();
    });

    it('answers 404 for a pass the table does not hold', async () => {
      const reply = await request(routeKey, holder);

      expect(reply.status).toBe(404);
    });
  },
);

describe('POST /passes/{no}/revoke', () => {
  it('answers 200 with the pass REVOKED at the next revocation list version', async () => {
    stored(issued);
    headAt(3);

    const reply = await revoke(supervisor);

    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      status: 'REVOKED',
      revokedAt: AT,
      revocation: { by: supervisorActor, at: AT, reason: 'Holder reported for smuggling.', version: 4 },
    });
    expect(metrics().count('PassesRevoked')).toBe(1);
  });

  it('sends one transaction: the pass, the next list entry, the list head and the audit item, each conditioned', async () => {
    stored(issued);
    headAt(3);

    await revoke(supervisor);

    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const writes = transaction();
    expect(writesOf(writes)).toEqual([
      { op: 'Update', key: `${PASS_KEY.PK} PASS`, conditioned: true },
      { op: 'Put', key: 'REVOCATIONS V#000000000004', conditioned: true },
      { op: 'Update', key: 'REVOCATIONS HEAD', conditioned: true },
      { op: 'Put', key: expect.stringMatching(new RegExp(`^${PASS_KEY.PK} AUDIT#`)), conditioned: true },
      // The Ministry feed's outbox entry, queued in the same transaction as the change.
      { op: 'Put', key: expect.stringMatching(/^FEED#pass-revoked#/), conditioned: true },
    ]);
    expect(writes).toContainEqual(
      auditPut(PASS_KEY.PK, supervisorActor, 'PASS_REVOKED', {
        reason: 'Holder reported for smuggling.',
        version: 4,
      }),
    );
  });

  it('reads the pass and the list head strongly consistent, as a retry after a lost race needs', async () => {
    stored(issued);
    headAt(3);

    await revoke(supervisor);

    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: PASS_KEY, ConsistentRead: true });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: HEAD_KEY, ConsistentRead: true });
  });

  it('conditions the first revocation on the list head not existing yet', async () => {
    stored(issued);

    await revoke(supervisor);

    expect(transaction()[2]).toEqual({
      Update: expect.objectContaining({
        Key: HEAD_KEY,
        ConditionExpression: 'attribute_not_exists(version)',
        ExpressionAttributeValues: { ':next': 1 },
      }),
    });
  });

  it('after losing the list version to another revocation, retries with the next one', async () => {
    stored(issued);
    dynamo
      .on(GetCommand, { Key: HEAD_KEY })
      .resolvesOnce({ Item: { ...HEAD_KEY, version: 3 } })
      .resolves({ Item: { ...HEAD_KEY, version: 4 } });
    dynamo.on(TransactWriteCommand).rejectsOnce(transactionCancelled()).resolves({});

    const reply = await revoke(supervisor);

    expect(reply.json.revocation.version).toBe(5);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
    expect(transaction(2)[1]?.Put?.Item).toMatchObject({ SK: 'V#000000000005' });
  });

  it('answers 409 when the pass was revoked meanwhile', async () => {
    dynamo
      .on(GetCommand, { Key: PASS_KEY })
      .resolvesOnce({ Item: passItem(issued) })
      .resolves({ Item: passItem(revoked) });
    headAt(3);
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled());

    const reply = await revoke(supervisor);

    expect(reply.status).toBe(409);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('answers 503, like a busy approval, when every attempt loses the list version', async () => {
    stored(issued);
    headAt(3);
    dynamo.on(TransactWriteCommand).rejects(transactionCancelled(['None', 'None', 'ConditionalCheckFailed']));

    const reply = await revoke(supervisor);

    expect(reply.status).toBe(503);
    expect(reply.json).toMatchObject({ type: 'urn:rahdari:problem:busy', status: 503 });
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 8);
  });

  it('refuses a pass already revoked with 409 and writes nothing', async () => {
    stored(revoked);

    const reply = await revoke(supervisor);

    expect(reply.status).toBe(409);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('refuses a revocation without a reason with 400 and sends nothing', async () => {
    const reply = await revoke(supervisor, { reason: ' ' });

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses an FIA officer with 403 and sends nothing', async () => {
    const reply = await revoke(officer);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses the holder with 403 and sends nothing', async () => {
    const reply = await revoke(holder);

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 404 for a pass the table does not hold, writing nothing', async () => {
    const reply = await revoke(supervisor);

    expect(reply.status).toBe(404);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});
