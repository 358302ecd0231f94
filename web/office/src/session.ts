// Who is logged in to the office pages: the token and the claims the pages act on, kept for this browser tab only.
import type { UserManager } from 'oidc-client-ts';
import type { AuthConfig, RuntimeConfig } from './config.ts';

/** The roles these pages serve; a checkpoint officer works in the checkpoint app instead. */
export const OFFICE_ROLES = [
  'applicant',
  'fia-officer',
  'fia-supervisor',
  'fisheries-officer',
  'moi-analyst',
] as const;
export type OfficeRole = (typeof OFFICE_ROLES)[number];

export interface Session {
  token: string;
  role: OfficeRole;
  sub: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** The 13 digits an applicant account may apply for. */
  cnic?: string;
  /** The port office a Fisheries officer acts for. */
  port?: string;
}

export class LoginError extends Error {
  override name = 'LoginError';
}

const KEY = 'rahdari.office.session';

/** The claims of a token the server issued; not verified here, since only the server acts on the token. */
function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new LoginError('the login token is not a JWT');
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  } catch {
    throw new LoginError('the login token cannot be read');
  }
}

export function sessionOf(token: string): Session {
  const claims = claimsOf(token);
  const groups = claims['cognito:groups'];
  const list = Array.isArray(groups) ? groups : [];
  // A supervisor is listed before an officer, so an account in both groups gets the supervisor's pages.
  const order: OfficeRole[] = [
    'fia-supervisor',
    'fia-officer',
    'fisheries-officer',
    'moi-analyst',
    'applicant',
  ];
  const role = order.find((r) => list.includes(r));
  if (!role) throw new LoginError('this account has no role the office pages serve');
  if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string')
    throw new LoginError('the login token lacks exp or sub');
  const cnic = claims['custom:cnic'];
  const port = claims['custom:port'];
  return {
    token,
    role,
    sub: claims.sub,
    expiresAt: claims.exp,
    ...(typeof cnic === 'string' ? { cnic } : {}),
    ...(typeof port === 'string' ? { port } : {}),
  };
}

export function savedSession(nowMs = Date.now()): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const session = sessionOf(JSON.parse(raw) as string);
    return session.expiresAt * 1000 > nowMs ? session : undefined;
  } catch {
    return undefined;
  }
}

function keep(session: Session): Session {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session.token));
  } catch {
    // Storage switched off: the login lasts until the page is reloaded.
  }
  return session;
}

export function forgetSession(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing was kept.
  }
}

export interface DevLoginInput {
  role: OfficeRole;
  sub: string;
  cnic?: string;
  port?: string;
}

/** The local dev issuer; its refusals are problem+json like the API's, so field errors reach the form. */
export async function devLogin(
  config: RuntimeConfig,
  input: DevLoginInput,
): Promise<{ ok: true; session: Session } | { ok: false; status: number; body: unknown }> {
  const response = await fetch(`${config.apiUrl}/dev/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string };
  if (!response.ok || typeof body.token !== 'string') return { ok: false, status: response.status, body };
  return { ok: true, session: keep(sessionOf(body.token)) };
}

/** The OIDC library is loaded only where the hosted login is used: the dev login and a phone's first render skip it. */
async function userManager(auth: Extract<AuthConfig, { kind: 'cognito' }>): Promise<UserManager> {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  const redirect = new URL('./', document.baseURI).href;
  return new UserManager({
    authority: auth.authority,
    client_id: auth.clientId,
    redirect_uri: redirect,
    post_logout_redirect_uri: redirect,
    response_type: 'code',
    scope: auth.scope ?? 'openid email profile',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
    loadUserInfo: false,
  });
}

/** Sends the user to Cognito's hosted login (authorization code + PKCE); the page comes back with a code. */
export async function startCognitoLogin(config: RuntimeConfig): Promise<void> {
  if (config.auth.kind !== 'cognito') throw new LoginError('these pages are not set up for Cognito');
  await (await userManager(config.auth)).signinRedirect();
}

/** Completes a hosted login when the page is the redirect back; undefined when it is not. */
export async function finishCognitoLogin(config: RuntimeConfig): Promise<Session | undefined> {
  if (config.auth.kind !== 'cognito') return undefined;
  const params = new URLSearchParams(location.search);
  if (!params.has('code') || !params.has('state')) return undefined;
  try {
    const user = await (await userManager(config.auth)).signinCallback();
    if (!user?.id_token) throw new LoginError('the login returned no ID token');
    return keep(sessionOf(user.id_token));
  } finally {
    // The code is single-use: a reload must not try it again.
    history.replaceState(null, '', new URL('./', document.baseURI).pathname);
  }
}
