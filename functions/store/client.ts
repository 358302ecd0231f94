// The DynamoDB document client; locally it points at DynamoDB Local with placeholder credentials.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SdkClientOptions } from '../sdk-options.ts';

export interface ClientOptions {
  /** DynamoDB Local's endpoint; unset in AWS. */
  endpoint?: string;
  region?: string;
  /** Timeouts and attempts (functions/sdk-options.ts); a Lambda container always sets them. */
  sdk?: SdkClientOptions;
}

export function documentClient(options: ClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...options.sdk,
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          region: options.region ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : options.region
        ? { region: options.region }
        : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
