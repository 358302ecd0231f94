// Serves the built web app (a plain static folder) and its generated runtime config.json on the local server.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jwk': 'application/jwk+json',
};

/**
 * Headers every page of the app gets: the policy the CloudFront response-headers policy is meant to set. The app
 * may only talk to its own origin, the API and the login provider named in its config.
 */
function securityHeaders(config: WebAppConfig): Record<string, string> {
  const connect = new Set(["'self'"]);
  for (const url of [config.apiUrl, config.auth.kind === 'cognito' ? config.auth.authority : '']) {
    if (/^https?:\/\//.test(url)) connect.add(new URL(url).origin);
  }
  return {
    'content-security-policy': [
      "default-src 'self'",
      // WebAssembly compilation for the QR decoder; no eval of JavaScript.
      "script-src 'self' 'wasm-unsafe-eval'",
      "worker-src 'self'",
      "style-src 'self'",
      "img-src 'self' blob: data:",
      "media-src 'self' blob:",
      `connect-src ${[...connect].join(' ')}`,
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(self), microphone=(), geolocation=()',
  };
}

/** The runtime settings the app reads at start; the same shape the AWS deploy writes next to the app in S3. */
export interface WebAppConfig {
  apiUrl: string;
  auth: { kind: 'dev' } | { kind: 'cognito'; authority: string; clientId: string; scope?: string };
  rootJwkUrl?: string;
}

export interface StaticAppOptions {
  /** URL path prefix, with slashes on both ends: `/checkpoint/`. */
  base: string;
  /** The built app (web/dist/checkpoint). */
  dir: string;
  config: WebAppConfig;
  /** A file served as `<base>root.jwk` for setting up a device: the trust root's public key. */
  rootJwkFile?: string;
}

/**
 * Apps that `npm run build:web` writes beside the one named (web/dist/office beside web/dist/checkpoint), each
 * served under its own path with the same API and login settings; the root key is offered to the checkpoint only.
 */
export const APPS_BESIDE: Readonly<Record<string, string>> = { '/office/': 'office' };

/**
 * A request handler for one app and the apps built beside it: answers true when the path is one of theirs, false
 * to let the API take it. The folders are read on each request, so a rebuild shows without a restart.
 */
export function staticApp(options: StaticAppOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const apps = [
    folderApp(options),
    ...Object.entries(APPS_BESIDE)
      .filter(([base]) => base !== options.base)
      .map(([base, folder]) =>
        folderApp({
          base,
          dir: join(dirname(normalize(options.dir)), folder),
          config: { apiUrl: options.config.apiUrl, auth: options.config.auth },
        }),
      ),
  ];
  return (req, res) => apps.some((serve) => serve(req, res));
}

function folderApp(options: StaticAppOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const base = options.base;
  const root = normalize(options.dir);
  const headers = securityHeaders(options.config);
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (path === base.slice(0, -1)) {
      res.writeHead(308, { location: base }).end();
      return true;
    }
    if (!path.startsWith(base)) return false;
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    const rest = decodeSafely(path.slice(base.length));
    if (rest === 'config.json') {
      // Generated, never cached by HTTP: the service worker keeps the last copy for offline starts.
      return send(res, headers, method, 200, 'application/json', JSON.stringify(options.config), 'no-store');
    }
    if (rest === 'root.jwk' && options.rootJwkFile && existsSync(options.rootJwkFile)) {
      return send(
        res,
        headers,
        method,
        200,
        TYPES['.jwk'] as string,
        readFileSync(options.rootJwkFile),
        'no-store',
      );
    }
    const file = rest === undefined ? undefined : resolveInside(root, rest === '' ? 'index.html' : rest);
    if (file === undefined) return send(res, headers, method, 404, 'text/plain', 'not found', 'no-store');
    // Hashed assets never change; the HTML, the service worker and the manifest must be looked at every time.
    const cache = rest?.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return send(
      res,
      headers,
      method,
      200,
      TYPES[extname(file)] ?? 'application/octet-stream',
      readFileSync(file),
      cache,
    );
  };
}

function decodeSafely(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The file for a path inside the app's folder, never outside it (no `..` escape), or undefined. */
function resolveInside(root: string, rest: string): string | undefined {
  const file = normalize(join(root, rest));
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  if (!existsSync(file) || !statSync(file).isFile()) return undefined;
  return file;
}

function send(
  res: ServerResponse,
  headers: Record<string, string>,
  method: string,
  status: number,
  type: string,
  body: string | Buffer,
  cacheControl: string,
): true {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': cacheControl,
    ...headers,
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}
