// HTTP plumbing every handler shares: the caller from the JWT authorizer, JSON bodies, roles, RFC 9457 problems.
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { FieldError } from '../shared/domain/application.ts';
import { parseCnic } from '../shared/domain/cnic.ts';
import { zodIssuesToFieldErrors } from '../shared/field-errors.ts';
import { ROLES, type Role } from '../shared/roles.ts';

let sharedLogger: Logger | undefined;
/** The structured logger, made on first use so the log level set by the environment at start-up applies. */
export function logger(): Logger {
  sharedLogger ??= new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'rahdari' });
  return sharedLogger;
}

export const MAX_BODY_BYTES = 64 * 1024;

/** An API Gateway HTTP API (v2) event; `authorizer.jwt.claims` is present on authorized routes. */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: {
      jwt?: { claims: Record<string, string | number | boolean | string[]>; scopes: string[] | null };
    };
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** A refusal with an RFC 9457 problem body. Raised anywhere below a route; rendered in one place. */
export class Problem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;

  constructor(status: number, slug: string, title: string, detail: string, errors?: FieldError[]) {
    super(detail);
    this.status = status;
    this.type = `urn:rahdari:problem:${slug}`;
    this.title = title;
    this.errors = errors;
  }
}

export const problems = {
  invalid: (detail: string, errors?: FieldError[]) =>
    new Problem(400, 'invalid-request', 'Invalid request', detail, errors),
  unauthorized: (detail = 'A valid bearer token is required.') =>
    new Problem(401, 'unauthorized', 'Unauthorized', detail),
  forbidden: (detail: string) => new Problem(403, 'forbidden', 'Forbidden', detail),
  notFound: (detail: string) => new Problem(404, 'not-found', 'Not found', detail),
  conflict: (detail: string) => new Problem(409, 'conflict', 'Conflict', detail),
  /** Lost every retry to concurrent writers: nothing is wrong with the request, so it is worth repeating. */
  busy: (detail: string) => new Problem(503, 'busy', 'Busy', detail),
  tooLarge: () =>
    new Problem(413, 'too-large', 'Payload too large', `The body must be at most ${MAX_BODY_BYTES} bytes.`),
  unsupported: () =>
    new Problem(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      'Send the body as application/json.',
    ),
};

/** Who is calling, from the token's claims. Cognito puts groups in `cognito:groups`; the role is the group. */
export interface Caller {
  sub: string;
  roles: Role[];
  /** The checkpoint a checkpoint officer is bound to. */
  checkpoint?: string;
  /** The CNIC (13 digits) an applicant account is bound to, from Cognito's `custom:cnic`. */
  cnic?: string;
}

/**
 * The HTTP API JWT authorizer hands claims over flattened: an array claim such as `cognito:groups` arrives as
 * the string "[a b]". Both forms are read here so local and AWS behave the same.
 */
function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function callerOf(event: HttpEvent): Caller | undefined {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  const roles = groupsOf(claims['cognito:groups']).filter((g): g is Role =>
    (ROLES as readonly string[]).includes(g),
  );
  const checkpoint = claims['custom:checkpoint'];
  // Normalized, so a number an administrator typed with dashes still binds; anything else binds no CNIC at all.
  const cnic = typeof claims['custom:cnic'] === 'string' ? parseCnic(claims['custom:cnic']) : undefined;
  return {
    sub: claims.sub,
    roles,
    ...(typeof checkpoint === 'string' && checkpoint ? { checkpoint } : {}),
    ...(cnic?.ok ? { cnic: cnic.cnic } : {}),
  };
}

export const hasRole = (caller: Caller, roles: readonly Role[]) =>
  caller.roles.some((r) => roles.includes(r));

export const FIA_ROLES: readonly Role[] = ['fia-officer', 'fia-supervisor'];

/** The role a caller acts in, among those a route allows: recorded in audit items. */
export function actorOf(caller: Caller, allowed: readonly Role[]): { sub: string; role: Role } {
  const role = caller.roles.find((r) => allowed.includes(r));
  if (!role) throw new Error('actorOf called for a caller the route did not admit');
  return { sub: caller.sub, role };
}

export interface RouteRequest<Body> {
  event: HttpEvent;
  caller: Caller;
  body: Body;
  params: Record<string, string>;
  query: Record<string, string>;
}

interface RouteSpec<S extends z.ZodMiniType | undefined> {
  /** Roles allowed to call the route at all; finer rules (own record, state) live in the route itself. */
  roles: readonly Role[] | 'public';
  body?: S;
}

type BodyOf<S> = S extends z.ZodMiniType ? z.infer<S> : undefined;

function readBody<S extends z.ZodMiniType>(event: HttpEvent, schema: S): z.infer<S> {
  const type = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type))
    throw problems.unsupported();
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.byteLength(raw, 'base64') : Buffer.byteLength(raw, 'utf8');
  if (bytes > MAX_BODY_BYTES) throw problems.tooLarge();
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw problems.invalid('The body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw problems.invalid('Some fields are invalid.', zodIssuesToFieldErrors(parsed.error.issues));
  }
  return parsed.data;
}

export function problemResponse(problem: Problem, instance?: string): HttpResult {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify({
      type: problem.type,
      title: problem.title,
      status: problem.status,
      detail: problem.message,
      ...(instance ? { instance } : {}),
      ...(problem.errors ? { errors: problem.errors } : {}),
    }),
  };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * One route: authorization by role, then the body parsed against its schema, then the business logic.
 * Anything thrown becomes problem+json; unexpected errors are logged and answered 500 without detail.
 */
export function route<S extends z.ZodMiniType | undefined = undefined>(
  spec: RouteSpec<S>,
  run: (request: RouteRequest<BodyOf<S>>) => Promise<HttpResult>,
): HttpHandler {
  const handler = middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use({
      onError: async (request) => {
        const error = request.error;
        const instance = request.event.requestContext.requestId;
        if (error instanceof Problem) {
          request.response = problemResponse(error, instance);
          return;
        }
        logger().error('unhandled error', { error: error as Error });
        request.response = problemResponse(
          new Problem(
            500,
            'internal',
            'Internal error',
            'The request could not be completed; it may be retried.',
          ),
          instance,
        );
      },
    })
    .handler(async (event) => {
      const caller = callerOf(event);
      if (spec.roles !== 'public') {
        if (!caller) throw problems.unauthorized();
        if (!hasRole(caller, spec.roles)) throw problems.forbidden('Your role may not use this route.');
      }
      const body = (spec.body ? readBody(event, spec.body) : undefined) as BodyOf<S>;
      return run({
        event,
        caller: caller ?? { sub: '', roles: [] },
        body,
        params: (event.pathParameters ?? {}) as Record<string, string>,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
      });
    });
  return handler as unknown as HttpHandler;
}

/**
 * The Lambda handler of a route group: dispatches on the HTTP API route key and logs one line per request
 * (route, status, role, latency; never a body, a CNIC or a token).
 */
export function routeGroup(routes: Record<string, HttpHandler>): HttpHandler {
  return async (event, context) => {
    const started = performance.now();
    const routeKey = event.routeKey;
    const run = routes[routeKey];
    const result = run
      ? await run(event, context)
      : problemResponse(problems.notFound(`No route ${routeKey}.`), event.requestContext.requestId);
    logger().info('request', {
      requestId: event.requestContext.requestId,
      route: routeKey,
      status: result.statusCode,
      role: callerOf(event)?.roles.join(',') || 'anonymous',
      ms: Math.round(performance.now() - started),
    });
    return result;
  };
}
