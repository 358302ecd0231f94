// What every route group shares: who the caller is from the authorizer's claims, and how bodies are refused.
import { describe, expect, it } from 'vitest';
import { createApplicationsHandler } from '../../../functions/api/applications.ts';
import { callerOf, groupsOf } from '../../../functions/http/caller.ts';
import type { HttpHandler } from '../../../functions/http/event.ts';
import { httpEvent, invoke } from './events.ts';
import { applicationBody } from './records.ts';
import { handlerTestbed } from './testbed.ts';

let handler: HttpHandler;
await handlerTestbed((deps) => {
  handler = createApplicationsHandler(deps);
});

/** An event whose `cognito:groups` claim is exactly `groups`, as an authorizer could pass it on. */
function withGroups(groups: unknown) {
  const event = httpEvent('GET /applications');
  event.requestContext.authorizer = {
    jwt: { claims: { sub: 'someone-1', 'cognito:groups': groups as string }, scopes: null },
  };
  return event;
}

/** An event with exactly these claims beside `sub`, as the authorizer passes them on. */
function withClaims(claims: Record<string, string>) {
  const event = httpEvent('GET /applications');
  event.requestContext.authorizer = { jwt: { claims: { sub: 'someone-1', ...claims }, scopes: null } };
  return event;
}

describe('an account bound to a CNIC', () => {
  it('is an applicant when it is in no group, as the accounts route creates it', () => {
    expect(callerOf(withClaims({ 'custom:cnic': '5410112345673' }))).toEqual({
      sub: 'someone-1',
      roles: ['applicant'],
      cnic: '5410112345673',
    });
  });

  it('is an applicant when its groups name no role the API knows', () => {
    expect(
      callerOf(withClaims({ 'cognito:groups': '[admins]', 'custom:cnic': '5410112345673' }))?.roles,
    ).toEqual(['applicant']);
  });

  it('stays an applicant, once, in the applicant group', () => {
    expect(
      callerOf(withClaims({ 'cognito:groups': '[applicant]', 'custom:cnic': '5410112345673' }))?.roles,
    ).toEqual(['applicant']);
  });

  it.each([
    'fia-officer',
    'fia-supervisor',
    'checkpoint-officer',
    'moi-analyst',
    'fisheries-officer',
  ] as const)('does not make a %s with a CNIC an applicant too', (group) => {
    expect(
      callerOf(withClaims({ 'cognito:groups': `[${group}]`, 'custom:cnic': '5410112345673' }))?.roles,
    ).toEqual([group]);
  });

  it('is an applicant beside a staff role only when it is in the applicant group as well', () => {
    expect(
      callerOf(withClaims({ 'cognito:groups': '[fia-officer applicant]', 'custom:cnic': '5410112345673' }))
        ?.roles,
    ).toEqual(['fia-officer', 'applicant']);
  });

  it.each([
    ['no CNIC', {}],
    ['a CNIC that does not parse', { 'custom:cnic': '0410112345673' }],
    ['an empty CNIC', { 'custom:cnic': '' }],
  ])('gives an account in no group and with %s no role at all', (_, claims) => {
    expect(callerOf(withClaims(claims))?.roles).toEqual([]);
  });

  it('may apply for its own CNIC with no group at all', async () => {
    const event = httpEvent('POST /applications', { body: applicationBody() });
    event.requestContext.authorizer = {
      jwt: { claims: { sub: 'resident-9', 'custom:cnic': '5410112345673' }, scopes: null },
    };

    const reply = await invoke(handler, event);

    expect(reply.status).toBe(201);
    expect(reply.json.submittedBy).toBeUndefined();
  });

  it('is kept out of an officer route', async () => {
    const reply = await invoke(handler, withClaims({ 'custom:cnic': '5410112345673' }));

    expect(reply.status).toBe(403);
    expect(reply.json.detail).toBe('Your role may not use this route.');
  });
});

describe('group claims', () => {
  it('reads a JSON array of groups', () => {
    expect(groupsOf(['fia-officer', 'applicant'])).toEqual(['fia-officer', 'applicant']);
  });

  it('reads the flattened "[a b]" form the HTTP API authorizer produces', () => {
    expect(groupsOf('[fia-officer applicant]')).toEqual(['fia-officer', 'applicant']);
    expect(groupsOf('[fia-supervisor]')).toEqual(['fia-supervisor']);
    expect(groupsOf('[]')).toEqual([]);
  });

  it.each([
    ['a group named with a comma', 'applicant,fia-supervisor'],
    ['a group padded with spaces', ' fia-officer '],
    ['a bare group name', 'fia-officer'],
    ['brackets holding a comma list', '[applicant,fia-supervisor]'],
    ['brackets with padding', '[ fia-officer ]'],
    ['brackets with two spaces between', '[applicant  fia-officer]'],
    ['an unclosed bracket', '[fia-officer'],
  ])('grants no role for %s', (_, value) => {
    expect(callerOf(withGroups(value))?.roles).toEqual([]);
  });

  it('refuses with 403 an officer route to a group named "applicant,fia-supervisor"', async () => {
    const reply = await invoke(handler, withGroups('applicant,fia-supervisor'));

    expect(reply.status).toBe(403);
  });

  it('refuses with 403 an officer route to a group named " fia-officer "', async () => {
    const reply = await invoke(handler, withGroups(' fia-officer '));

    expect(reply.status).toBe(403);
  });

  it('admits the same officer when the claim is in the flattened form', async () => {
    const reply = await invoke(handler, withGroups('[fia-officer]'));

    expect(reply.status).toBe(200);
  });
});

describe('request bodies', () => {
  const officer = { sub: 'officer-1', roles: ['fia-officer' as const] };

  it('refuses a base64 body that is not valid UTF-8 with 400, never replacing the bytes', async () => {
    const event = httpEvent('POST /applications', { as: officer, body: applicationBody() });
    const bytes = Buffer.concat([
      Buffer.from((event.body as string).slice(0, -2)),
      Buffer.from([0xff, 0x22, 0x7d]),
    ]);
    event.body = bytes.toString('base64');
    event.isBase64Encoded = true;

    const reply = await invoke(handler, event);

    expect(reply.status).toBe(400);
    expect(reply.json.detail).toBe('The body is not valid UTF-8.');
  });

  it('refuses a text body holding a lone surrogate, which no UTF-8 byte sequence encodes', async () => {
    const event = httpEvent('POST /applications', { as: officer, body: applicationBody() });
    event.body = (event.body as string).replace('Abdul', '\ud800');

    const reply = await invoke(handler, event);

    expect(reply.status).toBe(400);
    expect(reply.json.detail).toBe('The body is not valid UTF-8.');
  });

  it('lists at most 20 field errors and says how many more there were', async () => {
    const extra = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`unknown${i}`, i]));

    const reply = await invoke(
      handler,
      httpEvent('POST /applications', { as: officer, body: applicationBody(extra) }),
    );

    expect(reply.status).toBe(400);
    expect(reply.json.errors).toHaveLength(20);
    expect(reply.json.moreErrors).toBe(10);
  });

  it('lists every field error, and no count, when there are 20 or fewer', async () => {
    const extra = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`unknown${i}`, i]));

    const reply = await invoke(
      handler,
      httpEvent('POST /applications', { as: officer, body: applicationBody(extra) }),
    );

    expect(reply.json.errors).toHaveLength(3);
    expect(reply.json).not.toHaveProperty('moreErrors');
  });
});
