// The segments a day's crossings are read in: contiguous, in order, covering every id, so each crossing is read once.
import fc from 'fast-check';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { crossingSegments } from '../../functions/services/export.ts';

describe('the segments of a day', () => {
  const segments = crossingSegments('2026-03-03');

  it('follow one another from the first id to the last, each ending where the next begins', () => {
    expect(segments[0]?.from).toBe('');
    expect(segments.at(-1)?.to).toBe('\uffff');
    segments.forEach((segment, i) => {
      expect(segment.from < segment.to).toBe(true);
      if (i > 0) expect(segment.from).toBe(segments[i - 1]?.to);
    });
  });

  it('cut the day and an hour either side into ten minutes each', () => {
    // 26 hours of ten minutes, plus the segment before and the one after.
    expect(segments).toHaveLength(26 * 6 + 2);
  });

  it('put every id, made at any time, in exactly one segment', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 44 }), (ms) => {
        const id = ulid(ms);
        expect(segments.filter((s) => s.from <= id && id < s.to)).toHaveLength(1);
      }),
    );
  });
});
