import { listBudgetAlerts, setAlertAbove } from '../db/budgetAlerts.js';
import type { Project } from '../db/projects.js';
import { formatUsd, microsToUsd, usdToMicros } from '../policy/money.js';
import type { Provider, ResourceSpec } from '../resources/types.js';
import type { CoreDeps } from './deps.js';
import type { DeploymentEstimate } from './ports.js';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

export interface CostDiffLine {
  name: string;
  type: string;
  change: ChangeKind;
  before_monthly_usd: number;
  after_monthly_usd: number;
  delta_monthly_usd: number;
  price_unknown?: string;
}

export interface BudgetVerdict {
  limit_usd: number;
  projected_monthly_usd: number;
  compliant: boolean;
  usage_pct: number | null;
  remaining_usd: number;
  overage_usd: number;
}

export interface PlanCost {
  before_monthly_usd: number;
  after_monthly_usd: number;
  delta_monthly_usd: number;
  complete: boolean;
  resources: CostDiffLine[];
  budget: BudgetVerdict;
  alerts_triggered: Array<{ threshold_usd: number }>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Infracost-style diff of the project's monthly run-rate: what runs now → what the session would run. */
export function costDiff(deps: CoreDeps, provider: Provider, before: ResourceSpec[], after: ResourceSpec[]): Omit<PlanCost, 'budget' | 'alerts_triggered'> & { estimate: DeploymentEstimate } {
  const b = deps.cost.estimateDeployment(provider, before);
  const a = deps.cost.estimateDeployment(provider, after);
  const beforeBy = new Map(before.map((s, i) => [s.name, { spec: s, est: b.resources[i]! }]));
  const lines: CostDiffLine[] = [];
  after.forEach((spec, i) => {
    const est = a.resources[i]!;
    const prev = beforeBy.get(spec.name);
    const change: ChangeKind = !prev ? 'added' : JSON.stringify(prev.spec) === JSON.stringify(spec) ? 'unchanged' : 'changed';
    const beforeUsd = prev?.est.monthly_usd ?? 0;
    lines.push({ name: spec.name, type: spec.type, change, before_monthly_usd: beforeUsd, after_monthly_usd: est.monthly_usd, delta_monthly_usd: round2(est.monthly_usd - beforeUsd), ...(est.price_unknown ? { price_unknown: est.price_unknown } : {}) });
  });
  for (const [name, prev] of beforeBy) {
    if (!after.some((s) => s.name === name)) {
      lines.push({ name, type: prev.spec.type, change: 'removed', before_monthly_usd: prev.est.monthly_usd, after_monthly_usd: 0, delta_monthly_usd: round2(-prev.est.monthly_usd) });
    }
  }
  return {
    before_monthly_usd: b.total_monthly_usd, after_monthly_usd: a.total_monthly_usd, delta_monthly_usd: round2(a.total_monthly_usd - b.total_monthly_usd),
    complete: a.complete && b.complete, resources: lines, estimate: a,
  };
}

export function budgetVerdict(limitMicros: number, projectedUsd: number): BudgetVerdict {
  const projected = usdToMicros(projectedUsd);
  return {
    limit_usd: microsToUsd(limitMicros), projected_monthly_usd: projectedUsd, compliant: projected <= limitMicros,
    usage_pct: limitMicros > 0 ? Math.round((projected / limitMicros) * 1000) / 10 : null,
    remaining_usd: microsToUsd(Math.max(0, limitMicros - projected)), overage_usd: microsToUsd(Math.max(0, projected - limitMicros)),
  };
}

/**
 * Moves each alert to the side of its threshold the projected run-rate is on; an alert fires once
 * per upward crossing and re-arms when the run-rate falls below it. Call inside the plan's transaction.
 */
export function crossAlerts(deps: CoreDeps, project: Project, projectedUsd: number): Array<{ threshold_usd: number }> {
  const projected = usdToMicros(projectedUsd);
  const fired: Array<{ threshold_usd: number }> = [];
  for (const alert of listBudgetAlerts(deps.db, project.id)) {
    const above = projected >= alert.thresholdMicros;
    if (above && !alert.above) {
      setAlertAbove(deps.db, alert.id, true, deps.clock.now().toISOString(), projected);
      fired.push({ threshold_usd: microsToUsd(alert.thresholdMicros) });
    } else if (above !== alert.above) {
      setAlertAbove(deps.db, alert.id, above, null, projected);
    }
  }
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
