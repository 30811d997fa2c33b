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

/** A plan's tier and findings, one line each, as `plan` and `apply` print them. */
export function verdictLines(v: PolicyVerdict, approvals: { required: number }): string[] {
  const lines = [`Risk: ${v.tier} — needs ${approvals.required} approval${approvals.required === 1 ? '' : 's'}${v.tierReasons.length ? ` (${v.tierReasons.map(tierReasonText).join('; ')})` : ''}`];
  if (!v.checked) lines.push('Policy: not checked (policy checks are off for this project)');
  return [...lines, ...findingLines(v)];
}

/** Each finding and rule error on its own indented line, marked with what its level does. */
export function findingLines(v: { findings: Finding[]; ruleErrors: RuleError[] }): string[] {
  return [
    ...v.findings.map((f) => `  [${MARK[f.level]}] ${f.ruleId}${f.resource ? ` on ${f.resource}` : ''}: ${f.message}`),
    ...v.ruleErrors.map((e) => `  [${MARK[e.level]}] rule ${e.ruleId} ${ERROR_WORDS[e.reason]}${e.resource ? ` on ${e.resource}` : ''}: ${e.detail}`),
  ];
}
