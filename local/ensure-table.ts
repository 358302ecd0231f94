// Creates the Rahdari table (with its GSIs and TTL) on DynamoDB Local if it is not there yet, and waits until it is usable.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, TABLE_KEYS } from '../functions/store/table.ts';

/** Idempotent and safe when two processes race: whoever loses the CreateTable gets 'exists'. */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs = 60_000,
): Promise<'created' | 'exists'> {
  let outcome: 'created' | 'exists';
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    outcome = 'created';
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    outcome = 'exists';
  }
  await waitUntilActive(client, tableName, timeoutMs);
  await enableTimeToLive(client, tableName);
  return outcome;
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 1000)) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) {
      throw new Error(`table ${tableName} is still ${Table?.TableStatus ?? 'missing'} after ${timeoutMs} ms`);
    }
    await new Promise((done) => setTimeout(done, delay));
  }
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE_KEYS.timeToLive, Enabled: true },
      }),
    );
  } catch (error) {
    // A concurrent caller enabled it between our Describe and Update; DynamoDB answers that with a ValidationException.
    const { TimeToLiveDescription: now } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );
    if (now?.TimeToLiveStatus !== 'ENABLED' && now?.TimeToLiveStatus !== 'ENABLING') throw error;
  }
}
