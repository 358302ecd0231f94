// The trust route group: the public JWKS for anyone, and the root-signed trust bundle for checkpoint devices.
import type { Signing } from '../../signing/signing.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Clock } from '../services/context.ts';
import { BundleCache, trustBundle } from '../services/trust-bundles.ts';
import type { Store } from '../store/store.ts';
import { TrustBundleQuery } from './params.ts';

export interface TrustDependencies extends Observability {
  store: Store;
  clock: Clock;
  signing: Pick<Signing, 'root' | 'passPublicKeys'>;
  /** How long a bundle's revocation list is trusted before a VALID becomes "revocation unknown". */
  bundleValidityHours: number;
  /** How long a signed bundle is served again (BUNDLE_REFRESH_SECONDS); 60 s by default. */
  bundleRefreshSeconds?: number;
  /** The signed bundles this container serves again; one of its own by default. */
  bundleCache?: BundleCache;
}

export function createTrustHandler(deps: TrustDependencies) {
  const cache =
    deps.bundleCache ??
    new BundleCache(
      deps.bundleRefreshSeconds !== undefined ? { refreshSeconds: deps.bundleRefreshSeconds } : {},
    );
  return routeGroup(
    {
      'GET /.well-known/jwks.json': route({ roles: 'public' }, async () => {
        const keys = await deps.signing.passPublicKeys();
        return json(200, { keys }, { 'cache-control': 'public, max-age=300' });
      }),
      'GET /trust-bundle': route(
        { roles: ['checkpoint-officer'], query: TrustBundleQuery },
        async ({ query }) => ({
          statusCode: 200,
          headers: { 'content-type': 'application/jwt', 'cache-control': 'no-store' },
          body: await trustBundle({ ...deps, cache }, query.since),
        }),
      ),
    },
    deps,
  );
}
