import { checkBudgetCompliance, diffDeployments, evaluateBudgetAlerts, type BudgetCompliance, type CostDiff } from '../cost/index.js';
import { fromUsd, type Money } from '../domain/money.js';
import type { PlanWarning } from '../domain/plans.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import type { CoreDeps } from './deps.js';
import type { DeploymentEstimate } from './ports.js';
import type { Project } from '../domain/projects.js';

export interface BudgetVerdict extends BudgetCompliance {
  limit: Money;
  projected_monthly: Money;
}

export interface PlanCost extends CostDiff {
  budget: BudgetVerdict;
  alerts_triggered: Array<{ threshold: Money }>;
}

const LEGACY_DOLLARS = /_usd$/;

/** Dollar fields (`after_monthly_usd: 12.5`) as the Money fields they became (`after_monthly: 12500000`). */
function asMoney(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asMoney);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => (LEGACY_DOLLARS.test(k) && typeof v === 'number' ? [k.replace(LEGACY_DOLLARS, ''), fromUsd(v)] : [k, asMoney(v)])));
}

/** A plan's stored cost; plans recorded before amounts were Money hold dollars, read here as Money. */
export function planCost(plan: { cost: unknown }): PlanCost | null {
  return plan.cost !== null && typeof plan.cost === 'object' ? (asMoney(plan.cost) as PlanCost) : null;
}

/** Infracost-style diff of the project's monthly run-rate: what runs now → what the session would run. */
export function costDiff(deps: CoreDeps, provider: Provider, before: ResourceSpec[], after: ResourceSpec[]): CostDiff & { estimate: DeploymentEstimate } {
  const b = deps.cost.estimateDeployment(provider, before);
  const a = deps.cost.estimateDeployment(provider, after);
  return { ...diffDeployments(before, after, b, a), estimate: a };
}

export function budgetVerdict(limit: Money, projected: Money): BudgetVerdict {
  return { limit, projected_monthly: projected, ...checkBudgetCompliance(projected, limit) };
}

/**
 * Moves each alert to the side of its threshold the projected run-rate is on; an alert fires once
 * per upward crossing and re-arms when the run-rate falls below it. Call inside the plan's transaction.
 */
export async function crossAlerts(deps: CoreDeps, project: Project, projected: Money): Promise<Array<{ threshold: Money }>> {
  const alerts = await deps.store.budgetAlerts.list(project.id);
  const verdicts = evaluateBudgetAlerts(alerts.map((a) => ({ id: a.id, threshold: a.thresholdMicros, above: a.above })), projected);
  const fired: Array<{ threshold: Money }> = [];
  for (const [i, v] of verdicts.entries()) {
    const alert = alerts[i]!;
    if (v.crossed) fired.push({ threshold: alert.thresholdMicros });
    if (v.crossed || v.above !== alert.above) await deps.store.budgetAlerts.setAbove(alert.id, v.above, v.crossed ? deps.clock.now().toISOString() : null, projected);
  }
  return fired;
}

export function costWarnings(cost: PlanCost, estimate: DeploymentEstimate): PlanWarning[] {
  const projectedMicros = cost.after_monthly;
  const w: PlanWarning[] = [];
  if (!cost.budget.compliant) w.push({ kind: 'over_budget', projectedMicros, limitMicros: cost.budget.limit, overageMicros: cost.budget.overage });
  for (const a of cost.alerts_triggered) w.push({ kind: 'alert_crossed', projectedMicros, thresholdMicros: a.threshold });
  if (!cost.complete) w.push({ kind: 'prices_unknown' });
  for (const r of estimate.resources) {
    for (const rec of r.recommendations) w.push({ kind: 'recommendation', resource: r.name, message: rec.message });
    for (const message of r.warnings) w.push({ kind: 'resource', resource: r.name, message });
  }
  return w;
}
