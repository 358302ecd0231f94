// The DynamoDB document client; locally it points at DynamoDB Local with placeholder credentials.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface ClientOptions {
  /** DynamoDB Local's endpoint; unset in AWS. */
  endpoint?: string;
  region?: string;
}

export function documentClient(options: ClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    options.endpoint
      ? {
          endpoint: options.endpoint,
          region: options.region ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
