// The crossings route group: a checkpoint's synced batch of crossing records, and a credential's crossing history.
import type * as z from 'zod/mini';
import { CrossingBatchInput } from '../../shared/crossing-schemas.ts';
import { zodIssuesToFieldErrors } from '../../shared/field-errors.ts';
import type { PublicJwk } from '../../shared/keys.ts';
import { actorOf } from '../http/caller.ts';
import type { HttpEvent } from '../http/event.ts';
import { problems } from '../http/problem.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import { ROUTE_GROUPS } from '../routes.ts';
import type { Clock } from '../services/context.ts';
import { keyring, RevocationTimes, recordCrossings } from '../services/crossings.ts';
import type { Crossing } from '../store/crossings.ts';
import { CursorError } from '../store/cursor.ts';
import type { Store } from '../store/store.ts';
import { keys } from '../store/table.ts';
import { CrossingsQuery } from './params.ts';

/**
 * 500 records with boat crews and QR text in numeric form measure about 540 KB (docs/decisions.md), so this route
 * takes up to 1 MiB, well inside API Gateway's 10 MB and Lambda's 6 MB; every other route keeps 64 KB.
 */
export const CROSSINGS_MAX_BODY_BYTES = ROUTE_GROUPS.crossings.maxBodyBytes;

const POSTERS = ['checkpoint-officer'] as const;
const READERS = ['fia-officer', 'fia-supervisor', 'moi-analyst'] as const;

export interface CrossingsDependencies extends Observability {
  store: Store;
  clock: Clock;
  /** The published pass-signing keys, current and retired (the JWKS). */
  signing: { passPublicKeys(): Promise<PublicJwk[]> };
  /** The container's revocation list with times; one of its own by default. */
  revocations?: RevocationTimes;
}

// fatal: bytes that are not UTF-8 are refused rather than silently turned into U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LONE_SURROGATE = /\p{Cs}/u;

/** As functions/http/body.ts reads every body (JSON, UTF-8, then the schema), with this route's larger limit. */
function readBatch<S extends z.ZodMiniType>(event: HttpEvent, schema: S): z.infer<S> {
  const type = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type))
    throw problems.unsupported();
  const raw = event.body ?? '';
  let text: string;
  if (event.isBase64Encoded) {
    const bytes = Buffer.from(raw, 'base64');
    if (bytes.length > CROSSINGS_MAX_BODY_BYTES) throw problems.tooLarge(CROSSINGS_MAX_BODY_BYTES);
    try {
      text = utf8.decode(bytes);
    } catch {
      throw problems.invalid('The body is not valid UTF-8.');
    }
  } else {
    if (Buffer.byteLength(raw, 'utf8') > CROSSINGS_MAX_BODY_BYTES)
      throw problems.tooLarge(CROSSINGS_MAX_BODY_BYTES);
    if (LONE_SURROGATE.test(raw)) throw problems.invalid('The body is not valid UTF-8.');
    text = raw;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw problems.invalid('The body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw problems.invalid(
      'The body is not a batch of crossing records.',
      zodIssuesToFieldErrors(parsed.error.issues),
    );
  return parsed.data;
}

/** What an analyst sees of a crossing: everything but the internal key of the credential's record. */
function crossingView({ credentialPk: _pk, ...crossing }: Crossing) {
  return crossing;
}

export function createCrossingsHandler(deps: CrossingsDependencies) {
  const revocations = deps.revocations ?? new RevocationTimes();
  const service = {
    store: deps.store,
    clock: deps.clock,
    metrics: deps.metrics,
    keys: keyring(() => deps.signing.passPublicKeys()),
    revocations,
  };
  return routeGroup(
    {
      /**
       * 200 with one result per record, in the order sent. An officer posts only for the checkpoint their
       * account is bound to: a record of another checkpoint is rejected on its own, and an account bound to
       * none is refused outright.
       */
      'POST /crossings': route({ roles: POSTERS }, async ({ event, caller }) => {
        if (!caller.checkpoint)
          throw problems.forbidden('Your account is bound to no checkpoint, so it may record no crossing.');
        const batch = readBatch(event, CrossingBatchInput);
        const results = await recordCrossings(service, batch.records, {
          actor: actorOf(caller, POSTERS),
          checkpoint: caller.checkpoint,
        });
        return json(200, { results });
      }),
      'GET /crossings': route({ roles: READERS, query: CrossingsQuery }, async ({ query }) => {
        const pk = query.credential.startsWith('BP-')
          ? keys.pass(query.credential).PK
          : keys.vessel(query.credential).PK;
        let page: Awaited<ReturnType<Store['crossings']['history']>>;
        try {
          page = await deps.store.crossings.history(pk, query.limit, query.cursor);
        } catch (error) {
          if (error instanceof CursorError)
            throw problems.invalid('Some query parameters are invalid.', [
              { field: 'cursor', message: 'The cursor is not one this list returned.' },
            ]);
          throw error;
        }
        const next = new URLSearchParams({
          credential: query.credential,
          limit: String(query.limit),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        });
        return json(200, {
          credential: query.credential,
          items: page.items.map(crossingView),
          ...(page.cursor ? { next: `/crossings?${next}` } : {}),
        });
      }),
    },
    deps,
  );
}
