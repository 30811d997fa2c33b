import { checkBudgetCompliance, diffDeployments, evaluateBudgetAlerts, type BudgetCompliance, type CostDiff } from '../cost/index.js';
import { microsToUsd, usdToMicros } from '../policy/money.js';
import type { PlanWarning } from '../domain/plans.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import type { CoreDeps } from './deps.js';
import type { DeploymentEstimate } from './ports.js';
import type { Project } from '../domain/projects.js';

export interface BudgetVerdict extends BudgetCompliance {
  limit_usd: number;
  projected_monthly_usd: number;
}

export interface PlanCost extends CostDiff {
  budget: BudgetVerdict;
  alerts_triggered: Array<{ threshold_usd: number }>;
}

/** Infracost-style diff of the project's monthly run-rate: what runs now → what the session would run. */
export function costDiff(deps: CoreDeps, provider: Provider, before: ResourceSpec[], after: ResourceSpec[]): CostDiff & { estimate: DeploymentEstimate } {
  const b = deps.cost.estimateDeployment(provider, before);
  const a = deps.cost.estimateDeployment(provider, after);
  return { ...diffDeployments(before, after, b, a), estimate: a };
}

export function budgetVerdict(limitMicros: number, projectedUsd: number): BudgetVerdict {
  const limit = microsToUsd(limitMicros);
  return { limit_usd: limit, projected_monthly_usd: projectedUsd, ...checkBudgetCompliance(projectedUsd, limit) };
}

/**
 * Moves each alert to the side of its threshold the projected run-rate is on; an alert fires once
 * per upward crossing and re-arms when the run-rate falls below it. Call inside the plan's transaction.
 */
export async function crossAlerts(deps: CoreDeps, project: Project, projectedUsd: number): Promise<Array<{ threshold_usd: number }>> {
  const alerts = await deps.store.budgetAlerts.list(project.id);
  const verdicts = evaluateBudgetAlerts(alerts.map((a) => ({ id: a.id, threshold_usd: microsToUsd(a.thresholdMicros), above: a.above })), projectedUsd);
  const fired: Array<{ threshold_usd: number }> = [];
  for (const [i, v] of verdicts.entries()) {
    const alert = alerts[i]!;
    if (v.crossed) fired.push({ threshold_usd: microsToUsd(alert.thresholdMicros) });
    if (v.crossed || v.above !== alert.above) await deps.store.budgetAlerts.setAbove(alert.id, v.above, v.crossed ? deps.clock.now().toISOString() : null, usdToMicros(projectedUsd));
  }
  return fired;
}

export function costWarnings(cost: PlanCost, estimate: DeploymentEstimate): PlanWarning[] {
  const projectedMicros = usdToMicros(cost.after_monthly_usd);
  const w: PlanWarning[] = [];
  if (!cost.budget.compliant) w.push({ kind: 'over_budget', projectedMicros, limitMicros: usdToMicros(cost.budget.limit_usd), overageMicros: usdToMicros(cost.budget.overage_usd) });
  for (const a of cost.alerts_triggered) w.push({ kind: 'alert_crossed', projectedMicros, thresholdMicros: usdToMicros(a.threshold_usd) });
  if (!cost.complete) w.push({ kind: 'prices_unknown' });
  for (const r of estimate.resources) {
    for (const rec of r.recommendations) w.push({ kind: 'recommendation', resource: r.name, message: rec.message });
    for (const message of r.warnings) w.push({ kind: 'resource', resource: r.name, message });
  }
  return w;
}
