// Officer login: the local dev issuer, or Cognito's hosted login (authorization code + PKCE) through oidc-client-ts.
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { type AuthConfig, load, type RuntimeConfig, remove, type SavedLogin, save } from './storage.ts';

export class LoginError extends Error {
  override name = 'LoginError';
}

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

function toSavedLogin(token: string): SavedLogin {
  const claims = claimsOf(token);
  const groups = claims['cognito:groups'];
  if (!Array.isArray(groups) || !groups.includes('checkpoint-officer'))
    throw new LoginError('this account is not a checkpoint officer');
  const checkpoint = claims['custom:checkpoint'];
  if (typeof checkpoint !== 'string') throw new LoginError('this account is bound to no checkpoint');
  if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string')
    throw new LoginError('the login token lacks exp or sub');
  return { token, expiresAt: claims.exp, sub: claims.sub, checkpoint };
}

export async function devLogin(config: RuntimeConfig, sub: string, checkpoint: string): Promise<SavedLogin> {
  let response: Response;
  try {
    response = await fetch(`${config.apiUrl}/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'checkpoint-officer', sub, checkpoint }),
    });
  } catch {
    throw new LoginError('no connection to the server');
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
    throw new LoginError(problem.detail ?? problem.title ?? `the server answered ${response.status}`);
  }
  const { token } = (await response.json()) as { token: string };
  const login = toSavedLogin(token);
  await save('login', login);
  return login;
}

function userManager(auth: Extract<AuthConfig, { kind: 'cognito' }>): UserManager {
  const redirect = new URL('./', document.baseURI).href;
  return new UserManager({
    authority: auth.authority,
    client_id: auth.clientId,
    redirect_uri: redirect,
    post_logout_redirect_uri: redirect,
    response_type: 'code',
    scope: auth.scope ?? 'openid email profile',
    // The app keeps the token itself, in IndexedDB; the library only needs its PKCE state across the redirect.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
    loadUserInfo: false,
  });
}

/** Sends the officer to Cognito's hosted login; the page comes back with a code that `finishCognitoLogin` redeems. */
export async function startCognitoLogin(config: RuntimeConfig): Promise<void> {
  if (config.auth.kind !== 'cognito') throw new LoginError('this app is not set up for Cognito');
  await userManager(config.auth).signinRedirect();
}

/** Completes a hosted login when the page is the redirect back (code and state in the URL); undefined otherwise. */
export async function finishCognitoLogin(config: RuntimeConfig): Promise<SavedLogin | undefined> {
  if (config.auth.kind !== 'cognito') return undefined;
  const params = new URLSearchParams(location.search);
  if (!params.has('code') || !params.has('state')) return undefined;
  try {
    const user = await userManager(config.auth).signinCallback();
    if (!user?.id_token) throw new LoginError('the login returned no ID token');
    const login = toSavedLogin(user.id_token);
    await save('login', login);
    return login;
  } finally {
    // The code is single-use: a reload must not try it again.
    history.replaceState(null, '', new URL('./', document.baseURI).pathname);
  }
}

export function loadLogin(): Promise<SavedLogin | undefined> {
  return load('login');
}

export function loginValid(login: SavedLogin | undefined, nowMs: number): login is SavedLogin {
  return login !== undefined && login.expiresAt * 1000 > nowMs;
}

export function forgetLogin(): Promise<void> {
  return remove('login');
}
