// Proves the DynamoDB Local launcher and the table definition behave like DynamoDB where the store relies on it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GSIS, keys } from '../../functions/store/table.ts';
import { LocalStackError, startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { ensureTable } from '../../local/ensure-table.ts';
import { type TestTable, testTable } from '../support/dynamodb.ts';

describe('the Rahdari table on DynamoDB Local', () => {
  let table: TestTable;

  beforeAll(async () => {
    table = await testTable();
  });

  it('has the four GSIs projecting all attributes and a NEW_IMAGE stream', async () => {
    const { Table } = await table.raw.send(new DescribeTableCommand({ TableName: table.tableName }));

    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName,
      projection: index.Projection?.ProjectionType,
      status: index.IndexStatus,
    }));
    expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
      Object.values(GSIS).map((index) => ({ name: index.indexName, projection: 'ALL', status: 'ACTIVE' })),
    );
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(Table?.LatestStreamArn).toBeTruthy();
  });

  it('expires items through the expiresAt TTL attribute', async () => {
    const { TimeToLiveDescription } = await table.raw.send(
      new DescribeTimeToLiveCommand({ TableName: table.tableName }),
    );

    expect(TimeToLiveDescription).toEqual({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
  });

  it('answers created once and exists to every other caller racing to ensure the same table', async () => {
    const tableName = `${table.tableName}-race`;

    const outcomes = await Promise.all([1, 2, 3].map(() => ensureTable(table.raw, tableName)));

    expect(outcomes.sort()).toEqual(['created', 'exists', 'exists']);
  });

  it('rolls back every item of a transaction when one condition fails', async () => {
    const pass = keys.pass('BP-2026-000001');
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: { ...pass, status: 'ISSUED' } }),
    );
    const audit = keys.audit(pass.PK, '2026-03-01T10:00:00.000Z', '01JNQ4Z6Y8A1B2C3D4E5F6G7H8');

    const attempt = table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.tableName, Item: { ...audit, action: 'REVOKE' } } },
          {
            Update: {
              TableName: table.tableName,
              Key: pass,
              UpdateExpression: 'SET #status = :revoked',
              ConditionExpression: '#status = :suspended',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':revoked': 'REVOKED', ':suspended': 'SUSPENDED' },
            },
          },
        ],
      }),
    );

    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual(
      ['None', 'ConditionalCheckFailed'],
    );
    const auditAfter = await table.client.send(new GetCommand({ TableName: table.tableName, Key: audit }));
    const passAfter = await table.client.send(new GetCommand({ TableName: table.tableName, Key: pass }));
    expect(auditAfter.Item).toBeUndefined();
    expect(passAfter.Item?.status).toBe('ISSUED');
  });

  it('gives 20 concurrent counter increments 20 distinct sequential values', async () => {
    const counter = keys.counter('BP', 2026);

    const values = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const { Attributes } = await table.client.send(
          new UpdateCommand({
            TableName: table.tableName,
            Key: counter,
            UpdateExpression: 'ADD #n :one',
            ExpressionAttributeNames: { '#n': 'n' },
            ExpressionAttributeValues: { ':one': 1 },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return Number(Attributes?.n);
      }),
    );

    expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('pages the officer queue on GSI1 oldest first', async () => {
    const createdAt = [
      '2026-03-01T09:30:00.000Z',
      '2026-02-28T23:59:59.999Z',
      '2026-03-01T09:29:59.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-01-15T12:00:00.000Z',
    ];
    await Promise.all(
      createdAt.map((at, i) => {
        const id = `app-${i}`;
        return table.client.send(
          new PutCommand({
            TableName: table.tableName,
            Item: { ...keys.application(id), ...keys.statusIndex('PENDING', at, id), createdAt: at },
          }),
        );
      }),
    );
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keys.application('other'),
          ...keys.statusIndex('APPROVED', '2025-01-01T00:00:00Z', 'other'),
        },
      }),
    );

    const seen: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: GSIS.GSI1.indexName,
          KeyConditionExpression: 'GSI1PK = :status',
          ExpressionAttributeValues: { ':status': 'STATUS#PENDING' },
          Limit: 2,
          ExclusiveStartKey: startKey,
        }),
      );
      seen.push(...(page.Items ?? []).map((item) => String(item.createdAt)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);

    expect(seen).toEqual([...createdAt].sort());
  });
});

describe('startDynamoDbLocal', () => {
  it('refuses a port that is already in use with one clear line', async () => {
    const busyPort = Number(new URL(inject('dynamodbEndpoint')).port);

    const attempt = startDynamoDbLocal({ port: busyPort });

    await expect(attempt).rejects.toThrow(LocalStackError);
    await expect(attempt).rejects.toThrow(`port ${busyPort} is in use: set DYNAMODB_PORT to another port`);
  });

  it('says how to install Java when there is none', async () => {
    const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME };
    process.env.PATH = '';
    delete process.env.JAVA_HOME;
    try {
      await expect(startDynamoDbLocal()).rejects.toThrow(
        'Java 17+ is required for DynamoDB Local: install openjdk-17-jre-headless',
      );
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.JAVA_HOME !== undefined) process.env.JAVA_HOME = saved.JAVA_HOME;
    }
  });

  describe('with a dbPath', () => {
    const parent = mkdtempSync(join(tmpdir(), 'rahdari-ddb-'));
    afterAll(() => rmSync(parent, { recursive: true, force: true }));

    it('creates the directory and keeps tables across a restart', async () => {
      const dbPath = join(parent, 'nested', 'db');
      const first = await startDynamoDbLocal({ dbPath });
      await ensureTable(clientFor(first.endpoint), 'rahdari');
      await first.stop();

      const second = await startDynamoDbLocal({ dbPath });
      try {
        const { TableNames } = await clientFor(second.endpoint).send(new ListTablesCommand({}));
        expect(TableNames).toEqual(['rahdari']);
      } finally {
        await second.stop();
      }
    });
  });
});

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}
