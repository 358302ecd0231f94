// What a Lambda container builds from its environment, once: configuration, the store, the clock, logger, metrics.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type Config, loadConfig } from './config.ts';
import type { RouteGroupName } from './routes.ts';
import { batchSdkClientOptions, sdkClientOptions } from './sdk-options.ts';
import type { Clock } from './services/context.ts';
import { documentClient } from './store/client.ts';
import { createStore, type Store } from './store/store.ts';

export interface ContainerDependencies {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

/** The EMF namespace every function reports in; the service dimension is the route group. */
export const METRICS_NAMESPACE = 'Rahdari';

/**
 * Powertools Metrics warns on every flush that has nothing to publish; most requests count nothing, so that one
 * warning is dropped and everything else goes to the function's logger.
 */
/** A route group's function, or one of the functions no route reaches (the feed's deliverer, the daily export). */
export type FunctionName = RouteGroupName | 'deliverer' | 'exporter' | 'groupSweep';

/** Functions no caller waits on: they take the batch SDK settings, not the API's (functions/limits.ts). */
export const BATCH_JOBS: ReadonlySet<FunctionName> = new Set(['deliverer', 'exporter', 'groupSweep']);

export function metricsFor(group: FunctionName, logger: Logger): Metrics {
  const quiet = {
    debug: logger.debug.bind(logger),
    info: logger.info.bind(logger),
    error: logger.error.bind(logger),
    warn: (message: string, ...rest: []) => {
      if (!message.startsWith('No application metrics to publish')) logger.warn(message, ...rest);
    },
  };
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: group, logger: quiet });
}

export function dependenciesFromEnv(
  env: Record<string, string | undefined>,
  group: FunctionName,
): ContainerDependencies {
  const config = loadConfig(env);
  const logger = new Logger({ serviceName: group });
  return {
    config,
    store: createStore(
      documentClient({
        ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
        ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
        sdk: BATCH_JOBS.has(group) ? batchSdkClientOptions() : sdkClientOptions(),
      }),
      config.tableName,
    ),
    clock: () => new Date(),
    logger,
    metrics: metricsFor(group, logger),
  };
}
