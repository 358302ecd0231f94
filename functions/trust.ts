// What verifiers download: the public JWKS for anyone, and the root-signed trust bundle for checkpoint devices.
import { signTrustBundle } from '../shared/trust-bundle.ts';
import { json, problems, route, routeGroup } from './http.ts';
import { config, store } from './runtime.ts';
import { signing } from './runtime-signing.ts';

export const getJwks = route({ roles: 'public' }, async () => {
  const keys = await signing.passPublicKeys();
  return json(200, { keys }, { 'cache-control': 'public, max-age=300' });
});

/**
 * The full bundle, or with `?since=VERSION` a delta carrying only the revocations after that version. A device
 * asking from a version the server never reached gets the full bundle, so it can always recover.
 */
export const getTrustBundle = route({ roles: ['checkpoint-officer'] }, async ({ query }) => {
  let since: number | undefined;
  if (query.since !== undefined) {
    since = Number(query.since);
    if (!/^\d{1,12}$/.test(query.since) || !Number.isSafeInteger(since)) {
      throw problems.invalid('since must be a revocation list version (a whole number).', [
        { field: 'since', message: 'Not a version.' },
      ]);
    }
  }
  const current = await store.revocationVersion();
  const delta = since !== undefined && since <= current ? since : undefined;
  const [revocations, keys, root] = await Promise.all([
    store.revocationsSince(delta ?? 0),
    signing.passPublicKeys(),
    signing.root(),
  ]);
  const iat = Math.floor(Date.now() / 1000);
  const token = await signTrustBundle(root, {
    iss: 'rahdari',
    iat,
    validUntil: iat + Math.round(config.bundleValidityHours * 3600),
    keys,
    version: Math.max(revocations.version, delta ?? 0),
    ...(delta !== undefined ? { since: delta } : {}),
    revoked: revocations.numbers,
  });
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/jwt', 'cache-control': 'no-store' },
    body: token,
  };
});

export const handler = routeGroup({
  'GET /.well-known/jwks.json': getJwks,
  'GET /trust-bundle': getTrustBundle,
});
