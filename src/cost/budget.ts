import { CoreError } from '../domain/errors.js';
import { microsToUsd, usdToMicros } from './money.js';

export interface BudgetCompliance {
  compliant: boolean;
  /** Share of the limit used, in percent (2 dp); null when the limit is 0. */
  usage_pct: number | null;
  remaining_usd: number;
  overage_usd: number;
}

function money(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new CoreError('validation', `${name} must be a non-negative amount in USD, got ${String(v)}`);
  return usdToMicros(v);
}

/** Exact in micro-dollars: at the limit is compliant, a cent over is not. */
export function checkBudgetCompliance(estimatedMonthlyUsd: number, budgetLimitUsd: number): BudgetCompliance {
  const est = money('estimated monthly cost', estimatedMonthlyUsd);
  const limit = money('budget limit', budgetLimitUsd);
  return {
    compliant: est <= limit,
    usage_pct: limit === 0 ? null : Math.round((est / limit) * 10_000) / 100,
    remaining_usd: microsToUsd(Math.max(0, limit - est)),
    overage_usd: microsToUsd(Math.max(0, est - limit)),
  };
}

export interface BudgetAlertState {
  id: number;
  threshold_usd: number;
  /** Whether the run-rate was at or above the threshold last time it was evaluated. */
  above: boolean;
}

/**
 * Pure: an alert fires once per upward crossing (was below, now ≥ threshold); staying above stays silent;
 * dropping below re-arms it. Callers persist the returned `above`.
 */
export function evaluateBudgetAlerts(alerts: BudgetAlertState[], runRateUsd: number): Array<{ id: number; crossed: boolean; above: boolean }> {
  const rate = money('run-rate', runRateUsd);
  return alerts.map((a) => {
    const above = rate >= money('threshold', a.threshold_usd);
    return { id: a.id, crossed: above && !a.above, above };
  });
}
