import { describe, expect, it } from 'vitest';
import { environmentCost } from '../../../src/core/expiryCost.js';
import { remindersDue } from '../../../src/domain/expiry.js';
import { micros } from '../../../src/domain/money.js';
import type { Deployment } from '../../../src/domain/runs.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const h = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const deployed = (finishedHour: number, monthlyUsd: number | null, resources = 1, status: Deployment['status'] = 'succeeded') =>
  ({ status, finishedAt: h(finishedHour), monthlyCostMicros: monthlyUsd === null ? null : micros(monthlyUsd * 1e6), resourcesCount: resources }) as Deployment;

describe('what an environment ran up', () => {
  it('GIVEN deployments one after another THEN each monthly cost counts for the hours until the next, over 730 a month', () => {
    const cost = environmentCost([deployed(10, 146), deployed(0, 73)], h(0), h(20));
    expect(cost).toEqual({ total: micros(73e6 * 10 / 730 + 146e6 * 10 / 730), hours: 20, partlyUnpriced: false });
  });

  it('GIVEN a deployment from before the lease, a failed one and an empty one THEN the old one runs from `since`, the failed one counts for nothing, and nothing deployed costs nothing', () => {
    const cost = environmentCost([deployed(-100, 730), deployed(5, 7300, 1, 'failed'), deployed(10, 0, 0)], h(0), h(30));
    expect(cost).toEqual({ total: micros(10e6), hours: 10, partlyUnpriced: false });
  });

  it('GIVEN a stretch Cloud Engine could not price THEN it is left out and said', () => {
    expect(environmentCost([deployed(0, null), deployed(5, 73)], h(0), h(15))).toEqual({ total: micros(1e6), hours: 15, partlyUnpriced: true });
  });
});

describe('reminders due', () => {
  it('GIVEN the time left THEN a day ahead is the first reminder and an hour ahead the second; no end, none', () => {
    const now = new Date(T0);
    expect([remindersDue(h(25), now), remindersDue(h(24), now), remindersDue(h(1.5), now), remindersDue(h(1), now), remindersDue(h(-1), now), remindersDue(null, now)]).toEqual([0, 1, 1, 2, 2, 0]);
  });
});
