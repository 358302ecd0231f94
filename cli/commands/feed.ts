// `rahdari feed status|redrive`: what waits for the Ministry, what is dead, and sending dead batches again.
import type { FeedOutbox } from '../../functions/store/feed.ts';
import { type CliIo, parseCommand, UsageError } from '../io.ts';

/** Where the table is: flags first, then TABLE_NAME / DYNAMODB_ENDPOINT / AWS_REGION as the functions read them. */
export const TABLE_FLAGS = {
  table: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
} as const;

export interface TableFlags {
  table?: string | undefined;
  endpoint?: string | undefined;
  region?: string | undefined;
}

/** The store of the table the flags name; loaded only here, so other commands never pay for the AWS SDK. */
export async function storeFromFlags(values: TableFlags, job: 'request' | 'batch' = 'request') {
  const table = values.table ?? process.env.TABLE_NAME;
  if (!table) throw new UsageError('--table (or TABLE_NAME) is required');
  const endpoint = values.endpoint ?? process.env.DYNAMODB_ENDPOINT;
  const region = values.region ?? process.env.AWS_REGION;
  if (endpoint !== undefined && !/^https?:\/\/\S+$/.test(endpoint))
    throw new UsageError('--endpoint must be an http(s) URL');
  const [{ documentClient }, { createStore }, { sdkClientOptions, batchSdkClientOptions }] =
    await Promise.all([
      import('../../functions/store/client.ts'),
      import('../../functions/store/store.ts'),
      import('../../functions/sdk-options.ts'),
    ]);
  const db = documentClient({
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    // A whole day's export is a batch job: the exporter's settings, not a request's.
    sdk: job === 'batch' ? batchSdkClientOptions() : sdkClientOptions(),
  });
  return { store: createStore(db, table), close: () => db.destroy() };
}

/** One line for a table that cannot be read: the SDK's first line, never a stack. */
export class TableUnreachable extends Error {
  override name = 'TableUnreachable';
}

async function onTable<T>(values: TableFlags, run: (feed: FeedOutbox) => Promise<T>): Promise<T> {
  const { store, close } = await storeFromFlags(values);
  try {
    return await run(store.feed);
  } catch (error) {
    // Only the SDK's failures (unreachable endpoint, missing table, no access) become the one-line refusal.
    if (
      !(error instanceof Error && ('$metadata' in error || 'code' in error || error.name === 'TimeoutError'))
    )
      throw error;
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
    throw new TableUnreachable(`cannot read the feed from table ${store.table.name}: ${message}`);
  } finally {
    close();
  }
}

export async function feedCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'status') return feedStatusCommand(rest, io);
  if (sub === 'redrive') return feedRedriveCommand(rest, io);
  throw new UsageError('feed takes status or redrive');
}

async function feedStatusCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(args, { ...TABLE_FLAGS, json: { type: 'boolean' } });
  const { feedStatus } = await import('../../functions/services/feed.ts');
  const status = await onTable(values, (outbox) => feedStatus({ outbox, clock: () => io.now() }));
  if (values.json) {
    io.stdout(JSON.stringify(status));
    return 0;
  }
  io.stdout(`pending entries:        ${status.pending}`);
  io.stdout(`batches being sent:     ${status.openBatches}`);
  io.stdout(`dead batches:           ${status.deadBatches.length}`);
  io.stdout(
    `oldest undelivered:     ${
      status.oldestUndeliveredAt
        ? `${status.oldestUndeliveredAt} (${formatAge(status.oldestUndeliveredAgeSeconds ?? 0)} ago)`
        : 'none'
    }`,
  );
  for (const dead of status.deadBatches) {
    io.stdout(
      `  ${dead.deliveryId}  ${dead.records} records, ${dead.attempts} attempts, dead since ${dead.deadAt ?? '?'}: ${dead.lastError ?? ''}`,
    );
  }
  return 0;
}

async function feedRedriveCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(args, TABLE_FLAGS, true);
  if (positionals.length > 1) throw new UsageError('feed redrive takes at most one delivery id');
  const [id] = positionals;
  if (id !== undefined && !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))
    throw new UsageError(`${id} is not a delivery id (a ULID)`);
  const { NoSuchDeadBatch, redriveFeed } = await import('../../functions/services/feed.ts');
  let redriven: string[];
  try {
    redriven = await onTable(values, (outbox) => redriveFeed({ outbox, clock: () => io.now() }, id));
  } catch (error) {
    if (!(error instanceof NoSuchDeadBatch)) throw error;
    io.stderr(`rahdari: no dead batch ${id}: it was delivered, is still being tried, or never existed`);
    return 1;
  }
  if (redriven.length === 0) io.stdout('no dead batches');
  for (const deliveryId of redriven) io.stdout(`${deliveryId} will be sent again with the next delivery`);
  return 0;
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
