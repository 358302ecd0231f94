// The vessels and certificates route groups through their Lambda handlers, over a mocked table: what each change
// writes in its one transaction, who may make it, and what each reader is shown.

import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createVesselsHandler } from '../../../functions/api/vessels.ts';
import { createCertificatesHandler } from '../../../functions/api/vessels-certificates.ts';
import type { HttpEvent, HttpHandler } from '../../../functions/http/event.ts';
import { VESSEL_METRIC } from '../../../functions/services/vessels.ts';
import type { Vessel } from '../../../functions/store/vessels.ts';
import { trustStoreFromJwks, verifyCredential } from '../../../shared/credential.ts';
import { nameIndexKeys } from '../../../shared/domain/names.ts';
import { validateVessel } from '../../../shared/domain/vessel.ts';
import { vesselBody } from '../../support/fleet.ts';
import { TABLE_NAME } from './environment.ts';
import { httpEvent, invoke, type RequestOptions, signedInAs } from './events.ts';
import { NOW, TODAY, transactionCancelled } from './records.ts';
import { handlerTestbed, writesOf } from './testbed.ts';

let vessels: HttpHandler;
let certificates: HttpHandler;
const { environment, dynamo, transaction, metrics } = await handlerTestbed((deps) => {
  vessels = createVesselsHandler(deps);
  certificates = createCertificatesHandler(deps);
});

const NO = 'GWD-2026-00007';
const VESSEL_KEY = { PK: `VESSEL#${NO}`, SK: 'VESSEL' };
const HEAD_KEY = { PK: 'REVOCATIONS', SK: 'HEAD' };
const COUNTER_KEY = { PK: 'COUNTER#VR-GWD#2026', SK: 'COUNTER' };
const AT = NOW.toISOString();
const fisheries = signedInAs('fisheries-officer', 'fisheries-gwd-1');
const fia = signedInAs('fia-officer', 'officer-1');
const moi = signedInAs('moi-analyst', 'analyst-1');
const checkpoint = signedInAs('checkpoint-officer', 'cg-1', { checkpoint: 'GWD' });
const officerActor = { sub: 'fisheries-gwd-1', role: 'fisheries-officer' };

/** The event as the authorizer passes it for an account bound to a port office (Cognito's custom:port). */
function atPort(event: HttpEvent, port: string | undefined): HttpEvent {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (claims && port !== undefined) claims['custom:port'] = port;
  return event;
}

const call = (
  handler: HttpHandler,
  routeKey: string,
  as: RequestOptions['as'],
  extra: Omit<RequestOptions, 'as'> & { port?: string } = {},
) => {
  const { port, ...options } = extra;
  return invoke(
    handler,
    atPort(
      httpEvent(routeKey, { as, pathParameters: { no: NO }, ...options }),
      as === fisheries ? (port ?? 'GWD') : port,
    ),
  );
};

/** A stored boat as registration leaves it, with a certificate token that is never verified here. */
function stored(overrides: Partial<Vessel> = {}): Vessel {
  const checked = validateVessel(vesselBody(TODAY) as never, NOW);
  if (!checked.ok) throw new Error('the test boat does not validate');
  const { warnings: _none, ...value } = checked.value;
  return {
    ...value,
    officialNumber: NO,
    status: 'ACTIVE',
    certificates: 1,
    certificate: {
      serial: `${NO}/1`,
      token: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln',
      kid: 'unitkid0',
      exp: Date.parse('2027-03-10T00:00:00+05:00') / 1000,
      issuedAt: '2026-03-01T05:00:00.000Z',
      issuedBy: officerActor as Vessel['registeredBy'],
    },
    registeredAt: '2026-03-01T05:00:00.000Z',
    registeredBy: officerActor as Vessel['registeredBy'],
    ownerSince: '2026-03-01T05:00:00.000Z',
    updatedAt: '2026-03-01T05:00:00.000Z',
    ...overrides,
  };
}
const holding = (vessel: Vessel) =>
  dynamo.on(GetCommand, { Key: VESSEL_KEY }).resolves({ Item: { ...VESSEL_KEY, kind: 'VESSEL', ...vessel } });
const headAt = (version: number) =>
  dynamo.on(GetCommand, { Key: HEAD_KEY }).resolves({ Item: { ...HEAD_KEY, version } });

describe('POST /vessels', () => {
  const register = (as = fisheries, body: unknown = vesselBody(TODAY), port?: string) =>
    call(certificates, 'POST /vessels', as, { body, ...(port ? { port } : {}) });

  it('registers the boat with the next official number, its name guard and the audit item in one transaction', async () => {
    dynamo.on(GetCommand, { Key: COUNTER_KEY }).resolves({ Item: { ...COUNTER_KEY, value: 6 } });

    const reply = await register();

    expect(reply.status).toBe(201);
    expect(reply.headers.location).toBe(`/vessels/${NO}`);
    expect(reply.json).toMatchObject({
      officialNumber: NO,
      status: 'ACTIVE',
      certificate: { serial: `${NO}/1` },
    });
    expect(writesOf(transaction())).toEqual([
      { op: 'Update', key: 'COUNTER#VR-GWD#2026 COUNTER', conditioned: true },
      { op: 'Put', key: `VESSEL#${NO} VESSEL`, conditioned: true },
      { op: 'Put', key: 'VNAME#GWD#alnoor786#5210112345673 VNAME', conditioned: true },
      { op: 'Put', key: expect.stringMatching(new RegExp(`^VESSEL#${NO} AUDIT#`)), conditioned: true },
      // The Ministry feed's outbox entry, queued in the same transaction as the change.
      { op: 'Put', key: expect.stringMatching(/^FEED#vessel-change#/), conditioned: true },
      // The owner's name index items, so FIA's search finds the owner by name.
      ...nameIndexKeys('Abdul Ghafoor Sanjrani').map((key) => ({
        op: 'Put',
        key: `NAME#${key} 5210112345673`,
        conditioned: false,
      })),
    ]);
    expect(metrics().count(VESSEL_METRIC.registered)).toBe(1);
  });

  it('signs a vr+jwt certificate that verifies with the published key, valid at a port', async () => {
    const reply = await register();

    const trust = await trustStoreFromJwks({ keys: environment.passKeys });
    const result = await verifyCredential(reply.json.certificate.qrText, trust, {
      now: NOW,
      kind: 'vr',
      checkpoint: 'PSN',
    });
    expect(result.verdict).toBe('VALID');
    expect(result.claims).toMatchObject({ sub: 'GWD-2026-00001/1', n: 'Al-Noor 786', h: 'GWD', m: 12 });
    // The licence starts today, so the certificate is valid from its issue and carries no nbf.
    expect(result.claims).not.toHaveProperty('nbf');
  });

  it('takes the next number when a rival claimed this one, and signs again', async () => {
    // The rival's transaction moved the counter to 1 between this one's read and its write.
    dynamo
      .on(GetCommand, { Key: COUNTER_KEY })
      .resolvesOnce({})
      .resolves({ Item: { ...COUNTER_KEY, value: 1 } });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCancelled(['ConditionalCheckFailed', 'None', 'None', 'None']))
      .resolves({});

    const reply = await register();

    expect(reply.status).toBe(201);
    expect(reply.json.officialNumber).toBe('GWD-2026-00002');
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('answers a duplicate 409 naming the boat that holds the name, and does not retry', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejects(transactionCancelled(['None', 'None', 'ConditionalCheckFailed', 'None']));
    dynamo
      .on(GetCommand, { Key: { PK: 'VNAME#GWD#alnoor786#5210112345673', SK: 'VNAME' } })
      .resolves({ Item: { officialNumber: 'GWD-2025-00311' } });

    const reply = await register(fisheries, vesselBody(TODAY, { name: 'AL NOOR-786' }));

    expect(reply.status).toBe(409);
    expect(reply.json.detail).toBe(
      'A boat of this name and owner is already registered at GWD: GWD-2025-00311.',
    );
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('answers a previous registration another boat took over 409, naming that boat', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejects(transactionCancelled(['None', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None']));
    dynamo
      .on(GetCommand, { Key: { PK: 'VPREV#KFH-2019-00077', SK: 'VPREV' } })
      .resolves({ Item: { officialNumber: 'ORM-2024-00012' } });

    const reply = await register(fisheries, vesselBody(TODAY, { previousRegistration: 'KFH-2019-00077' }));

    expect(reply.status).toBe(409);
    expect(reply.json.detail).toBe(
      'The previous registration is already taken over by another boat: ORM-2024-00012.',
    );
  });

  it('answers a previous registration still active on this register 409', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejects(transactionCancelled(['None', 'None', 'None', 'None', 'None', 'ConditionalCheckFailed']));

    const reply = await register(fisheries, vesselBody(TODAY, { previousRegistration: 'KFH-2019-00077' }));

    expect(reply.status).toBe(409);
    expect(reply.json.detail).toBe(
      'KFH-2019-00077 is still on this register: cancel it before registering the hull again.',
    );
  });

  it('refuses a boat of another port 403, and an officer without a port', async () => {
    const other = await register(fisheries, vesselBody(TODAY), 'PSN');
    const unbound = await invoke(
      certificates,
      httpEvent('POST /vessels', { as: fisheries, body: vesselBody(TODAY) }),
    );

    expect(other.status).toBe(403);
    expect(other.json.detail).toBe("You act for the PSN port office; this boat's home port is GWD.");
    expect(unbound.status).toBe(403);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers bad fields 400 naming each, and writes nothing', async () => {
    const reply = await register(fisheries, vesselBody(TODAY, { maxCrew: 90, hullMaterial: 'PAPER' }));

    expect(reply.status).toBe(400);
    expect(reply.json.errors.map((e: { field: string }) => e.field)).toEqual(['hullMaterial', 'maxCrew']);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it.each([fia, moi, checkpoint])('refuses $roles.0 403', async (as) => {
    expect((await register(as)).status).toBe(403);
  });

  it('registers a boat whose owner is on the watchlist without reading the watchlist at all', async () => {
    dynamo
      .on(GetCommand, { Key: { PK: 'WATCH#5210112345673', SK: 'WATCH' } })
      .resolves({ Item: { cnic: '5210112345673', category: 'trafficking', reason: 'x' } });

    const reply = await register();

    expect(reply.status).toBe(201);
    expect(reply.json).not.toHaveProperty('watchlistHit');
    expect(dynamo).not.toHaveReceivedCommandWith(GetCommand, {
      Key: { PK: 'WATCH#5210112345673', SK: 'WATCH' },
    });
  });
});

describe('certificate changes', () => {
  it('renewal stores the new licence and certificate and revokes the old serial, all in one transaction', async () => {
    holding(stored());
    headAt(41);

    const reply = await call(certificates, 'POST /vessels/{no}/renew', fisheries, {
      body: { licenceValidUntil: '2028-03-09' },
    });

    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ licenceValidUntil: '2028-03-09', certificate: { serial: `${NO}/2` } });
    const items = transaction();
    expect(writesOf(items)).toEqual([
      { op: 'Put', key: `VESSEL#${NO} VESSEL`, conditioned: true },
      { op: 'Put', key: 'REVOCATIONS V#000000000042', conditioned: true },
      { op: 'Update', key: 'REVOCATIONS HEAD', conditioned: true },
      { op: 'Put', key: expect.stringMatching(/ AUDIT#/), conditioned: true },
      { op: 'Put', key: expect.stringMatching(/^FEED#vessel-change#/), conditioned: true },
    ]);
    expect((items[1] as { Put: { Item: Record<string, unknown> } }).Put.Item.number).toBe(`${NO}/1`);
    expect(
      (items[0] as { Put: { ExpressionAttributeValues: unknown } }).Put.ExpressionAttributeValues,
    ).toEqual({
      ':status': 'ACTIVE',
      ':certificates': 1,
    });
  });

  it('suspension revokes the certificate and signs nothing', async () => {
    holding(stored());
    headAt(3);

    const reply = await call(vessels, 'POST /vessels/{no}/suspend', fisheries, {
      body: { reason: 'Unpaid dues.' },
    });

    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      status: 'SUSPENDED',
      certificate: { serial: `${NO}/1`, revoked: true },
    });
    expect(writesOf(transaction()).map((w) => w.key)).toContain('REVOCATIONS V#000000000004');
    expect(metrics().count(VESSEL_METRIC.certificatesRevoked)).toBe(1);
    expect(metrics().count(VESSEL_METRIC.certificatesIssued)).toBe(0);
  });

  it('cancelling a suspended boat revokes nothing more and releases its name', async () => {
    holding(stored({ status: 'SUSPENDED' }));

    const reply = await call(vessels, 'POST /vessels/{no}/cancel', fisheries, {
      body: { reason: 'Broken up.' },
    });

    expect(reply.status).toBe(200);
    expect(writesOf(transaction())).toEqual([
      { op: 'Put', key: `VESSEL#${NO} VESSEL`, conditioned: true },
      { op: 'Delete', key: 'VNAME#GWD#alnoor786#5210112345673 VNAME', conditioned: true },
      { op: 'Put', key: expect.stringMatching(/ AUDIT#/), conditioned: true },
      { op: 'Put', key: expect.stringMatching(/^FEED#vessel-change#/), conditioned: true },
    ]);
  });

  it('a transfer moves the name guard to the new owner and keeps the old owner in the audit item', async () => {
    holding(stored());
    const owner = {
      name: 'Karim Bakhsh',
      fatherName: 'Dad Muhammad',
      cnic: '52102-7654321-5',
      address: 'Pasni Road',
    };

    const reply = await call(certificates, 'POST /vessels/{no}/transfer', fisheries, { body: { owner } });

    expect(reply.status).toBe(200);
    const items = transaction();
    expect(writesOf(items).map((w) => `${w.op} ${w.key}`)).toEqual([
      `Put VESSEL#${NO} VESSEL`,
      'Put REVOCATIONS V#000000000001',
      'Update REVOCATIONS HEAD',
      'Delete VNAME#GWD#alnoor786#5210112345673 VNAME',
      'Put VNAME#GWD#alnoor786#5210276543215 VNAME',
      expect.stringMatching(/^Put VESSEL#GWD-2026-00007 AUDIT#/),
      expect.stringMatching(/^Put FEED#vessel-change#/),
      ...nameIndexKeys('Karim Bakhsh').map((key) => `Put NAME#${key} 5210276543215`),
    ]);
    const audit = (items[5] as unknown as { Put: { Item: { detail: Record<string, unknown> } } }).Put.Item
      .detail;
    expect(audit.previousOwner).toMatchObject({ cnic: '5210112345673' });
    const put = (items[0] as { Put: { Item: Record<string, unknown> } }).Put.Item;
    expect(put.GSI2PK).toBe('CNIC#5210276543215');
  });

  it('refuses to transfer a boat to its own owner, 400', async () => {
    holding(stored());
    const owner = { name: 'X Y', fatherName: 'Z W', cnic: '52101-1234567-3', address: 'Mulla Band' };

    const reply = await call(certificates, 'POST /vessels/{no}/transfer', fisheries, { body: { owner } });

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([
      { field: 'owner/cnic', message: 'The boat already belongs to this CNIC.' },
    ]);
  });

  it('reinstates a boat whose licence ended while suspended only with a new last day', async () => {
    holding(stored({ status: 'SUSPENDED', licenceValidFrom: '2025-03-01', licenceValidUntil: '2026-02-28' }));

    const lapsed = await call(certificates, 'POST /vessels/{no}/reinstate', fisheries, { body: {} });
    const renewed = await call(certificates, 'POST /vessels/{no}/reinstate', fisheries, {
      body: { licenceValidUntil: '2027-03-09' },
    });

    expect(lapsed.status).toBe(409);
    expect(lapsed.json.detail).toBe('The licence ended on 2026-02-28; renew it before certifying.');
    expect(renewed.status).toBe(200);
    expect(renewed.json).toMatchObject({
      status: 'ACTIVE',
      licenceValidFrom: TODAY,
      licenceValidUntil: '2027-03-09',
      certificate: { serial: `${NO}/2` },
    });
    // The certificate was revoked at suspension: reinstatement revokes nothing more.
    expect(writesOf(transaction()).map((w) => w.key)).not.toContain('REVOCATIONS HEAD');
  });

  it('answers a change of a cancelled boat 409 and a missing boat 404', async () => {
    holding(stored({ status: 'CANCELLED' }));
    const cancelled = await call(certificates, 'POST /vessels/{no}/reinstate', fisheries, { body: {} });
    dynamo.on(GetCommand, { Key: VESSEL_KEY }).resolves({});
    const missing = await call(certificates, 'POST /vessels/{no}/reinstate', fisheries, { body: {} });

    expect(cancelled.status).toBe(409);
    expect(missing.status).toBe(404);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it("refuses another port's officer 403 before writing", async () => {
    holding(stored());

    const reply = await call(vessels, 'POST /vessels/{no}/suspend', fisheries, {
      body: { reason: 'Not mine.' },
      port: 'ORM',
    });

    expect(reply.status).toBe(403);
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});

describe('reading the register', () => {
  const listedOwner = () =>
    dynamo
      .on(GetCommand, { Key: { PK: 'WATCH#5210112345673', SK: 'WATCH' } })
      .resolves({ Item: { cnic: '5210112345673', category: 'trafficking', reason: 'x', addedAt: AT } });

  it('shows the MoI a watchlist hit and writes the audit item saying who saw it', async () => {
    holding(stored());
    listedOwner();

    const reply = await call(vessels, 'GET /vessels/{no}', moi);

    expect(reply.json.watchlistHit).toEqual({ category: 'trafficking', listedAt: AT });
    const [audit] = transaction() as unknown as [{ Put: { Item: Record<string, unknown> } }];
    expect(audit.Put.Item).toMatchObject({
      action: 'WATCHLIST_HIT_SHOWN',
      actor: { sub: 'analyst-1', role: 'moi-analyst' },
    });
  });

  it('never shows Fisheries the hit, and records no reading', async () => {
    holding(stored());
    listedOwner();

    const reply = await call(vessels, 'GET /vessels/{no}', fisheries);

    expect(reply.status).toBe(200);
    expect(reply.body).not.toContain('trafficking');
    expect(dynamo).not.toHaveReceivedCommandWith(GetCommand, {
      Key: { PK: 'WATCH#5210112345673', SK: 'WATCH' },
    });
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('answers a malformed official number 404 without reading the table', async () => {
    const reply = await call(vessels, 'GET /vessels/{no}', fia, { pathParameters: { no: 'GWD-26-7' } });

    expect(reply.status).toBe(404);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it("lists a Fisheries officer's own port from the port index when no filter is named", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ ...VESSEL_KEY, kind: 'VESSEL', ...stored() }] });

    const reply = await call(vessels, 'GET /vessels', fisheries);

    expect(reply.status).toBe(200);
    expect(reply.json.port).toBe('GWD');
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE_NAME,
      IndexName: 'GSI4',
      KeyConditionExpression: 'GSI4PK = :pk',
      ExpressionAttributeValues: { ':pk': 'PORT#GWD' },
    });
  });

  it('lists an owner’s boats from the CNIC index', async () => {
    const reply = await call(vessels, 'GET /vessels', fia, { query: { ownerCnic: '52101-1234567-3' } });

    expect(reply.status).toBe(200);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'GSI2',
      ExpressionAttributeValues: { ':pk': 'CNIC#5210112345673', ':kind': 'VESSEL#' },
    });
  });

  it('asks FIA to name a port or an owner, 400, and queries nothing', async () => {
    const reply = await call(vessels, 'GET /vessels', fia);

    expect(reply.status).toBe(400);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses a misspelt query parameter 400', async () => {
    const reply = await call(vessels, 'GET /vessels', fia, { query: { prot: 'GWD' } });

    expect(reply.status).toBe(400);
  });

  it('keeps the history from the MoI, 403', async () => {
    expect((await call(vessels, 'GET /vessels/{no}/history', moi)).status).toBe(403);
  });

  it('serves the certificate page with the Urdu labels and the status', async () => {
    holding(stored({ status: 'SUSPENDED' }));

    const reply = await call(vessels, 'GET /vessels/{no}/certificate', fisheries);

    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.body).toContain('@page { size: A5 portrait');
    expect(reply.body).toContain('مالک کا شناختی کارڈ');
    expect(reply.body).toContain('52101-1234567-3');
    expect(reply.body).toContain('SUSPENDED');
  });
});
