import { checkBudgetCompliance, diffDeployments, evaluateBudgetAlerts, type BudgetCompliance, type CostDiff } from '../cost/index.js';
import { formatUsd, microsToUsd, usdToMicros } from '../policy/money.js';
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
  verdicts.forEach(async (v, i) => {
    const alert = alerts[i]!;
    if (v.crossed) fired.push({ threshold_usd: microsToUsd(alert.thresholdMicros) });
    if (v.crossed || v.above !== alert.above) await deps.store.budgetAlerts.setAbove(alert.id, v.above, v.crossed ? deps.clock.now().toISOString() : null, usdToMicros(projectedUsd));
  });
  return fired;
}

export function costWarnings(cost: PlanCost, estimate: DeploymentEstimate): string[] {
  const w: string[] = [];
  if (!cost.budget.compliant) w.push(`🚫 Projected ${formatUsd(usdToMicros(cost.after_monthly_usd))}/month exceeds the budget of ${formatUsd(usdToMicros(cost.budget.limit_usd))} by ${formatUsd(usdToMicros(cost.budget.overage_usd))}; only a project admin can approve with an override.`);
  for (const a of cost.alerts_triggered) w.push(`⚠️ Projected ${formatUsd(usdToMicros(cost.after_monthly_usd))}/month crosses the budget alert at ${formatUsd(usdToMicros(a.threshold_usd))}.`);
  if (!cost.complete) w.push('❔ Some prices are unknown; the totals are incomplete.');
  for (const r of estimate.resources) {
    for (const rec of r.recommendations) w.push(`💡 ${r.name}: ${rec.message}`);
    for (const warn of r.warnings) w.push(`${r.name}: ${warn}`);
  }
  return w;
}
