// The feed route group: the feed's state and the redrive of a dead batch for FIA supervisors, and the public
// key receivers verify batches with.
import * as z from 'zod/mini';
import type { PublicJwk } from '../../shared/keys.ts';
import { problems } from '../http/problem.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Clock } from '../services/context.ts';
import { feedStatus, NoSuchDeadBatch, redriveFeed } from '../services/feed.ts';
import type { FeedOutbox } from '../store/feed.ts';

const SUPERVISORS = ['fia-supervisor'] as const;
/** The Ministry watches its own feed's health; only FIA redrives it. */
const WATCHERS = ['fia-supervisor', 'moi-analyst'] as const;

/** A delivery id is a ULID: anything else names no batch. */
const DeadBatchPath = z.object({ id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)) });

export interface FeedRoutesDependencies extends Observability {
  store: { feed: FeedOutbox };
  clock: Clock;
  /** The feed-signing public key(s), current first. */
  feedPublicKeys(): Promise<PublicJwk[]>;
}

export function createFeedHandler(deps: FeedRoutesDependencies) {
  const feed = { outbox: deps.store.feed, clock: deps.clock };
  return routeGroup(
    {
      /** What waits, what is dead (with its last error) and how old the oldest undelivered record is. */
      'GET /feed/status': route({ roles: WATCHERS }, async () =>
        json(200, await feedStatus(feed), { 'cache-control': 'no-store' }),
      ),
      /** 202: the batch is open again and goes with the deliverer's next drain, under the same delivery id. */
      'POST /feed/dead/{id}/redrive': route(
        { roles: SUPERVISORS, params: DeadBatchPath, notFound: (p) => `No dead batch ${p.id ?? ''}.` },
        async ({ params }) => {
          try {
            const [deliveryId] = await redriveFeed(feed, params.id);
            return json(202, { deliveryId, status: 'OPEN' });
          } catch (error) {
            if (error instanceof NoSuchDeadBatch) throw problems.notFound(`No dead batch ${params.id}.`);
            throw error;
          }
        },
      ),
      'GET /feed/jwks.json': route({ roles: 'public' }, async () =>
        json(200, { keys: await deps.feedPublicKeys() }, { 'cache-control': 'public, max-age=300' }),
      ),
    },
    deps,
  );
}
