// The feed's backlog age on DynamoDB Local, as the deliverer's handler reports it after each drain: the wait of the
// oldest entry while the Ministry refuses (pending or in a batch retrying), and 0 once everything is delivered.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_METRIC, type FeedTransport } from '../../functions/services/feed.ts';
import { createDelivererHandler } from '../../functions/services/feed-handler.ts';
import { createStore, type Store } from '../../functions/store/store.ts';
import { CountingMetrics } from '../../local/metrics.ts';
import { feedSigningFromConfig } from '../../signing/feed-key.ts';
import { testTable } from '../support/dynamodb.ts';
import { seedFeedDay } from '../support/feed-day.ts';

const DAY = '2026-04-01';
/** An hour after the day ended in Pakistan; tests move it on. */
const NOW = new Date('2026-04-01T20:00:00Z');
let now = NOW;

let store: Store;
let keyDir: string;
let oldestQueuedAt: string;
let up = false;
const received: string[] = [];
const transport: FeedTransport = {
  async send(deliveryId) {
    if (!up) throw new Error('503 from the Ministry');
    received.push(deliveryId);
  },
};

beforeAll(async () => {
  keyDir = mkdtempSync(join(tmpdir(), 'rahdari-backlog-'));
  const table = await testTable();
  store = createStore(table.client, table.tableName);
  const crossings = await seedFeedDay(store.table, { day: DAY, crossings: 250, holders: 40 });
  oldestQueuedAt = crossings.map((c) => c.receivedAt).sort()[0] as string;
}, 120_000);
afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

async function drain(): Promise<number> {
  const metrics = new CountingMetrics('deliverer');
  const handler = createDelivererHandler({
    outbox: store.feed,
    signer: feedSigningFromConfig({ keyDir }).signer,
    transport,
    clock: () => now,
    logger: new Logger({ serviceName: 'deliverer', logLevel: 'SILENT' }),
    metrics,
    budgetMs: 60_000,
    policy: { baseDelayMs: 1, maxDelayMs: 1 },
  });
  await handler({ source: 'test' });
  return metrics.counts.get(FEED_METRIC.backlogAge) ?? Number.NaN;
}

describe('the backlog age the deliverer reports', () => {
  it('is the wait of the oldest entry while the Ministry refuses, its batch retrying', async () => {
    const age = await drain();
    expect(age).toBe(Math.round((NOW.getTime() - Date.parse(oldestQueuedAt)) / 1000));
    expect(age).toBeGreaterThan(20 * 3600);
  });

  it('is 0 once every entry is delivered', async () => {
    up = true;
    // A minute on: the failed batches' back-off has run out.
    now = new Date(NOW.getTime() + 60_000);
    let age = await drain();
    for (let round = 0; age > 0 && round < 10; round++) age = await drain();
    expect(age).toBe(0);
    expect(received.length).toBeGreaterThan(0);
    expect(await store.feed.oldestWaiting()).toBeUndefined();
  });
});
