// The local HTTP API: turns each request into an API Gateway HTTP API (v2) event and calls the same Lambda
// handlers the CDK app deploys, after checking the bearer token as the JWT authorizer would.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import type { HttpHandler, HttpResult } from '../functions/http/event.ts';
import { MAX_BODY_BYTES, Problem, problemResponse, problems } from '../functions/http/problem.ts';
import { ROUTE_GROUPS, type RouteGroup, type RouteGroupName } from '../functions/routes.ts';
import { DevLoginInput, zodIssuesToFieldErrors } from '../shared/schemas.ts';
import type { DevIssuer } from './dev-issuer.ts';
import { toHttpApiEvent } from './http-event.ts';

/**
 * No route takes a body over the API's 64 KB, so the local server reads no more than that: a larger declared
 * length is refused before a byte is read, and a chunked body stops being read at the limit.
 */
const MAX_REQUEST_BYTES = MAX_BODY_BYTES;

/** The client went away mid-request: nothing to answer and nothing worth a stack trace. */
class ClientGone extends Error {
  override name = 'ClientGone';
}

/** Loopback only: the dev login hands any role to whoever reaches it. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The local server may not listen where others reach it; the message is one line. */
export class UnsafeHostError extends Error {
  override name = 'UnsafeHostError';
}

export function assertLoopback(host: string): void {
  if (!isLoopback(host)) {
    throw new UnsafeHostError(
      `refusing to listen on ${host}: /dev/login issues any role to anyone who reaches it, so HOST must be a loopback address (127.0.0.1, ::1 or localhost)`,
    );
  }
}

interface CompiledRoute {
  routeKey: string;
  method: string;
  pattern: RegExp;
  params: string[];
  group: RouteGroupName;
  isPublic: boolean;
}

function compileRoutes(): CompiledRoute[] {
  return Object.entries(ROUTE_GROUPS).flatMap(([group, spec]) =>
    spec.routes.map((routeKey) => {
      const [method, path] = routeKey.split(' ') as [string, string];
      const params: string[] = [];
      const source = path
        .split('/')
        .map((segment) => {
          const param = /^\{(\w+)\}$/.exec(segment);
          if (param) {
            params.push(param[1] as string);
            return '([^/]+)';
          }
          return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      const publicRoutes: readonly string[] = 'publicRoutes' in spec ? spec.publicRoutes : [];
      return {
        routeKey,
        method,
        pattern: new RegExp(`^${source}$`),
        params,
        group: group as RouteGroupName,
        isPublic: publicRoutes.includes(routeKey),
      };
    }),
  );
}

/** The body, read only up to `limit` bytes: the route's own limit, as its handler will apply it. */
function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(problems.tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading: the rest is never buffered. The answer still goes out, and the socket closes after it.
        req.pause();
        req.removeAllListeners('data');
        settle(() => reject(problems.tooLarge(limit)));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle(() => resolve(Buffer.concat(chunks))));
    req.on('error', () => settle(() => reject(new ClientGone('client connection failed'))));
    req.on('close', () => {
      if (!req.complete) settle(() => reject(new ClientGone('client closed the connection mid-body')));
    });
  });
}

/** The request target as a URL; a target no URL parser accepts (such as `//[`) is a bad request, not a crash. */
function requestUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://local');
  } catch {
    throw problems.invalid('The request URL is not valid.');
  }
}

/** A path parameter as API Gateway hands it over, percent-decoded; a broken escape such as `%E0%A4` is bad input. */
function decodePathParameter(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw problems.invalid('The path is not validly percent-encoded.');
  }
}

function lambdaContext(functionName: string, requestId: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function send(res: ServerResponse, result: HttpResult): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  res.writeHead(result.statusCode ?? 200, headers);
  if (result.body === undefined) return void res.end();
  res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

export interface LocalServerOptions {
  handlers: Record<RouteGroupName, HttpHandler>;
  issuer: DevIssuer;
  /** Receives each request summary, for the console; never bodies, tokens or CNICs. */
  log?: (line: string) => void;
  /** Static web apps tried before the API, in order; each answers true when it served the request. */
  staticApps?: readonly ((req: IncomingMessage, res: ServerResponse) => boolean)[];
}

export function createLocalServer(options: LocalServerOptions): Server {
  const routes = compileRoutes();
  return createServer(async (req, res) => {
    if (options.staticApps?.some((serve) => serve(req, res))) return;
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const started = performance.now();
    let path = (req.url ?? '/').split('?')[0] as string;
    let result: HttpResult;
    try {
      const url = requestUrl(req.url);
      path = url.pathname;
      result = await dispatch(req, url, method, requestId);
    } catch (error) {
      if (error instanceof ClientGone) {
        options.log?.(`${logLabel(method, path)} client gone ${Math.round(performance.now() - started)}ms`);
        res.destroy();
        return;
      }
      result =
        error instanceof Problem
          ? problemResponse(error, requestId)
          : problemResponse(problems.internal('The local server failed.'), requestId);
      if (!(error instanceof Problem)) console.error(error);
      // A body refused unread leaves bytes on the socket: close it rather than read them as the next request.
      if (error instanceof Problem && error.status === 413) res.setHeader('connection', 'close');
    }
    send(res, result);
    options.log?.(
      `${logLabel(method, path)} ${result.statusCode} ${Math.round(performance.now() - started)}ms`,
    );
  });

  /**
   * The route key (`GET /watchlist/{cnic}`), never the path: a path carries a CNIC in full, which no log may.
   * A path that matches no route is not shown at all, since nothing says what its segments hold.
   */
  function logLabel(method: string, path: string): string {
    if (method === 'POST' && path === '/dev/login') return 'POST /dev/login';
    const route = routes.find((r) => r.method === method && r.pattern.test(path));
    return route ? route.routeKey : `${method} (no route)`;
  }

  async function dispatch(
    req: IncomingMessage,
    url: URL,
    method: string,
    requestId: string,
  ): Promise<HttpResult> {
    if (method === 'POST' && url.pathname === '/dev/login') {
      return devLogin(req, await readRequestBody(req, MAX_REQUEST_BYTES));
    }
    const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) throw problems.notFound(`No route ${method} ${url.pathname}.`);
    const group: RouteGroup = ROUTE_GROUPS[route.group];
    const body = await readRequestBody(req, group.maxBodyBytes ?? MAX_REQUEST_BYTES);

    let claims: Record<string, string> | undefined;
    if (!route.isPublic) {
      const header = req.headers.authorization ?? '';
      const token = /^Bearer (\S+)$/i.exec(header)?.[1];
      claims = token ? await options.issuer.verify(token) : undefined;
      if (!claims) throw problems.unauthorized();
    }
    const match = route.pattern.exec(url.pathname) as RegExpExecArray;
    const pathParameters = Object.fromEntries(
      route.params.map((name, i) => [name, decodePathParameter(match[i + 1] as string)]),
    );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const event = toHttpApiEvent({
      routeKey: route.routeKey,
      method,
      path: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      pathParameters,
      body,
      ...(claims ? { claims } : {}),
      requestId,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      protocol: `HTTP/${req.httpVersion}`,
      at: Date.now(),
    });
    return options.handlers[route.group](event, lambdaContext(`rahdari-${route.group}`, requestId));
  }

  async function devLogin(req: IncomingMessage, body: Buffer): Promise<HttpResult> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw problems.unsupported();
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw problems.invalid('The body is not valid UTF-8.');
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw problems.invalid('The body is not valid JSON.');
    }
    const parsed = DevLoginInput.safeParse(value);
    if (!parsed.success)
      throw problems.invalid('Some fields are invalid.', zodIssuesToFieldErrors(parsed.error.issues));
    const login = await options.issuer.login(parsed.data);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(login),
    };
  }
}
