// Every AWS SDK client a function builds gives up inside the function's timeout: the limits add up, and the
// DynamoDB and KMS clients the containers build really time out, retry and stop as those limits say.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dependenciesFromEnv } from '../../../functions/environment.ts';
import { BATCH_SDK_LIMITS, FUNCTION_TIMEOUT_SECONDS, SDK_LIMITS } from '../../../functions/limits.ts';
import { batchSdkClientOptions, sdkClientOptions } from '../../../functions/sdk-options.ts';
import { FUNCTION_DEFAULTS } from '../../../infra/constructs/function.ts';
import { signingFromConfig } from '../../../signing/signing.ts';

/** An HTTP server standing in for an AWS endpoint: `answer` decides, request by request, what it does. */
async function fakeEndpoint(answer: (n: number, res: ServerResponse, req: IncomingMessage) => void) {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    answer(requests, res, req);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const awsError = (res: ServerResponse, status: number, type: string) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify({ __type: type, message: 'refused by the test endpoint' }));
};
/** Holds the request unanswered, as a stalled connection does. */
const stall = () => undefined;

let saved: NodeJS.ProcessEnv;
let endpoints: { close(): Promise<void> }[] = [];
beforeEach(() => {
  saved = { ...process.env };
  Object.assign(process.env, {
    AWS_REGION: 'me-south-1',
    AWS_ACCESS_KEY_ID: 'unit',
    AWS_SECRET_ACCESS_KEY: 'unit',
  });
});
afterEach(async () => {
  process.env = saved;
  await Promise.all(endpoints.map((e) => e.close()));
  endpoints = [];
});
const endpoint = async (answer: Parameters<typeof fakeEndpoint>[0]) => {
  const e = await fakeEndpoint(answer);
  endpoints.push(e);
  return e;
};

describe('the SDK limits', () => {
  it('are what the deployed functions run under: the stack reads the same timeout', () => {
    expect(FUNCTION_DEFAULTS.timeout.toSeconds()).toBe(FUNCTION_TIMEOUT_SECONDS);
  });

  it('end every attempt of a call, connection and answer, within the function timeout with time to spare', () => {
    const worstCaseMs =
      SDK_LIMITS.maxAttempts * (SDK_LIMITS.connectionTimeoutMs + SDK_LIMITS.requestTimeoutMs);

    // A second is left for the retry back-off between attempts and for the handler to answer 503.
    expect(worstCaseMs).toBeLessThanOrEqual(FUNCTION_TIMEOUT_SECONDS * 1000 - 1000);
    expect(SDK_LIMITS.connectionTimeoutMs).toBeGreaterThan(0);
    expect(SDK_LIMITS.requestTimeoutMs).toBeGreaterThan(0);
    expect(SDK_LIMITS.maxAttempts).toBeGreaterThanOrEqual(2);
  });

  it('make a stalled request fail with a TimeoutError after the set attempts, not wait for the function to die', async () => {
    const aws = await endpoint(stall);
    const client = new DynamoDBClient({
      ...sdkClientOptions({ connectionTimeoutMs: 200, requestTimeoutMs: 150, maxAttempts: 2 }),
      endpoint: aws.url,
    });
    const started = performance.now();

    const outcome = await client
      .send(new GetItemCommand({ TableName: 't', Key: { PK: { S: 'a' } } }))
      .catch((e: Error) => e);

    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).name).toBe('TimeoutError');
    expect(aws.requests()).toBe(2);
    expect(performance.now() - started).toBeLessThan(2_000);
    client.destroy();
  });
});

describe('the clients a container builds', () => {
  it('give the DynamoDB client of every route group the SDK limits', async () => {
    const aws = await endpoint((_, res) => awsError(res, 400, 'ValidationException'));
    const { store } = dependenciesFromEnv(
      { TABLE_NAME: 'rahdari', KEY_DIR: '/nonexistent', DYNAMODB_ENDPOINT: aws.url },
      'health',
    );

    await store.ping().catch(() => undefined);

    const handler = store.table.db.config.requestHandler;
    expect(handler).toBeInstanceOf(NodeHttpHandler);
    expect((handler as NodeHttpHandler).httpHandlerConfigs()).toMatchObject({
      connectionTimeout: SDK_LIMITS.connectionTimeoutMs,
      requestTimeout: SDK_LIMITS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    });
    expect(await store.table.db.config.maxAttempts()).toBe(SDK_LIMITS.maxAttempts);
  });

  it.each(['deliverer', 'exporter', 'groupSweep'] as const)(
    'give the %s, a batch job, its own longer timeouts and more attempts than the API',
    async (job) => {
      const aws = await endpoint((_, res) => awsError(res, 400, 'ValidationException'));
      const { store } = dependenciesFromEnv(
        { TABLE_NAME: 'rahdari', KEY_DIR: '/nonexistent', DYNAMODB_ENDPOINT: aws.url },
        job,
      );

      await store.ping().catch(() => undefined);

      const handler = store.table.db.config.requestHandler as NodeHttpHandler;
      expect(handler.httpHandlerConfigs()).toMatchObject({
        connectionTimeout: BATCH_SDK_LIMITS.connectionTimeoutMs,
        requestTimeout: BATCH_SDK_LIMITS.requestTimeoutMs,
        throwOnRequestTimeout: true,
      });
      expect(await store.table.db.config.maxAttempts()).toBe(BATCH_SDK_LIMITS.maxAttempts);
      expect(BATCH_SDK_LIMITS.requestTimeoutMs).toBeGreaterThan(SDK_LIMITS.requestTimeoutMs);
      expect(BATCH_SDK_LIMITS.maxAttempts).toBeGreaterThan(SDK_LIMITS.maxAttempts);
    },
  );

  it('retry a throttled batch read with back-off until it answers, within the batch attempts', async () => {
    // Throttled four times, as DynamoDB is when a partition is hot (more than the API's attempts); then answered.
    const aws = await endpoint((n, res) => {
      if (n <= SDK_LIMITS.maxAttempts + 1)
        return awsError(res, 400, 'ProvisionedThroughputExceededException');
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{}');
    });
    const client = new DynamoDBClient({ ...batchSdkClientOptions(), endpoint: aws.url });

    const outcome = await client.send(new GetItemCommand({ TableName: 't', Key: { PK: { S: 'a' } } }));

    expect(outcome.Item).toBeUndefined();
    expect(aws.requests()).toBe(SDK_LIMITS.maxAttempts + 2);
    client.destroy();
    // The SDK's back-off after throttling grows to seconds: room for it on a busy machine.
  }, 60_000);

  it('give the KMS client that signs a request timeout and the set number of attempts', async () => {
    // The first attempt stalls past the request timeout; the others fail as KMS does when it is unwell.
    const aws = await endpoint((n, res) => (n === 1 ? stall() : awsError(res, 500, 'KMSInternalException')));
    process.env.AWS_ENDPOINT_URL_KMS = aws.url;
    const signing = signingFromConfig({ passKeyIds: ['pass-key'], rootKeyId: 'root-key' });
    const started = performance.now();

    const outcome = await signing.root().catch((e: Error) => e);

    const elapsed = performance.now() - started;
    expect((outcome as Error).name).toBe('KMSInternalException');
    expect(aws.requests()).toBe(SDK_LIMITS.maxAttempts);
    expect(elapsed).toBeGreaterThanOrEqual(SDK_LIMITS.requestTimeoutMs - 50);
    expect(elapsed).toBeLessThan(SDK_LIMITS.requestTimeoutMs + 2_000);
  });
});
