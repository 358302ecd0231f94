// The feed deliverer on this machine: the deliverer's handler, woken by the stream poller and by a timer, one
// drain at a time, writing batches to FIA_ENDPOINT or to `.data/outbox/`.
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { Clock } from '../functions/services/context.ts';
import type { DeliveryOutcome, DeliveryPolicy } from '../functions/services/feed.ts';
import { createDelivererHandler } from '../functions/services/feed-handler.ts';
import { directoryTransport, httpTransport } from '../functions/services/feed-transport.ts';
import type { Store } from '../functions/store/store.ts';
import type { FeedSigning } from '../signing/feed-key.ts';
import { CountingMetrics } from './metrics.ts';
import { type StreamPoller, startStreamPoller } from './stream-poller.ts';

export interface LocalFeedOptions {
  /** The receiver; without one, batches are written under `outboxDir`. */
  endpoint?: string;
  /** The bearer secret sent to the endpoint (FIA_CREDENTIAL). */
  credential?: string;
  outboxDir: string;
  requestTimeoutMs?: number;
  policy?: Partial<DeliveryPolicy>;
  /** The safety-net timer; 0 turns it off (tests drain by hand). */
  intervalMs?: number;
  /** Poll the table's stream (on by default). */
  stream?: boolean;
  log?: (line: string) => void;
}

export interface LocalFeed {
  metrics: CountingMetrics;
  /** Runs the deliverer now (after the drain under way, if any), as a scheduled tick would. */
  drain(): Promise<DeliveryOutcome | undefined>;
  stop(): Promise<void>;
}

export async function startLocalFeed(
  deps: { store: Store; clock: Clock; signing: FeedSigning; dynamodbEndpoint: string; tableName: string },
  options: LocalFeedOptions,
): Promise<LocalFeed> {
  const metrics = new CountingMetrics('deliverer');
  const handler = createDelivererHandler({
    outbox: deps.store.feed,
    signer: deps.signing.signer,
    clock: deps.clock,
    logger: new Logger({ serviceName: 'deliverer', logLevel: 'WARN' }),
    metrics,
    transport: options.endpoint
      ? httpTransport({
          endpoint: options.endpoint,
          credential: async () => options.credential,
          timeoutMs: options.requestTimeoutMs ?? 10_000,
        })
      : directoryTransport(options.outboxDir),
    budgetMs: 60_000,
    ...(options.policy ? { policy: options.policy } : {}),
  });

  // One drain at a time, as one Lambda with reserved concurrency 1 would run; a wake-up during a drain runs one
  // more drain after it, so nothing queued meanwhile waits for the timer.
  let running: Promise<DeliveryOutcome | undefined> | undefined;
  let again = false;
  let stopped = false;
  const run = (
    event: DynamoDBStreamEvent | Record<string, unknown>,
  ): Promise<DeliveryOutcome | undefined> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let outcome = await handler(event);
        while (again && !stopped) {
          again = false;
          outcome = await handler({});
        }
        return outcome;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const report = (error: unknown) =>
    options.log?.(`feed: ${error instanceof Error ? error.message : String(error)}`);

  let poller: StreamPoller | undefined;
  if (options.stream ?? true) {
    poller = await startStreamPoller({
      endpoint: deps.dynamodbEndpoint,
      tableName: deps.tableName,
      handler: (event) => run(event),
      onError: report,
    });
  }
  const interval = options.intervalMs ?? 30_000;
  const timer =
    interval > 0 ? setInterval(() => void run({ source: 'local.timer' }).catch(report), interval) : undefined;
  timer?.unref();

  return {
    metrics,
    drain: () => run({ source: 'local.drain' }),
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await poller?.stop();
      await running?.catch(() => undefined);
    },
  };
}
