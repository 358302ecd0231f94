// The local HTTP API: turns each request into an API Gateway HTTP API (v2) event and calls the same Lambda
// handlers the CDK app deploys, after checking the bearer token as the JWT authorizer would.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import {
  type HttpEvent,
  type HttpHandler,
  type HttpResult,
  Problem,
  problemResponse,
  problems,
} from '../functions/http.ts';
import { ROUTE_GROUPS, type RouteGroupName } from '../functions/routes.ts';
import { DevLoginInput, zodIssuesToFieldErrors } from '../shared/schemas.ts';
import type { DevIssuer } from './dev-issuer.ts';

/** API Gateway's own payload limit; handlers apply the API's tighter 64 KB limit themselves. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

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

function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(
          new Problem(413, 'too-large', 'Payload too large', 'The request is larger than the API accepts.'),
        );
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function isText(contentType: string | undefined): boolean {
  return (
    !contentType || /^(text\/|application\/([\w.+-]*\+)?(json|xml|x-www-form-urlencoded))/i.test(contentType)
  );
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
}

export function createLocalServer(options: LocalServerOptions): Server {
  const routes = compileRoutes();
  return createServer(async (req, res) => {
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
      result =
        error instanceof Problem
          ? problemResponse(error, requestId)
          : problemResponse(
              new Problem(500, 'internal', 'Internal error', 'The local server failed.'),
              requestId,
            );
      if (!(error instanceof Problem)) console.error(error);
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
    const body = await readRequestBody(req);
    if (method === 'POST' && url.pathname === '/dev/login') return devLogin(req, body);
    const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) throw problems.notFound(`No route ${method} ${url.pathname}.`);

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
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
    const text = isText(headers['content-type']);
    const now = Date.now();
    const event: HttpEvent = {
      version: '2.0',
      routeKey: route.routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(url.search ? { queryStringParameters: query } : {}),
      ...(route.params.length ? { pathParameters } : {}),
      ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: body.length > 0 && !text,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: route.routeKey,
        stage: '$default',
        time: new Date(now).toUTCString(),
        timeEpoch: now,
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      },
    };
    return options.handlers[route.group](event, lambdaContext(`rahdari-${route.group}`, requestId));
  }

  async function devLogin(req: IncomingMessage, body: Buffer): Promise<HttpResult> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw problems.unsupported();
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
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
