import { describe, expect, it } from 'vitest';
import { checkBudgetCompliance, evaluateBudgetAlerts } from '../../../src/cost/index.js';

describe('checkBudgetCompliance', () => {
  it('GIVEN $75 against $100 THEN compliant, 75% used, $25 remaining', () => {
    expect(checkBudgetCompliance(75, 100)).toEqual({ compliant: true, usage_pct: 75, remaining_usd: 25, overage_usd: 0 });
  });
  it('GIVEN exactly the limit THEN compliant; a cent over is not', () => {
    expect(checkBudgetCompliance(100, 100).compliant).toBe(true);
    expect(checkBudgetCompliance(100.01, 100)).toEqual({ compliant: false, usage_pct: 100.01, remaining_usd: 0, overage_usd: 0.01 });
  });
  it('GIVEN float-unfriendly sums (0.1 + 0.2 against 0.3) THEN exact micro-dollar math says compliant', () => {
    expect(checkBudgetCompliance(0.1 + 0.2, 0.3).compliant).toBe(true);
  });
  it('GIVEN a zero limit THEN usage_pct is null, not Infinity or NaN', () => {
    expect(checkBudgetCompliance(5, 0)).toEqual({ compliant: false, usage_pct: null, remaining_usd: 0, overage_usd: 5 });
  });
  it('GIVEN a negative or NaN amount THEN a validation CoreError', () => {
    expect(() => checkBudgetCompliance(-1, 100)).toThrow(/non-negative/);
    expect(() => checkBudgetCompliance(Number.NaN, 100)).toThrow(/non-negative/);
  });
});

describe('evaluateBudgetAlerts: one alert per upward crossing', () => {
  const alert = { id: 1, threshold_usd: 100, above: false };
  it('GIVEN below → at the threshold THEN it fires once', () => {
    expect(evaluateBudgetAlerts([alert], 100)).toEqual([{ id: 1, crossed: true, above: true }]);
  });
  it('GIVEN it was already above and stays above THEN silent', () => {
    expect(evaluateBudgetAlerts([{ ...alert, above: true }], 150)).toEqual([{ id: 1, crossed: false, above: true }]);
  });
  it('GIVEN it drops below THEN it re-arms, and the next rise fires again', () => {
    const down = evaluateBudgetAlerts([{ ...alert, above: true }], 50)[0]!;
    expect(down).toEqual({ id: 1, crossed: false, above: false });
    expect(evaluateBudgetAlerts([{ ...alert, above: down.above }], 120)[0]!.crossed).toBe(true);
  });
  it('GIVEN several alerts THEN each is judged on its own threshold', () => {
    expect(evaluateBudgetAlerts([alert, { id: 2, threshold_usd: 200, above: false }], 150).map((a) => a.crossed)).toEqual([true, false]);
  });
});
