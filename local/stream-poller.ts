// Reads DynamoDB Local's table stream and hands each page of records to a handler as the DynamoDBStreamEvent a
// Lambda event source mapping would deliver, so the deliverer runs the same code on `npm start` as in AWS.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** Pause between reads of a shard that had nothing new. */
  idleMs?: number;
  /** A handler failure is reported here; the page is not retried (the deliverer's timer is the safety net). */
  onError?: (error: unknown) => void;
}

export interface StreamPoller {
  stop(): Promise<void>;
}

const local = { region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** The Lambda event's record: the stream's record with the source fields an event source mapping adds. */
function lambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  return {
    ...(record.eventID ? { eventID: record.eventID } : {}),
    ...(record.eventName ? { eventName: record.eventName } : {}),
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    eventSourceARN: streamArn,
    dynamodb: record.dynamodb as DynamoDBRecord['dynamodb'],
  } as DynamoDBRecord;
}

/** Starts at the stream's end: what was queued before is the timer's to find, as after a Lambda outage. */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const idleMs = options.idleMs ?? 200;
  const tables = new DynamoDBClient({ endpoint: options.endpoint, ...local });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, ...local });
  const { Table } = await tables.send(new DescribeTableCommand({ TableName: options.tableName }));
  tables.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);

  const known = new Set<string>();
  const iterators = new Map<string, string>();
  let stopped = false;

  const discover = async (initial: boolean) => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const id = shard.ShardId;
      if (!id || known.has(id)) continue;
      known.add(id);
      // Shards open at start are read from now on; a shard that appears later is read from its beginning.
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: id,
          ShardIteratorType: initial ? 'LATEST' : 'TRIM_HORIZON',
        }),
      );
      if (ShardIterator) iterators.set(id, ShardIterator);
    }
  };
  await discover(true);

  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      try {
        if (iterators.size === 0) await discover(false);
        for (const [shard, iterator] of [...iterators]) {
          if (stopped) break;
          const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
          if (page.NextShardIterator) iterators.set(shard, page.NextShardIterator);
          else {
            // A closed shard: its children carry on.
            iterators.delete(shard);
            await discover(false);
          }
          const records = page.Records ?? [];
          if (records.length > 0) {
            busy = true;
            try {
              await options.handler({ Records: records.map((r) => lambdaRecord(r, streamArn)) });
            } catch (error) {
              options.onError?.(error);
            }
          }
        }
      } catch (error) {
        if (!stopped) options.onError?.(error);
      }
      if (!busy && !stopped) await new Promise((resolve) => setTimeout(resolve, idleMs));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
      streams.destroy();
    },
  };
}
