import { describe, expect, it } from 'vitest';
import { checkBudgetCompliance, evaluateBudgetAlerts } from '../../../src/cost/index.js';
import { fromUsd as usd, micros } from '../../../src/domain/money.js';

describe('checkBudgetCompliance', () => {
  it('GIVEN $75 against $100 THEN compliant, 75% used, $25 remaining', () => {
    expect(checkBudgetCompliance(usd(75), usd(100))).toEqual({ compliant: true, usage_pct: 75, remaining: usd(25), overage: 0 });
  });
  it('GIVEN exactly the limit THEN compliant; a cent over is not, and a micro-dollar over is not either', () => {
    expect(checkBudgetCompliance(usd(100), usd(100)).compliant).toBe(true);
    expect(checkBudgetCompliance(usd(100.01), usd(100))).toEqual({ compliant: false, usage_pct: 100.01, remaining: 0, overage: usd(0.01) });
    expect(checkBudgetCompliance(micros(usd(100) + 1), usd(100))).toMatchObject({ compliant: false, overage: 1 });
  });
  it('GIVEN float-unfriendly sums (0.1 + 0.2 against 0.3) THEN exact micro-dollar math says compliant', () => {
    expect(checkBudgetCompliance(micros(usd(0.1) + usd(0.2)), usd(0.3)).compliant).toBe(true);
  });
  it('GIVEN a zero limit THEN usage_pct is null, not Infinity or NaN', () => {
    expect(checkBudgetCompliance(usd(5), usd(0))).toEqual({ compliant: false, usage_pct: null, remaining: 0, overage: usd(5) });
  });
  it('GIVEN a negative, fractional or NaN amount THEN a validation CoreError', () => {
    expect(() => checkBudgetCompliance(micros(-1), usd(100))).toThrow(/non-negative whole number of micro-dollars/);
    expect(() => checkBudgetCompliance(micros(0.5), usd(100))).toThrow(/non-negative whole number of micro-dollars/);
    expect(() => checkBudgetCompliance(micros(Number.NaN), usd(100))).toThrow(/non-negative/);
  });
});

describe('evaluateBudgetAlerts: one alert per upward crossing', () => {
  const alert = { id: 1, threshold: usd(100), above: false };
  it('GIVEN below → at the threshold THEN it fires once', () => {
    expect(evaluateBudgetAlerts([alert], usd(100))).toEqual([{ id: 1, crossed: true, above: true }]);
  });
  it('GIVEN it was already above and stays above THEN silent', () => {
    expect(evaluateBudgetAlerts([{ ...alert, above: true }], usd(150))).toEqual([{ id: 1, crossed: false, above: true }]);
  });
  it('GIVEN it drops below THEN it re-arms, and the next rise fires again', () => {
    const down = evaluateBudgetAlerts([{ ...alert, above: true }], usd(50))[0]!;
    expect(down).toEqual({ id: 1, crossed: false, above: false });
    expect(evaluateBudgetAlerts([{ ...alert, above: down.above }], usd(120))[0]!.crossed).toBe(true);
  });
  it('GIVEN several alerts THEN each is judged on its own threshold', () => {
    expect(evaluateBudgetAlerts([alert, { id: 2, threshold: usd(200), above: false }], usd(150)).map((a) => a.crossed)).toEqual([true, false]);
  });
});
