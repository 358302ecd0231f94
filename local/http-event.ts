// An HTTP request as API Gateway's HTTP API (v2) hands it to a Lambda: used by the local server and handler tests.
import type { HttpEvent } from '../functions/http/event.ts';

export interface HttpRequestParts {
  /** The route key the request matched, e.g. `POST /applications/{id}/approve`. */
  routeKey: string;
  method: string;
  path: string;
  /** Without the leading '?'. */
  rawQueryString?: string;
  /** Lower-case names; repeated headers already joined with ','. */
  headers: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: Uint8Array;
  /** The claims as the JWT authorizer passes them on (every value a string); absent on a public route. */
  claims?: Record<string, string>;
  requestId: string;
  sourceIp?: string;
  protocol?: string;
  /** When the request arrived (epoch ms). */
  at: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isText(contentType: string | undefined): boolean {
  return (
    !contentType || /^(text\/|application\/([\w.+-]*\+)?(json|xml|x-www-form-urlencoded))/i.test(contentType)
  );
}

/** A text body that is valid UTF-8 travels as a string; anything else base64-encoded, so no byte is replaced. */
function encodeBody(
  body: Uint8Array,
  contentType: string | undefined,
): { body: string; isBase64Encoded: boolean } {
  if (isText(contentType)) {
    try {
      return { body: utf8.decode(body), isBase64Encoded: false };
    } catch {
      // Not UTF-8: carried as bytes for the handler to refuse.
    }
  }
  return { body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
}

/** Query parameters as API Gateway gives them: repeated names joined with ','. */
function queryParameters(raw: string): Record<string, string> | undefined {
  if (raw === '') return undefined;
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) query[k] = k in query ? `${query[k]},${v}` : v;
  return query;
}

export function toHttpApiEvent(request: HttpRequestParts): HttpEvent {
  const rawQueryString = request.rawQueryString ?? '';
  const query = queryParameters(rawQueryString);
  const body =
    request.body && request.body.length > 0
      ? encodeBody(request.body, request.headers['content-type'])
      : undefined;
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.path,
    rawQueryString,
    headers: request.headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(request.pathParameters && Object.keys(request.pathParameters).length > 0
      ? { pathParameters: request.pathParameters }
      : {}),
    ...(body ? { body: body.body } : {}),
    isBase64Encoded: body?.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: request.headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method,
        path: request.path,
        protocol: request.protocol ?? 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: request.routeKey,
      stage: '$default',
      time: new Date(request.at).toUTCString(),
      timeEpoch: request.at,
      ...(request.claims ? { authorizer: { jwt: { claims: request.claims, scopes: null } } } : {}),
    },
  };
}
