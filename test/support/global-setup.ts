// Integration globalSetup: one in-memory DynamoDB Local for the whole run, shared by every test file.
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  // Workers are forked after this runs and inherit it, so code that reads its config from env finds it too.
  process.env.DYNAMODB_ENDPOINT = dynamodb.endpoint;
  return () => dynamodb.stop();
}
