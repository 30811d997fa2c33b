import { describe, expect, it } from 'vitest';
import { amountMicros, parsePrice, times, toMicros } from '../../../src/cost/money.js';
import { formatUsd, micros } from '../../../src/domain/money.js';
import { estimator, vm } from './helpers.js';

describe('integer fast path for component amounts', () => {
  it('GIVEN many prices and whole quantities THEN amountMicros equals the BigInt toMicros(times()) exactly', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const prices = ['0.0416', '0.0000000001', '0.13402284', '19.71', '0.000499', '0.0184', '9007.199254740991', '123456.789012345678'.slice(0, 19), '0.5', '0.0000005'];
    for (let i = 0; i < 400; i++) prices.push(`${Math.floor(rnd() * 50)}.${String(Math.floor(rnd() * 1e12)).padStart(12, '0')}`);
    const quantities = [0, 1, 730, 2920, 10_000_000, 51_200, 61_440, 999_999];
    for (let i = 0; i < 200; i++) quantities.push(Math.floor(rnd() * 10_000_000));
    for (const text of prices) {
      const p = parsePrice(text);
      for (const q of quantities) expect(amountMicros(p, q)).toBe(toMicros(times(p, q)));
    }
  });

  it('GIVEN fractional quantities or half-micro amounts THEN the result still matches the BigInt path (round half up)', () => {
    const p = parsePrice('0.0000005'); // half a micro-dollar per unit
    expect(amountMicros(p, 1)).toBe(1);
    expect(amountMicros(p, 3)).toBe(2);
    for (const q of [0.25, 3.75, 2737.5, 0.1]) expect(amountMicros(parsePrice('0.02181159'), q)).toBe(toMicros(times(parsePrice('0.02181159'), q)));
  });

  it('GIVEN a negative or NaN quantity THEN it throws like times()', () => {
    expect(() => amountMicros(parsePrice('1'), -1)).toThrow(/invalid quantity/);
    expect(() => amountMicros(parsePrice('1'), Number.NaN)).toThrow(/invalid quantity/);
  });
});

describe('memoised estimates are independent results', () => {
  it('GIVEN a caller mutates the recommendations and breakdown of one estimate THEN the next identical estimate is unaffected', () => {
    const first = estimator.estimateResource('gcp', vm('us-central1', 'e2-standard-4', { disk_size_gb: 200, disk_type: 'pd-balanced' } as never));
    const again = () => estimator.estimateResource('gcp', vm('us-central1', 'e2-standard-4', { disk_size_gb: 200, disk_type: 'pd-balanced' } as never));
    const snapshot = JSON.stringify(again());
    first.recommendations[0]!.monthly_savings = micros(-1);
    first.recommendations.push({ message: 'x', monthly_savings: micros(0) });
    first.breakdown[0]!.monthly = micros(0);
    first.warnings.push('y');
    expect(JSON.stringify(again())).toBe(snapshot);
  });
});

describe('one money formatter', () => {
  it('GIVEN micro-dollars THEN formatUsd rounds to cents once, groups thousands and signs debts', () => {
    expect(formatUsd(micros(1_234_565_000))).toBe('$1,234.57');
    expect(formatUsd(micros(4_999))).toBe('$0.00');
    expect(formatUsd(micros(5_000))).toBe('$0.01');
    expect(formatUsd(micros(-5_000_000))).toBe('-$5.00');
    expect(formatUsd(micros(-4_000))).toBe('$0.00');
    expect(formatUsd(micros(1_000_000_000_000))).toBe('$1,000,000.00');
  });
});
