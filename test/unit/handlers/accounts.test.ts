// The accounts route group through its Lambda handler, with Cognito mocked as it answers: an FIA officer creates an
// applicant account bound to one CNIC, and the body can set nothing else.
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createAccountsHandler } from '../../../functions/api/accounts.ts';
import { cognitoDirectory } from '../../../functions/directory/cognito.ts';
import type { HttpHandler } from '../../../functions/http/event.ts';
import type { Role } from '../../../shared/schemas.ts';
import { TABLE_NAME } from './environment.ts';
import { httpEvent, invoke, type RequestOptions, signedInAs } from './events.ts';
import { CNIC, NOW } from './records.ts';
import { handlerTestbed } from './testbed.ts';

const USER_POOL_ID = 'me-south-1_Rahdari1';
const cognito = mockClient(CognitoIdentityProviderClient);
const client = new CognitoIdentityProviderClient({
  region: 'me-south-1',
  credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
});

let handler: HttpHandler;
const { dynamo } = await handlerTestbed((deps) => {
  handler = createAccountsHandler({ ...deps, directory: cognitoDirectory(client, USER_POOL_ID) });
});

/** What Cognito answers AdminCreateUser with: the user, unconfirmed until the resident signs in. */
beforeEach(() => {
  cognito.reset();
  cognito.on(AdminCreateUserCommand).callsFake((input: { Username: string; UserAttributes: unknown }) => ({
    User: {
      Username: input.Username,
      Attributes: input.UserAttributes,
      UserStatus: 'FORCE_CHANGE_PASSWORD',
      Enabled: true,
    },
  }));
});
afterAll(() => cognito.restore());

const officer = signedInAs('fia-officer', 'officer-7');
const body = { cnic: '54101-1234567-3', name: 'Gul  Bibi', email: 'gul.bibi@example.pk' };
const create = (payload: unknown = body, as: RequestOptions['as'] = officer) =>
  invoke(handler, httpEvent('POST /accounts/applicants', { ...(as ? { as } : {}), body: payload }));

describe('POST /accounts/applicants', () => {
  it('creates the account with 201: username the 13-digit CNIC, invited by e-mail', async () => {
    const reply = await create();

    expect(reply.status).toBe(201);
    expect(reply.json).toEqual({
      username: CNIC,
      cnic: '54101-1234567-3',
      name: 'Gul Bibi',
      email: 'gul.bibi@example.pk',
    });
    expect(cognito).toHaveReceivedCommandExactlyOnceWith(AdminCreateUserCommand, {
      UserPoolId: USER_POOL_ID,
      Username: CNIC,
      DesiredDeliveryMediums: ['EMAIL'],
    });
  });

  it('sets exactly e-mail, name and the CNIC binding, the CNIC normalized to 13 digits', async () => {
    await create();

    const [call] = cognito.commandCalls(AdminCreateUserCommand);
    expect(call?.args[0].input.UserAttributes).toEqual([
      { Name: 'email', Value: 'gul.bibi@example.pk' },
      { Name: 'name', Value: 'Gul Bibi' },
      { Name: 'custom:cnic', Value: CNIC },
    ]);
  });

  it('sends Cognito AdminCreateUser and nothing else: no group, no attribute change', async () => {
    await create();

    expect(cognito.calls().map((c) => c.args[0].constructor.name)).toEqual(['AdminCreateUserCommand']);
  });

  it('records who created the account of which CNIC in one audit item, never overwriting another', async () => {
    await create();

    expect(dynamo).toHaveReceivedCommandExactlyOnceWith(PutCommand, {
      TableName: TABLE_NAME,
      Item: expect.objectContaining({
        PK: `ACCOUNT#${CNIC}`,
        SK: expect.stringMatching(/^AUDIT#2026-03-10T07:00:00\.000Z#/),
        kind: 'AUDIT',
        action: 'ACCOUNT_CREATED',
        actor: { sub: 'officer-7', role: 'fia-officer' },
        at: NOW.toISOString(),
      }),
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  });

  it('lets an FIA supervisor create one too', async () => {
    const reply = await create(body, signedInAs('fia-supervisor'));

    expect(reply.status).toBe(201);
  });

  it('answers 409 when Cognito already has an account for the CNIC, saying so, and audits nothing', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));

    const reply = await create();

    expect(reply.status).toBe(409);
    expect(reply.json.detail).toMatch(/^An account for this CNIC exists already/);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 500, saying the account exists and must not be created again, when its audit item cannot be written', async () => {
    dynamo.on(PutCommand).rejects(new Error('table unavailable'));

    const reply = await create();

    expect(reply.status).toBe(500);
    expect(reply.json.detail).toMatch(/The account was created .* Do not create it again/);
    expect(cognito).toHaveReceivedCommandTimes(AdminCreateUserCommand, 1);
  });

  it('answers 500 without detail when Cognito fails otherwise, and audits nothing', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new Error('Cognito is unavailable'));

    const reply = await create();

    expect(reply.status).toBe(500);
    expect(reply.json.detail).toBe('The request could not be completed; it may be retried.');
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });
});

describe('POST /accounts/applicants refuses a body that reaches past the CNIC binding', () => {
  it.each([
    ['a checkpoint binding', 'custom:checkpoint', 'TFT'],
    ['a port binding', 'custom:port', 'GWD'],
    ['a second CNIC binding', 'custom:cnic', '3520212345671'],
    ['groups', 'groups', ['fia-supervisor']],
    ['a role', 'role', 'fia-supervisor'],
    ['a Cognito group name', 'cognito:groups', '[fia-supervisor]'],
    ['a username of its own', 'username', 'admin'],
    ['any other key', 'phone_number', '+923001234567'],
  ])('refuses %s with 400 on that field and sends nothing', async (_, key, value) => {
    const reply = await create({ ...body, [key]: value });

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field: key, message: 'This field is not allowed.' }]);
    expect(cognito.calls()).toHaveLength(0);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it.each([
    ['cnic', { cnic: '04101-1234567-3' }],
    ['cnic', { cnic: '541011234567' }],
    ['name', { name: 'G' }],
    ['name', { name: 'Gul Bibi 2' }],
    ['name', { name: 'Gul\nBibi' }],
    ['email', { email: 'gul.bibi' }],
    ['email', { email: `${'a'.repeat(250)}@example.pk` }],
    ['email', { email: 'gul\u200b@example.pk' }],
  ])('refuses a bad %s with 400 on that field and sends nothing (%j)', async (field, change) => {
    const reply = await create({ ...body, ...change });

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field, message: expect.any(String) }]);
    expect(cognito.calls()).toHaveLength(0);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it.each(['cnic', 'name', 'email'])('refuses a body without %s', async (field) => {
    const { [field as keyof typeof body]: _left, ...rest } = body;

    const reply = await create(rest);

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([{ field, message: expect.any(String) }]);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('refuses a body that is not JSON with 400 and sends nothing', async () => {
    const reply = await create('{"cnic": ');

    expect(reply.status).toBe(400);
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('POST /accounts/applicants is for FIA staff only', () => {
  it.each<Role>(['applicant', 'checkpoint-officer', 'moi-analyst', 'fisheries-officer'])(
    'refuses a %s with 403 and sends nothing',
    async (role) => {
      const reply = await create(
        body,
        signedInAs(role, `${role}-1`, role === 'checkpoint-officer' ? { checkpoint: 'TFT' } : {}),
      );

      expect(reply.status).toBe(403);
      expect(cognito.calls()).toHaveLength(0);
      expect(dynamo).not.toHaveReceivedAnyCommand();
    },
  );

  it('refuses an account in no group, bound to a CNIC (an applicant), with 403', async () => {
    const event = httpEvent('POST /accounts/applicants', { body });
    event.requestContext.authorizer = {
      jwt: { claims: { sub: 'resident-1', 'custom:cnic': CNIC }, scopes: null },
    };

    const reply = await invoke(handler, event);

    expect(reply.status).toBe(403);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('refuses a request without a token with 401 and sends nothing', async () => {
    const reply = await invoke(handler, httpEvent('POST /accounts/applicants', { body }));

    expect(reply.status).toBe(401);
    expect(cognito.calls()).toHaveLength(0);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});
