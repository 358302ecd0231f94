// A route group's Lambda handler: one middy chain (logger context, metrics flush, problem+json, request log) and
// the per-route dispatch inside it, each route declaring its roles and the schemas of its path, query and body.
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type * as z from 'zod/mini';
import { zodIssuesToFieldErrors } from '../../shared/field-errors.ts';
import type { Role } from '../../shared/roles.ts';
import { readBody } from './body.ts';
import { type Caller, callerOf, hasRole } from './caller.ts';
import type { HttpEvent, HttpHandler, HttpResult } from './event.ts';
import { problemOf, problemResponse, problems } from './problem.ts';

type Schema = z.ZodMiniType;
type Parsed<S> = S extends Schema ? z.infer<S> : undefined;

export interface RouteSpec<
  B extends Schema | undefined,
  P extends Schema | undefined,
  Q extends Schema | undefined,
> {
  /** Roles allowed to call the route at all; finer rules (own record, state) live in the services. */
  roles: readonly Role[] | 'public';
  body?: B;
  /** The body's limit where the route group takes more than 64 KB (its maxBodyBytes in functions/routes.ts). */
  maxBodyBytes?: number;
  /** Path parameters, as the HTTP API hands them over (already percent-decoded). */
  params?: P;
  /** Query parameters; absent ones arrive as undefined. */
  query?: Q;
  /**
   * A path parameter that fails its schema names nothing that can exist: answered 404 with this detail, as a
   * missing record is, rather than 400.
   */
  notFound?: (params: Record<string, string | undefined>) => string;
}

export interface RouteRequest<B, P, Q> {
  event: HttpEvent;
  caller: Caller;
  body: B;
  params: P;
  query: Q;
}

/** A route ready for dispatch: its generics are closed over, so a group holds routes of any shape. */
export interface Route {
  roles: readonly Role[] | 'public';
  serve(event: HttpEvent, caller: Caller | undefined): Promise<HttpResult>;
}

function parseParts<S extends Schema>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw problems.invalid(`Some ${what} are invalid.`, zodIssuesToFieldErrors(parsed.error.issues));
  return parsed.data;
}

export function route<
  B extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
>(
  spec: RouteSpec<B, P, Q>,
  run: (request: RouteRequest<Parsed<B>, Parsed<P>, Parsed<Q>>) => Promise<HttpResult>,
): Route {
  return {
    roles: spec.roles,
    async serve(event, caller) {
      if (spec.roles !== 'public') {
        if (!caller) throw problems.unauthorized();
        if (!hasRole(caller, spec.roles)) throw problems.forbidden('Your role may not use this route.');
      }
      const rawParams = event.pathParameters ?? {};
      let params: Parsed<P> = undefined as Parsed<P>;
      if (spec.params) {
        const parsed = spec.params.safeParse(rawParams);
        if (!parsed.success) {
          if (spec.notFound) throw problems.notFound(spec.notFound(rawParams));
          throw problems.invalid(
            'Some path parameters are invalid.',
            zodIssuesToFieldErrors(parsed.error.issues),
          );
        }
        params = parsed.data as Parsed<P>;
      }
      const query = (
        spec.query ? parseParts(spec.query, event.queryStringParameters ?? {}, 'query parameters') : undefined
      ) as Parsed<Q>;
      const body = (spec.body ? readBody(event, spec.body, spec.maxBodyBytes) : undefined) as Parsed<B>;
      return run({ event, caller: caller ?? { sub: '', roles: [] }, body, params, query });
    },
  };
}

/** What a route group's chain reports to: the structured logger and the EMF metrics it flushes per request. */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

/** Unexpected errors become 500 without detail (logged with their stack); domain errors become their problem. */
function problemJson(logger: Logger): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      const instance = request.event.requestContext.requestId;
      const problem = problemOf(request.error);
      if (!problem) logger.error('unhandled error', { error: request.error as Error });
      request.response = problemResponse(problem ?? problems.internal(), instance);
    },
  };
}

/** One line per request: route key, status, role, latency; never a path, a body, a CNIC or a token. */
function requestLog(logger: Logger): MiddlewareObj<HttpEvent, HttpResult> {
  // Keyed by event: the local server runs requests of one group concurrently through one chain.
  const started = new WeakMap<HttpEvent, number>();
  const line = (event: HttpEvent, status: number | undefined) =>
    logger.info('request', {
      requestId: event.requestContext.requestId,
      route: event.routeKey,
      status,
      role: callerOf(event)?.roles.join(',') || 'anonymous',
      ms: Math.round(performance.now() - (started.get(event) ?? performance.now())),
    });
  return {
    before: async (request) => {
      started.set(request.event, performance.now());
    },
    after: async (request) => line(request.event, request.response?.statusCode),
    onError: async (request) => line(request.event, request.response?.statusCode),
  };
}

/** The Lambda handler of a route group: dispatches on the HTTP API route key inside one middy chain. */
export function routeGroup(routes: Record<string, Route>, { logger, metrics }: Observability): HttpHandler {
  const handler = middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(requestLog(logger))
    // Last, so its onError runs first and the request log sees the problem's status.
    .use(problemJson(logger))
    .handler(async (event) => {
      const served = routes[event.routeKey];
      if (!served) throw problems.notFound(`No route ${event.routeKey}.`);
      return served.serve(event, callerOf(event));
    });
  return handler as unknown as HttpHandler;
}
