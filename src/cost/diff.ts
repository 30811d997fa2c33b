import type { ResourceSpec } from '../domain/resources.js';
import { micros, type Money } from '../domain/money.js';
import type { CostDiff, CostDiffLine, DeploymentEstimate } from './types.js';

const same = (a: ResourceSpec, b: ResourceSpec) => JSON.stringify(a) === JSON.stringify(b);

/** Per-resource run-rate change, keyed by resource name (names are unique within a project). */
export function diffDeployments(before: ResourceSpec[], after: ResourceSpec[], b: DeploymentEstimate, a: DeploymentEstimate): CostDiff {
  const prev = new Map(before.map((s, i) => [s.name, { spec: s, est: b.resources[i]! }]));
  const next = new Set(after.map((s) => s.name));
  const line = (spec: ResourceSpec, change: CostDiffLine['change'], beforeMonthly: Money, afterMonthly: Money, unknown?: string): CostDiffLine => ({
    name: spec.name,
    type: spec.type,
    change,
    before_monthly: beforeMonthly,
    after_monthly: afterMonthly,
    delta_monthly: micros(afterMonthly - beforeMonthly),
    ...(unknown ? { price_unknown: unknown } : {}),
  });
  const lines: CostDiffLine[] = after.map((spec, i) => {
    const est = a.resources[i]!;
    const old = prev.get(spec.name);
    if (!old) return line(spec, 'added', micros(0), est.monthly, est.price_unknown);
    return line(spec, same(old.spec, spec) ? 'unchanged' : 'changed', old.est.monthly, est.monthly, est.price_unknown ?? old.est.price_unknown);
  });
  for (const [name, old] of prev) if (!next.has(name)) lines.push(line(old.spec, 'removed', old.est.monthly, micros(0), old.est.price_unknown));
  return {
    before_monthly: b.total_monthly,
    after_monthly: a.total_monthly,
    delta_monthly: micros(a.total_monthly - b.total_monthly),
    complete: a.complete && b.complete,
    resources: lines,
  };
}
