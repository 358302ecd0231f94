// The trust route group: the public JWKS for anyone, and the root-signed trust bundle for checkpoint devices.
import { signTrustBundle } from '../../shared/trust-bundle.ts';
import type { Signing } from '../../signing/signing.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Clock } from '../services/context.ts';
import type { Store } from '../store/store.ts';
import { TrustBundleQuery } from './params.ts';

export interface TrustDependencies extends Observability {
  store: Store;
  clock: Clock;
  signing: Pick<Signing, 'root' | 'passPublicKeys'>;
  /** How long a bundle's revocation list is trusted before a VALID becomes "revocation unknown". */
  bundleValidityHours: number;
}

export function createTrustHandler(deps: TrustDependencies) {
  return routeGroup(
    {
      'GET /.well-known/jwks.json': route({ roles: 'public' }, async () => {
        const keys = await deps.signing.passPublicKeys();
        return json(200, { keys }, { 'cache-control': 'public, max-age=300' });
      }),
      /**
       * The full bundle, or with `?since=VERSION` a delta carrying only the revocations after that version. A
       * device asking from a version the server never reached gets the full bundle, so it can always recover.
       */
      'GET /trust-bundle': route(
        { roles: ['checkpoint-officer'], query: TrustBundleQuery },
        async ({ query }) => {
          const current = await deps.store.revocations.version();
          const delta = query.since !== undefined && query.since <= current ? query.since : undefined;
          const [revocations, keys, root] = await Promise.all([
            deps.store.revocations.since(delta ?? 0),
            deps.signing.passPublicKeys(),
            deps.signing.root(),
          ]);
          const iat = Math.floor(deps.clock().getTime() / 1000);
          const token = await signTrustBundle(root, {
            iss: 'rahdari',
            iat,
            validUntil: iat + Math.round(deps.bundleValidityHours * 3600),
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
        },
      ),
    },
    deps,
  );
}
