// The reports at volume on DynamoDB Local: a year of daily counts in one answer, summed over every shard, and the
// anomalies of a busy day paged with a bounded read per page, a rare type found whole by following the cursors.
import { beforeAll, describe, expect, it } from 'vitest';
import { anomalies, crossingCounts } from '../../functions/services/reports.ts';
import { ANOMALY_PAGE_READS, COUNTER_SHARDS, daysFrom } from '../../functions/store/aggregates.ts';
import { createStore, type Store } from '../../functions/store/store.ts';
import type { AnomalyRow } from '../../shared/report-schemas.ts';
import { testTable } from '../support/dynamodb.ts';
import { anomalyItems, dayCrossing, putAll, yearOfCounters } from '../support/feed-day.ts';

const YEAR = daysFrom('2028-01-01', '2028-12-31');
const POSTS = ['TFT', 'RJY', 'CMN'] as const;
/** Shards a day's counter was written on: a few, as a quiet post uses. */
const SHARDS_USED = 3;
const BUSY_DAY = '2026-05-10';
const ANOMALIES = 5_000;
const OVERRIDES = [700, 2_600, 4_990];

let store: Store;

beforeAll(async () => {
  const table = await testTable();
  store = createStore(table.client, table.tableName);
  await putAll(store.table, yearOfCounters(YEAR, POSTS, SHARDS_USED, { out: 1, in: 2 }));
  await putAll(
    store.table,
    (function* () {
      for (let i = 0; i < ANOMALIES; i++) {
        const crossing = dayCrossing(
          { day: BUSY_DAY, crossings: ANOMALIES, holders: 500, anomalyEvery: 1 },
          i,
        );
        if (OVERRIDES.includes(i))
          crossing.anomalies = [{ type: 'OVERRIDE', detail: 'let through on override' }];
        yield* anomalyItems(crossing);
      }
    })(),
  );
}, 180_000);

describe('a year of crossing counts', () => {
  it('answers every day and post of a leap year in one call, each shard summed once', async () => {
    const rows = await crossingCounts(store, { from: YEAR[0] as string, to: YEAR.at(-1) as string });
    expect(rows).toHaveLength(366 * POSTS.length);
    expect(rows.every((row) => row.out === SHARDS_USED && row.in === 2 * SHARDS_USED)).toBe(true);
    expect(rows.map((row) => `${row.date}#${row.checkpoint}`)).toEqual(
      YEAR.flatMap((day) => [...POSTS].sort().map((post) => `${day}#${post}`)),
    );
    expect(SHARDS_USED).toBeLessThanOrEqual(COUNTER_SHARDS);
  });

  it('answers one post over the year', async () => {
    const rows = await crossingCounts(store, { from: '2028-02-01', to: '2028-03-31', checkpoint: 'CMN' });
    expect(rows).toHaveLength(29 + 31);
    expect(new Set(rows.map((row) => row.checkpoint))).toEqual(new Set(['CMN']));
  });
});

/** Every page of the list, following the cursors; how many pages it took. */
async function allPages(query: { type?: 'OVERRIDE'; limit: number }) {
  const items: AnomalyRow[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await anomalies(
      store,
      {
        from: BUSY_DAY,
        to: BUSY_DAY,
        limit: query.limit,
        ...(query.type ? { type: query.type } : {}),
        ...(cursor ? { cursor } : {}),
      },
      { seesCnics: false },
    );
    items.push(...page.items);
    expect(page.items.length).toBeLessThanOrEqual(query.limit);
    cursor = page.cursor;
    pages++;
  } while (cursor);
  return { items, pages };
}

describe('the anomalies of a busy day', () => {
  it('pages through all of them, each once, in time order', async () => {
    const { items, pages } = await allPages({ limit: 100 });
    expect(items).toHaveLength(ANOMALIES);
    expect(new Set(items.map((a) => a.crossingId)).size).toBe(ANOMALIES);
    expect(items.map((a) => a.at)).toEqual(items.map((a) => a.at).sort());
    // Full pages; DynamoDB cannot tell that the last full page is the last, so an empty one may follow.
    expect(pages).toBeGreaterThanOrEqual(ANOMALIES / 100);
    expect(pages).toBeLessThanOrEqual(ANOMALIES / 100 + 1);
  });

  it('finds every one of a rare type, reading a bounded part of the day per page', async () => {
    const { items, pages } = await allPages({ type: 'OVERRIDE', limit: 50 });
    expect(items.map((a) => a.type)).toEqual(['OVERRIDE', 'OVERRIDE', 'OVERRIDE']);
    expect(items.map((a) => a.at)).toEqual(items.map((a) => a.at).sort());
    // No page read the whole day: at least the day's size over the read bound.
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(ANOMALIES / ANOMALY_PAGE_READS));
  });
});
