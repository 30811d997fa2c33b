import { formatUsd } from '../domain/money.js';
import type { Finding, PolicyLevel, PolicyVerdict, RuleError, RuleErrorReason, TierReason } from '../domain/policy.js';

const MARK: Record<PolicyLevel, string> = { 'hard-mandatory': 'BLOCK', 'soft-mandatory': 'OVERRIDE', advisory: 'advice' };

const ERROR_WORDS: Record<RuleErrorReason, string> = {
  syntax: 'is not valid CEL', evaluation: 'failed', not_boolean: 'returned something other than true or false',
  timeout: 'ran past its time limit', memory: 'ran out of memory',
};

export function tierReasonText(r: TierReason): string {
  switch (r.kind) {
    case 'stateful_removed': return `${r.resource} (data) would be ${r.action === 'delete' ? 'destroyed' : 'replaced'}`;
    case 'world_open': return `${r.resource} opens to the whole internet`;
    case 'cost_increase': return `+${formatUsd(r.delta)}/month is above the project's ${formatUsd(r.threshold)} threshold`;
    case 'changes_existing': return `changes existing resources (${r.update} updated, ${r.destroy} destroyed)`;
    case 'findings': return `${r.count} policy finding${r.count === 1 ? '' : 's'}`;
    case 'over_budget': return 'over budget';
  }
}

/** Resources a rule or a reason names, the first few by name and the rest counted: a plan of thousands stays readable. */
const SHOWN = 3;
function named(names: string[]): string {
  const more = names.length - SHOWN;
  return more > 0 ? `${names.slice(0, SHOWN).join(', ')} and ${more.toLocaleString('en-US')} more` : names.join(', ');
}

/** Tier reasons of one kind about many resources become one reason naming a few. */
function reasonTexts(reasons: TierReason[]): string[] {
  const byResource = new Map<string, string[]>();
  const texts: string[] = [];
  for (const r of reasons) {
    if (r.kind !== 'stateful_removed' && r.kind !== 'world_open') { texts.push(tierReasonText(r)); continue; }
    const key = r.kind === 'world_open' ? 'world_open' : `stateful_removed:${r.action}`;
    const names = byResource.get(key) ?? [];
    names.push(r.resource);
    byResource.set(key, names);
  }
  const grouped = [...byResource].map(([key, names]) => (names.length === 1
    ? tierReasonText(key === 'world_open' ? { kind: 'world_open', resource: names[0]! } : { kind: 'stateful_removed', resource: names[0]!, action: key.endsWith('delete') ? 'delete' : 'replace' })
    : key === 'world_open' ? `${named(names)} open to the whole internet` : `${named(names)} (data) would be ${key.endsWith('delete') ? 'destroyed' : 'replaced'}`));
  return [...grouped, ...texts];
}

/** A plan's tier and findings, one line per rule, as `plan` and `apply` print them. */
export function verdictLines(v: PolicyVerdict, approvals: { required: number }): string[] {
  const reasons = reasonTexts(v.tierReasons);
  const lines = [`Risk: ${v.tier} — needs ${approvals.required} approval${approvals.required === 1 ? '' : 's'}${reasons.length ? ` (${reasons.join('; ')})` : ''}`];
  if (!v.checked) lines.push('Policy: not checked (policy checks are off for this project)');
  return [...lines, ...findingLines(v)];
}

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return [...groups.values()];
}

const onResources = (items: Array<{ resource: string | null }>) => {
  const names = items.flatMap((x) => (x.resource ? [x.resource] : []));
  return names.length ? ` on ${named(names)}` : '';
};

/**
 * Each rule that fired, and each way a rule failed, on its own indented line marked with what its level
 * does: a rule failing on every resource of a large plan is one line naming a few, with its first message.
 */
export function findingLines(v: { findings: Finding[]; ruleErrors: RuleError[] }): string[] {
  return [
    ...groupBy(v.findings, (f) => f.ruleId).map((fs) => `  [${MARK[fs[0]!.level]}] ${fs[0]!.ruleId}${onResources(fs)}: ${fs[0]!.message}`),
    ...groupBy(v.ruleErrors, (e) => `${e.ruleId} ${e.reason}`).map((es) => `  [${MARK[es[0]!.level]}] rule ${es[0]!.ruleId} ${ERROR_WORDS[es[0]!.reason]}${onResources(es)}: ${es[0]!.detail}`),
  ];
}
