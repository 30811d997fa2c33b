import type { ResourceSpec } from '../domain/resources.js';
import { microsToUsd, usdToMicros } from './money.js';
import type { CostDiff, CostDiffLine, DeploymentEstimate } from './types.js';

const same = (a: ResourceSpec, b: ResourceSpec) => JSON.stringify(a) === JSON.stringify(b);

/** Per-resource run-rate change, keyed by resource name (names are unique within a project). */
export function diffDeployments(before: ResourceSpec[], after: ResourceSpec[], b: DeploymentEstimate, a: DeploymentEstimate): CostDiff {
  const prev = new Map(before.map((s, i) => [s.name, { spec: s, est: b.resources[i]! }]));
  const next = new Set(after.map((s) => s.name));
  const line = (spec: ResourceSpec, change: CostDiffLine['change'], beforeUsd: number, afterUsd: number, unknown?: string): CostDiffLine => ({
    name: spec.name,
    type: spec.type,
    change,
    before_monthly_usd: beforeUsd,
    after_monthly_usd: afterUsd,
    delta_monthly_usd: microsToUsd(usdToMicros(afterUsd) - usdToMicros(beforeUsd)),
    ...(unknown ? { price_unknown: unknown } : {}),
  });
  const lines: CostDiffLine[] = after.map((spec, i) => {
    const est = a.resources[i]!;
    const old = prev.get(spec.name);
    if (!old) return line(spec, 'added', 0, est.monthly_usd, est.price_unknown);
    return line(spec, same(old.spec, spec) ? 'unchanged' : 'changed', old.est.monthly_usd, est.monthly_usd, est.price_unknown ?? old.est.price_unknown);
  });
  for (const [name, old] of prev) if (!next.has(name)) lines.push(line(old.spec, 'removed', old.est.monthly_usd, 0, old.est.price_unknown));
  return {
    before_monthly_usd: b.total_monthly_usd,
    after_monthly_usd: a.total_monthly_usd,
    delta_monthly_usd: microsToUsd(usdToMicros(a.total_monthly_usd) - usdToMicros(b.total_monthly_usd)),
    complete: a.complete && b.complete,
    resources: lines,
  };
}
