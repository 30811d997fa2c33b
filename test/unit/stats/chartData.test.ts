import { describe, expect, it } from 'vitest';
import { DAILY_UP_TO, dayLabel, shorten, timeBuckets, windowLabel } from '../../../src/stats/chartData.js';
import type { DayCount } from '../../../src/domain/stats.js';

/** `n` days ending 2025-06-30, day i having i+1 successes, one failure every third day and one interruption every fifth. */
const days = (n: number): DayCount[] => Array.from({ length: n }, (_, i) => ({
  date: new Date(Date.UTC(2025, 5, 30 - n + 1 + i)).toISOString().slice(0, 10), succeeded: i + 1, failed: i % 3 === 0 ? 1 : 0, interrupted: i % 5 === 0 ? 1 : 0,
}));
const total = (xs: Array<{ succeeded: number; failed: number; interrupted: number }>) =>
  xs.reduce((t, x) => ({ succeeded: t.succeeded + x.succeeded, failed: t.failed + x.failed, interrupted: t.interrupted + x.interrupted }), { succeeded: 0, failed: 0, interrupted: 0 });

describe('chart labels', () => {
  it('GIVEN dates THEN English day and month, whatever the host locale, the year only when asked', () => {
    expect(dayLabel('2025-06-05')).toBe('5 Jun');
    expect(dayLabel('2025-12-31', true)).toBe('31 Dec 2025');
  });

  it('GIVEN a window THEN first – last day, the year once when shared, on both sides when not, one date for one day', () => {
    expect(windowLabel(days(30))).toBe('1 Jun – 30 Jun 2025');
    expect(windowLabel(days(366))).toBe('30 Jun 2024 – 30 Jun 2025');
    expect(windowLabel(days(1))).toBe('30 Jun 2025');
  });

  it('GIVEN a long name THEN cut with an ellipsis to the limit; a short one is kept', () => {
    expect(shorten('carol.with.a.very.long.name', 10)).toBe('carol.wit…');
    expect(shorten('dan', 10)).toBe('dan');
  });
});

describe('time buckets', () => {
  it(`GIVEN up to ${DAILY_UP_TO} days THEN a bar per day with its counts, interrupted apart from failed`, () => {
    const { unit, buckets } = timeBuckets(days(DAILY_UP_TO));
    expect(unit).toBe('day');
    expect(buckets).toHaveLength(DAILY_UP_TO);
    expect(buckets[0]).toEqual({ label: '30 Apr', succeeded: 1, failed: 1, interrupted: 1 });
    expect(buckets.at(-1)).toMatchObject({ label: '30 Jun', succeeded: DAILY_UP_TO });
  });

  it('GIVEN a year THEN a bar per week counted back from today, the oldest one short, and nothing lost', () => {
    const year = days(366);
    const { unit, buckets } = timeBuckets(year);
    expect(unit).toBe('week');
    expect(buckets).toHaveLength(53);
    expect(buckets.at(-1)!.label).toBe('24 Jun');
    expect(buckets.at(-1)!.succeeded).toBe([360, 361, 362, 363, 364, 365, 366].reduce((a, b) => a + b));
    expect(buckets[0]).toMatchObject({ label: '30 Jun', succeeded: 1 + 2 });
    expect(total(buckets)).toEqual(total(year));
  });
});
