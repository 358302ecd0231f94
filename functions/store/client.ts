// The DynamoDB document client, created once per container; locally it points at DynamoDB Local.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.ts';

export function documentClient(config: Config): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    config.dynamodbEndpoint
      ? {
          endpoint: config.dynamodbEndpoint,
          region: process.env.AWS_REGION ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
