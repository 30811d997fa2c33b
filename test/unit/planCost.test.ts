/**
 * A plan's cost is stored with the plan. Plans recorded before amounts were Money hold dollars; a session
 * planned before an upgrade and approved after it must be judged on the same figures, to the micro-dollar.
 */
import { describe, expect, it } from 'vitest';
import { planCost } from '../../src/core/costing.js';
import { withDollars } from '../../src/cli/dollars.js';

const LEGACY = {
  before_monthly_usd: 12.5, after_monthly_usd: 120.000001, delta_monthly_usd: 107.500001, complete: true,
  resources: [{ name: 'web-1', type: 'compute_vm', change: 'added', before_monthly_usd: 0, after_monthly_usd: 120.000001, delta_monthly_usd: 120.000001 }],
  budget: { compliant: false, usage_pct: 120, remaining_usd: 0, overage_usd: 20.000001, limit_usd: 100, projected_monthly_usd: 120.000001 },
  alerts_triggered: [{ threshold_usd: 50 }],
};

describe('a stored plan cost', () => {
  it('GIVEN one recorded in dollars THEN it reads as Money, every amount to the micro-dollar, nothing else changed', () => {
    expect(planCost({ cost: LEGACY })).toEqual({
      before_monthly: 12_500_000, after_monthly: 120_000_001, delta_monthly: 107_500_001, complete: true,
      resources: [{ name: 'web-1', type: 'compute_vm', change: 'added', before_monthly: 0, after_monthly: 120_000_001, delta_monthly: 120_000_001 }],
      budget: { compliant: false, usage_pct: 120, remaining: 0, overage: 20_000_001, limit: 100_000_000, projected_monthly: 120_000_001 },
      alerts_triggered: [{ threshold: 50_000_000 }],
    });
  });

  it('GIVEN one recorded as Money THEN it reads as it is, and the CLI prints it in dollars under the old names', () => {
    const money = planCost({ cost: LEGACY })!;
    expect(planCost({ cost: money })).toEqual(money);
    expect(withDollars(money)).toEqual(LEGACY);
    expect(planCost({ cost: null })).toBeNull();
  });
});
