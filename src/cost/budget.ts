import { CoreError } from '../domain/errors.js';
import { micros, type Money } from '../domain/money.js';

export interface BudgetCompliance {
  compliant: boolean;
  /** Share of the limit used, in percent (2 dp); null when the limit is 0. */
  usage_pct: number | null;
  remaining: Money;
  overage: Money;
}

function checked(name: string, v: Money): Money {
  if (!Number.isSafeInteger(v) || v < 0) throw new CoreError('validation', `${name} must be a non-negative whole number of micro-dollars, got ${String(v)}`);
  return v;
}

/** Exact in micro-dollars: at the limit is compliant, a micro-dollar over is not. */
export function checkBudgetCompliance(estimatedMonthly: Money, budgetLimit: Money): BudgetCompliance {
  const est = checked('estimated monthly cost', estimatedMonthly);
  const limit = checked('budget limit', budgetLimit);
  return {
    compliant: est <= limit,
    usage_pct: limit === 0 ? null : Math.round((est / limit) * 10_000) / 100,
    remaining: micros(Math.max(0, limit - est)),
    overage: micros(Math.max(0, est - limit)),
  };
}

export interface BudgetAlertState {
  id: number;
  threshold: Money;
  /** Whether the run-rate was at or above the threshold last time it was evaluated. */
  above: boolean;
}

/**
 * Pure: an alert fires once per upward crossing (was below, now ≥ threshold); staying above stays silent;
 * dropping below re-arms it. Callers persist the returned `above`.
 */
export function evaluateBudgetAlerts(alerts: BudgetAlertState[], runRate: Money): Array<{ id: number; crossed: boolean; above: boolean }> {
  const rate = checked('run-rate', runRate);
  return alerts.map((a) => {
    const above = rate >= checked('threshold', a.threshold);
    return { id: a.id, crossed: above && !a.above, above };
  });
}
