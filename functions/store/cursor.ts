// Opaque page cursors: the LastEvaluatedKey as base64url JSON. A tampered one is refused or only moves the page start.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** Not a cursor this list returned: bad input, never worth a retry. */
export class CursorError extends Error {
  override name = 'CursorError';
}

/** A queue cursor is exactly the table key and the GSI1 key of the last item read. */
const CURSOR_KEY_ATTRS = ['GSI1PK', 'GSI1SK', 'PK', 'SK'].join();

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(
  cursor: string | undefined,
  expectedPartition: string,
): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    // DynamoDB answers a start key with other attributes, or an empty one, with a ValidationException.
    const valid =
      key !== null &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      Object.keys(key).sort().join() === CURSOR_KEY_ATTRS &&
      Object.values(key).every((v) => typeof v === 'string' && v !== '') &&
      key.GSI1PK === expectedPartition;
    if (!valid) throw new Error('shape');
    return key;
  } catch {
    throw new CursorError('the cursor is not one this list returned');
  }
}

/**
 * One page of a GSI1 queue partition, oldest first: the officer queues of applications and of groups. The cursor
 * is refused unless this list made it for this partition.
 */
export async function queuePage<T>(
  table: { db: DynamoDBDocumentClient; name: string },
  partition: string,
  limit: number,
  cursor: string | undefined,
  read: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const start = decodeCursor(cursor, partition);
  const out = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: true,
      Limit: limit,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  const next = encodeCursor(out.LastEvaluatedKey);
  return { items: (out.Items ?? []).map(read), ...(next ? { cursor: next } : {}) };
}
