// What every handler test file shares: the environment, a DynamoDB mock, the clock frozen at NOW, and a cold
// container (freshly imported handler modules) for every test.
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { allCustomMatcher, type CustomMatcher } from 'aws-sdk-client-mock-vitest';
import { afterAll, beforeAll, beforeEach, expect, vi } from 'vitest';
import { prepareHandlerEnvironment } from './environment.ts';
import { NOW } from './records.ts';

expect.extend(allCustomMatcher);
declare module 'vitest' {
  interface Matchers<T> extends CustomMatcher<T> {}
}

/**
 * Registers the hooks and returns the mock. Before each test `load` imports the handler afresh (the store keeps
 * warm-container state, such as the last pass number, that must not leak between tests), and the mock answers
 * "nothing stored" to reads and accepts writes unless the test says otherwise.
 */
export async function handlerTestbed(load: () => Promise<void>) {
  const environment = await prepareHandlerEnvironment();
  const dynamo = mockClient(DynamoDBDocumentClient);

  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  beforeEach(async () => {
    vi.resetModules();
    await load();
    dynamo.reset();
    dynamo.on(GetCommand).resolves({});
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(TransactWriteCommand).resolves({});
  });
  afterAll(() => {
    vi.useRealTimers();
    dynamo.restore();
    environment.remove();
  });

  /** The TransactItems of the nth TransactWriteCommand sent (1-based). */
  function transaction(n = 1) {
    const call = dynamo.commandCalls(TransactWriteCommand)[n - 1];
    if (!call) throw new Error(`no TransactWriteCommand number ${n}`);
    return call.args[0].input.TransactItems ?? [];
  }

  return { environment, dynamo, transaction };
}
