// What every handler test file shares: a key directory, a DynamoDB mock, the clock at NOW, and a new handler (a
// cold container: the store keeps warm state such as the last pass number) built from its factory for each test.

import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher, type CustomMatcher } from 'aws-sdk-client-mock-vitest';
import { afterAll, beforeEach, expect } from 'vitest';
import type { Clock } from '../../../functions/services/context.ts';
import { createStore, type Store } from '../../../functions/store/store.ts';
import { CountingMetrics } from '../../../local/metrics.ts';
import type { PassType } from '../../../shared/domain/pass-types.ts';
import { PASS_TYPES } from '../../../shared/domain/pass-types.ts';
import { type Signing, signingFromConfig } from '../../../signing/signing.ts';
import { prepareHandlerEnvironment, TABLE_NAME } from './environment.ts';
import { NOW } from './records.ts';

expect.extend(allCustomMatcher);
declare module 'vitest' {
  interface Matchers<T> extends CustomMatcher<T> {}
}

/** Everything any route group's factory takes; each factory reads the part it needs. */
export interface UnitDependencies {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: CountingMetrics;
  passTypes: readonly PassType[];
  signing: Signing;
  bundleValidityHours: number;
}

/**
 * Registers the hooks. Before each test `build` receives new dependencies (a new store over the mocked client,
 * new metrics), and the mock answers "nothing stored" to reads and accepts writes unless the test says otherwise.
 */
export async function handlerTestbed(build: (deps: UnitDependencies) => void) {
  const environment = await prepareHandlerEnvironment();
  const dynamo = mockClient(DynamoDBDocumentClient);
  const signing = signingFromConfig({ keyDir: environment.keyDir, passKeyIds: [] });
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'me-south-1',
      credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
    }),
  );
  let current: UnitDependencies | undefined;

  function dependencies(overrides: Partial<UnitDependencies> = {}): UnitDependencies {
    current = {
      store: createStore(client, TABLE_NAME),
      clock: () => new Date(NOW),
      logger: new Logger({ serviceName: 'unit', logLevel: 'CRITICAL' }),
      metrics: new CountingMetrics('unit'),
      passTypes: PASS_TYPES,
      signing,
      bundleValidityHours: 72,
      ...overrides,
    };
    return current;
  }

  beforeEach(() => {
    dynamo.reset();
    dynamo.on(GetCommand).resolves({});
    dynamo.on(BatchGetCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(TransactWriteCommand).resolves({});
    build(dependencies());
  });
  afterAll(() => {
    dynamo.restore();
    environment.remove();
  });

  /** The TransactItems of the nth TransactWriteCommand sent (1-based). */
  function transaction(n = 1) {
    const call = dynamo.commandCalls(TransactWriteCommand)[n - 1];
    if (!call) throw new Error(`no TransactWriteCommand number ${n}`);
    return call.args[0].input.TransactItems ?? [];
  }

  return {
    environment,
    dynamo,
    transaction,
    /** Builds the handler again, as a cold start with other configuration (e.g. pass types) would. */
    rebuild: (overrides: Partial<UnitDependencies>) => build(dependencies(overrides)),
    /** The metrics of the handler built last. */
    metrics: () => (current as UnitDependencies).metrics,
  };
}

/** What a transaction writes, item by item: the operation, the item's key, and whether a condition guards it. */
export function writesOf(items: readonly Record<string, unknown>[]) {
  return items.map((item) => {
    const [op, body] = Object.entries(item)[0] as [string, Record<string, unknown>];
    const key = (body.Key ?? body.Item) as { PK: string; SK: string };
    return { op, key: `${key.PK} ${key.SK}`, conditioned: typeof body.ConditionExpression === 'string' };
  });
}
