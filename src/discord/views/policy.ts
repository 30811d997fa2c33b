import type { APIEmbedField } from 'discord.js';
import type { ApprovalState, SessionView } from '../../core/views.js';
import { formatUsd } from '../../domain/money.js';
import { blockingFindings, type PolicyLevel, type PolicyVerdict, type RiskTier, type RuleErrorReason, type TierReason } from '../../domain/policy.js';
import { FINAL_STATES } from '../../domain/sessions.js';
import { quotedText } from './format.js';
import { LIMITS, linesWithin, truncate } from './limits.js';

export const LEVEL_ICON: Record<PolicyLevel, string> = { 'hard-mandatory': '⛔', 'soft-mandatory': '🟠', advisory: 'ℹ️' };
const TIER_BADGE: Record<RiskTier, string> = { low: '🟢 low', medium: '🟡 medium', high: '🔴 high' };

const ERROR_WORDS: Record<RuleErrorReason, string> = {
  syntax: 'is not valid CEL', evaluation: 'failed', not_boolean: 'did not return true or false', timeout: 'ran past its time limit', memory: 'ran out of memory',
};

function tierReason(r: TierReason): string {
  switch (r.kind) {
    case 'stateful_removed': return `\`${r.resource}\` holds data and would be ${r.action === 'delete' ? 'destroyed' : 'replaced'}`;
    case 'world_open': return `\`${r.resource}\` opens to the whole internet`;
    case 'cost_increase': return `+${formatUsd(r.delta)}/month, above the project's ${formatUsd(r.threshold)} threshold`;
    case 'changes_existing': return `changes what exists (${r.update} updated, ${r.destroy} destroyed)`;
    case 'findings': return `${r.count} policy finding${r.count === 1 ? '' : 's'}`;
    case 'over_budget': return 'over budget';
  }
}

const on = (resource: string | null) => (resource ? ` on \`${resource}\`` : '');

/** Each finding and rule error on a line, the blocking ones first. */
export function findingLines(v: Pick<PolicyVerdict, 'findings' | 'ruleErrors'>): string[] {
  const order: PolicyLevel[] = ['hard-mandatory', 'soft-mandatory', 'advisory'];
  const findings = [...v.findings].sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level))
    .map((f) => `${LEVEL_ICON[f.level]} \`${f.ruleId}\`${on(f.resource)}: ${f.message}`);
  const errors = v.ruleErrors.map((e) => `${LEVEL_ICON[e.level]} rule \`${e.ruleId}\` ${ERROR_WORDS[e.reason]}${on(e.resource)}: ${e.detail}`);
  return [...errors, ...findings];
}

const approvalsLine = (a: ApprovalState) => `Approvals **${Math.min(a.counted, a.required)}/${a.required}**${a.votes.length ? ` — ${a.votes.map((v) => `<@${v.userId}>`).join(', ')}` : ''}`;

/** The plan's tier, its approvals and its findings, while the plan is the one under review. */
export function policyField(view: SessionView): APIEmbedField | undefined {
  const verdict = view.plan?.policy;
  if (!verdict || !view.approvals || FINAL_STATES.includes(view.session.state) || view.plan?.status !== 'succeeded') return undefined;
  const { soft } = blockingFindings(verdict);
  const head = [
    `Risk ${TIER_BADGE[verdict.tier]}${verdict.tierReasons.length ? `: ${verdict.tierReasons.map(tierReason).join('; ')}` : ''}`,
    approvalsLine(view.approvals),
    ...(!verdict.checked ? ['Policy checks are off for this project.'] : []),
    ...(soft && view.approvals.override ? [`✅ Soft-mandatory findings overridden by <@${view.approvals.override.userId}>: ${quotedText(view.approvals.override.reason, 200)}`] : []),
  ].join('\n');
  const findings = findingLines(verdict);
  const value = findings.length ? `${head}\n${linesWithin(findings, LIMITS.fieldValue - head.length - 1)}` : `${head}\nNo policy findings.`;
  return { name: '🛡️ Policy', value: truncate(value, LIMITS.fieldValue) };
}

/** Approval is held back by policy: a hard-mandatory finding, or soft-mandatory ones nobody overrode. */
export function policyHolds(view: SessionView): { hard: boolean; needsOverride: boolean } {
  const verdict = view.plan?.policy;
  if (!verdict) return { hard: false, needsOverride: false };
  const { hard, soft } = blockingFindings(verdict);
  return { hard: hard > 0, needsOverride: soft > 0 && !view.approvals?.override };
}

/** What an approver is told when their vote does not yet complete the plan's tier. */
export const votedText = (v: { counted: number; required: number }) =>
  `🗳️ Your approval is recorded: **${v.counted}/${v.required}**. The apply starts when the last approval lands.`;
