// The checkpoint app's queue arithmetic: the retry backoff and the Pakistan day a record is filed under.
import { describe, expect, it } from 'vitest';
import { backoffMs, pakistanDay } from '../../web/checkpoint/src/crossings.ts';

describe('backoff between failed sends', () => {
  it('doubles from 5 s up to 10 minutes at the top of its range', () => {
    expect([0, 1, 2, 3, 6, 7, 20].map((attempt) => backoffMs(attempt, () => 0.999999))).toEqual([
      4999, 9999, 19999, 39999, 319999, 599999, 599999,
    ]);
  });

  it('draws at random below the ceiling, never under a second, so posts back online do not call together', () => {
    expect(backoffMs(5, () => 0)).toBe(1000);
    const draws = new Set(Array.from({ length: 50 }, () => backoffMs(4)));
    expect(draws.size).toBeGreaterThan(40);
    for (const ms of draws) expect(ms).toBeGreaterThanOrEqual(1000);
    for (const ms of draws) expect(ms).toBeLessThan(80_000);
  });
});

describe('the day a record is filed under', () => {
  it('turns at midnight in Pakistan (19:00 UTC), whatever the device time zone', () => {
    expect(pakistanDay(Date.parse('2026-12-02T18:59:59.999Z'))).toBe('2026-12-02');
    expect(pakistanDay(Date.parse('2026-12-02T19:00:00.000Z'))).toBe('2026-12-03');
    expect(pakistanDay(Date.parse('2026-12-31T23:30:00+05:00'))).toBe('2026-12-31');
    expect(pakistanDay(Date.parse('2027-01-01T00:00:00+05:00'))).toBe('2027-01-01');
  });
});
