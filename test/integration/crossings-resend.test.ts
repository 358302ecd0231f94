// A property on DynamoDB Local through the local server: however a batch of crossings is sent again (any field
// changed or none, in any order and grouping, one post after another or at once, by either officer of the post),
// each id is stored once with the content it first arrived with, queued for the Ministry once, and each distinct
// changed content is filed once as a CONFLICTING_RESEND.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnicSeries, karachiDay } from '../support/data.ts';
import { feedEntriesOfDay } from '../support/feed-day.ts';
import { applicationFor, type TestPlatform, testPlatform } from '../support/platform.ts';

let p: TestPlatform;
let officer: string;
let posters: [string, string];
const passes: { no: string; qrText: string }[] = [];

const freshCnic = cnicSeries('72', 1);

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await p.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (res.status >= 300)
    throw new Error(`${method} ${path} failed while preparing: ${res.status} ${res.text}`);
  return res.json;
}

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.login('fia-officer', 'officer-1');
  posters = [
    await p.login('checkpoint-officer', 'fc-taftan-1', { checkpoint: 'TFT' }),
    await p.login('checkpoint-officer', 'fc-taftan-2', { checkpoint: 'TFT' }),
  ];
  for (let i = 0; i < 2; i++) {
    const app = await call('POST', '/applications', officer, applicationFor(freshCnic()));
    const approved = await call('POST', `/applications/${app.id}/approve`, officer);
    const shown = await call('GET', `/passes/${approved.pass.number}`, officer);
    passes.push({ no: approved.pass.number, qrText: shown.qrText });
  }
});
afterAll(() => p.close());

/** What a resend may change in a record, each change always the same one, so equal changes mean equal content. */
const CHANGES = [
  'none',
  'at',
  'direction',
  'credential',
  'officer',
  'device',
  'verdict',
  'trustVersion',
] as const;
type Change = (typeof CHANGES)[number];

interface Base {
  record: Record<string, unknown>;
  pass: number;
}

function changed({ record, pass }: Base, change: Change): Record<string, unknown> {
  switch (change) {
    case 'none':
      return record;
    case 'at':
      return { ...record, at: new Date(Date.parse(record.at as string) + 1).toISOString() };
    case 'direction':
      return { ...record, direction: record.direction === 'OUT' ? 'IN' : 'OUT' };
    case 'credential':
      return { ...record, credential: (passes[1 - pass] as { qrText: string }).qrText };
    case 'officer':
      return { ...record, officer: 'Havildar Karim' };
    case 'device':
      return { ...record, device: 'taftan-phone-9' };
    case 'verdict':
      return { ...record, verdict: 'EXPIRED', override: { reason: 'Renewal seen on paper.' } };
    case 'trustVersion':
      return { ...record, trustVersion: 0 };
  }
}

/** Every crossing item of the two passes, strongly consistent. */
async function crossingItems() {
  const items: Record<string, unknown>[] = [];
  for (const pass of passes) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await p.table.client.send(
        new QueryCommand({
          TableName: p.table.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :x)',
          ExpressionAttributeValues: { ':pk': `PASS#${pass.no}`, ':x': 'X#' },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return items;
}

/** The feed entries queued on the Pakistan days the run spans. */
async function feedEntries(days: readonly string[]) {
  const entries = await Promise.all(
    [...new Set(days)].map((day) => feedEntriesOfDay(p.platform.store.feed, day)),
  );
  return entries.flat().map((e) => e.item.GSI2SK as string);
}

describe('resending a batch', () => {
  it('stores each id once with its first content, queues it once, and files each distinct change once', async () => {
    let tick = 0;
    await fc.assert(
      fc.asyncProperty(
        // The batch: each record on one of the two passes, leaving or returning.
        fc.array(fc.record({ pass: fc.nat(1), out: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        // The resends: per record a change (or none), an order, a grouping into posts, sent in turn or at once.
        fc.array(
          fc.record({
            changes: fc.array(fc.constantFrom(...CHANGES), { minLength: 4, maxLength: 4 }),
            order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
            perPost: fc.integer({ min: 1, max: 4 }),
            together: fc.boolean(),
            poster: fc.nat(1),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        async (shape, resends) => {
          const startDay = karachiDay();
          const base: Base[] = shape.map(({ pass, out }) => ({
            pass,
            record: {
              id: ulid(),
              credential: (passes[pass] as { qrText: string }).qrText,
              kind: 'bp',
              checkpoint: 'TFT',
              direction: out ? 'OUT' : 'IN',
              at: new Date(Date.now() - 120_000 + ++tick * 10).toISOString(),
              officer: 'fc-taftan-1',
              device: 'taftan-phone-1',
              verdict: 'VALID',
            },
          }));
          const first = await p.api('POST', '/crossings', {
            token: posters[0],
            body: { records: base.map((b) => b.record) },
          });
          expect(first.status, first.text).toBe(200);
          expect(first.json.results.map((r: { result: string }) => r.result)).toEqual(
            base.map(() => 'stored'),
          );

          const distinct = base.map(() => new Set<Change>());
          for (const resend of resends) {
            const records = base
              .map((_b, i) => ({ i, change: resend.changes[i] as Change, order: resend.order[i] as number }))
              .sort((a, b) => a.order - b.order);
            for (const { i, change } of records) if (change !== 'none') distinct[i]?.add(change);
            const posts: (typeof records)[] = [];
            for (let k = 0; k < records.length; k += resend.perPost)
              posts.push(records.slice(k, k + resend.perPost));
            const send = async (post: typeof records) => {
              const res = await p.api('POST', '/crossings', {
                token: posters[resend.poster],
                body: { records: post.map(({ i, change }) => changed(base[i] as Base, change)) },
              });
              expect(res.status, res.text).toBe(200);
              // An unchanged resend is a duplicate; a changed one is refused as a conflict.
              expect(res.json.results.map((r: { result: string }) => r.result)).toEqual(
                post.map(({ change }) => (change === 'none' ? 'duplicate' : 'rejected')),
              );
            };
            if (resend.together) await Promise.all(posts.map(send));
            else for (const post of posts) await send(post);
          }

          const ids = base.map((b) => b.record.id as string);
          const stored = (await crossingItems()).filter((c) => ids.includes(c.id as string));
          expect(stored.map((c) => c.id).sort()).toEqual([...ids].sort());
          for (const b of base) {
            const item = stored.find((c) => c.id === b.record.id);
            expect(item).toMatchObject({
              at: b.record.at,
              direction: b.record.direction,
              credential: (passes[b.pass] as { no: string }).no,
              officer: 'fc-taftan-1',
              device: 'taftan-phone-1',
              deviceVerdict: 'VALID',
            });
          }
          const queued = await feedEntries([startDay, karachiDay()]);
          for (const [i, id] of ids.entries()) {
            expect(queued.filter((key) => key === `crossing#${id}`)).toHaveLength(1);
            const conflicts = queued.filter((key) => key.startsWith(`anomaly#${id}:CONFLICTING_RESEND:`));
            expect(conflicts).toHaveLength(distinct[i]?.size ?? 0);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 240_000);
});
