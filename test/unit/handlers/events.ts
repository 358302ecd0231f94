// API Gateway HTTP API (v2) events as the JWT authorizer hands them to a route group, and their results read back.
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpHandler } from '../../../functions/http/event.ts';
import { toHttpApiEvent } from '../../../local/http-event.ts';
import type { Role } from '../../../shared/schemas.ts';

/**
 * Who signs in: the token's subject, its Cognito groups and what the account is bound to: a checkpoint
 * officer's checkpoint, an applicant's CNIC.
 */
export interface TokenHolder {
  sub: string;
  roles: Role[];
  checkpoint?: string;
  cnic?: string;
}

export const signedInAs = (
  role: Role,
  sub = `${role}-1`,
  bound: { checkpoint?: string; cnic?: string } = {},
): TokenHolder => ({
  sub,
  roles: [role],
  ...(bound.checkpoint ? { checkpoint: bound.checkpoint } : {}),
  ...(bound.cnic ? { cnic: bound.cnic } : {}),
});

export interface RequestOptions {
  /** Absent: no token, as on a public route. */
  as?: TokenHolder;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else as JSON. Either way with content-type application/json. */
  body?: unknown;
}

const REQUEST_ID = 'req-unit-0001';

/** The event for a route key such as `POST /applications/{id}/approve`, with its path parameters filled in. */
export function httpEvent(routeKey: string, options: RequestOptions = {}): HttpEvent {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const params = options.pathParameters ?? {};
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return toHttpApiEvent({
    routeKey,
    method,
    path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: {
      host: 'api.rahdari.test',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(body !== undefined ? { body: new TextEncoder().encode(body) } : {}),
    ...(options.as ? { claims: flattenedClaims(options.as) } : {}),
    requestId: REQUEST_ID,
    sourceIp: '203.0.113.7',
    at: Date.now(),
  });
}

/** The HTTP API JWT authorizer passes an array claim on as the string "[a b]". */
function flattenedClaims(caller: TokenHolder): Record<string, string> {
  return {
    sub: caller.sub,
    'cognito:groups': `[${caller.roles.join(' ')}]`,
    ...(caller.checkpoint ? { 'custom:checkpoint': caller.checkpoint } : {}),
    ...(caller.cnic ? { 'custom:cnic': caller.cnic } : {}),
  };
}

const context: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'rahdari-unit',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:me-south-1:111122223333:function:rahdari-unit',
  memoryLimitInMB: '512',
  awsRequestId: REQUEST_ID,
  logGroupName: '/aws/lambda/rahdari-unit',
  logStreamName: 'unit',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body is base64 (a binary image); API Gateway decodes it for the client. */
  base64Encoded: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  json: any;
}

/** Calls a route group's Lambda handler and reads back its status, headers and body (parsed when JSON). */
export async function invoke(handler: HttpHandler, event: HttpEvent): Promise<Reply> {
  const result = await handler(event, context);
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  const body = result.body ?? '';
  const isJson = /json/.test(headers['content-type'] ?? '') && body !== '';
  return {
    status: result.statusCode ?? 200,
    headers,
    body,
    base64Encoded: result.isBase64Encoded === true,
    json: isJson ? JSON.parse(body) : undefined,
  };
}
