// Integration test helper: a fresh, uniquely named Rahdari table on the run's shared DynamoDB Local.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { inject } from 'vitest';
import { ensureTable } from '../../local/ensure-table.ts';

export interface TestTable {
  client: DynamoDBDocumentClient;
  raw: DynamoDBClient;
  tableName: string;
}

/** A table per test file (or per test) keeps tests independent without restarting the JVM. */
export async function testTable(): Promise<TestTable> {
  const raw = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = `rahdari-test-${ulid().toLowerCase()}`;
  await ensureTable(raw, tableName);
  return { client, raw, tableName };
}
