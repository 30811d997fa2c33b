import { createHash } from 'node:crypto';
import type { Money } from '../domain/money.js';
import type { PlanRecord } from '../domain/plans.js';
import {
  DEFAULT_APPROVALS, DEFAULT_COST_THRESHOLD_MICROS, type Finding, type PolicyFile, type PolicyPack, type PolicyVerdict, type RiskTier, type RuleError, type TierReason,
} from '../domain/policy.js';
import type { Project } from '../domain/projects.js';
import type { ResourceSpec } from '../domain/resources.js';
import type { Session } from '../domain/sessions.js';
import { DEFAULT_RULES } from '../policy/defaultPack.js';
import { evaluatePolicies } from '../policy/evaluate.js';
import { buildPolicyInput, type PolicyInput } from '../policy/input.js';
import { mergePacks } from '../policy/pack.js';
import { withProjectLabels } from '../resources/labels.js';
import type { PlanCost } from './costing.js';
import type { CoreDeps } from './deps.js';

/** Packs merged from the files the repository returned (it returns the same array while HEAD stays). */
const merged = new WeakMap<PolicyFile[], PolicyPack>();

/** The pack a project's plans are checked against now: the default pack with the project's files over it. */
export async function currentPack(deps: CoreDeps, project: Project): Promise<PolicyPack> {
  const files = await deps.git.policyFiles(project.id);
  const pack = merged.get(files) ?? mergePacks(DEFAULT_RULES, files);
  merged.set(files, pack);
  return pack;
}

/** The settings governance reads, with their defaults filled in. */
export function governanceSettings(project: Project) {
  return {
    production: project.settings.production ?? false,
    approvals: project.settings.approvals ?? DEFAULT_APPROVALS,
    costThreshold: project.settings.cost_threshold_micros ?? DEFAULT_COST_THRESHOLD_MICROS,
    policyChecks: project.settings.policy_checks ?? true,
  };
}

/**
 * Distinct approvers a plan needs: its tier's count, except an expiry's destroy, which needs one (the project's
 * rule for expiry, `expiry_approval`, decides who: the system when policy allows it, or one approver).
 */
export const approvalsRequired = (project: Project, session: Pick<Session, 'purpose'>, tier: RiskTier): number =>
  session.purpose === 'expiry' ? 1 : governanceSettings(project).approvals[tier];

const STATEFUL_REMOVALS = new Set(['delete', 'replace']);
const OPENING = new Set(['create', 'update', 'replace']);

/**
 * A plan's tier from what it does and what policy found: high for removing or replacing data, opening a
 * rule to the world or adding more than the threshold a month; medium for touching anything that exists,
 * any finding or going over budget; low for additions alone.
 */
export function riskTier(input: PolicyInput, plan: Pick<PlanRecord, 'toChange' | 'toDestroy'>, found: { findings: Finding[]; ruleErrors: RuleError[] }, cost: PlanCost, threshold: Money): { tier: RiskTier; reasons: TierReason[] } {
  const high: TierReason[] = [];
  for (const r of input.resources) {
    if (r.stateful && STATEFUL_REMOVALS.has(r.action)) high.push({ kind: 'stateful_removed', resource: r.name, action: r.action as 'delete' | 'replace' });
    if (r.world_open && OPENING.has(r.action)) high.push({ kind: 'world_open', resource: r.name });
  }
  if (cost.delta_monthly > threshold) high.push({ kind: 'cost_increase', delta: cost.delta_monthly, threshold });
  const medium: TierReason[] = [];
  if (plan.toChange + plan.toDestroy > 0) medium.push({ kind: 'changes_existing', update: plan.toChange, destroy: plan.toDestroy });
  const count = found.findings.length + found.ruleErrors.length;
  if (count) medium.push({ kind: 'findings', count });
  if (!cost.budget.compliant) medium.push({ kind: 'over_budget' });
  return { tier: high.length ? 'high' : medium.length ? 'medium' : 'low', reasons: [...high, ...medium] };
}

/**
 * What an override is bound to: the soft-mandatory findings and rule errors, by rule and resource, in a
 * stable order. A finding and an error differ: letting a broken rule pass is not letting its finding pass.
 */
export function softHash(found: { findings: Finding[]; ruleErrors: RuleError[] }): string {
  const soft = [...found.findings, ...found.ruleErrors].filter((f) => f.level === 'soft-mandatory')
    .map((f) => `${'reason' in f ? 'error' : 'finding'}\u0000${f.ruleId}\u0000${f.resource ?? ''}`);
  return createHash('sha256').update(JSON.stringify([...new Set(soft)].sort())).digest('hex');
}

export interface Judgement {
  verdict: PolicyVerdict;
  /** The input document, kept with the plan (sealed) so `policy test` can run a pack against it later. */
  inputJson: string;
}

/**
 * Checks a plan that succeeded against the project's pack and puts it in its tier. Runs before the
 * plan is recorded, outside any store transaction: evaluation happens in a worker thread and may take
 * up to its time limit per rule.
 */
export async function judgePlan(deps: CoreDeps, project: Project, session: Session, args: {
  planJson: string; specs: ResourceSpec[]; deployed: ResourceSpec[]; cost: PlanCost; plan: Pick<PlanRecord, 'toChange' | 'toDestroy'>;
}): Promise<Judgement> {
  const settings = governanceSettings(project);
  const input = buildPolicyInput({
    planJson: args.planJson,
    session: { id: session.id, project: project.name, author_id: session.userId, author_name: session.userName, provider: session.provider, production: settings.production },
    // Policies read the labels the cloud will carry: the project's and each resource's own.
    specs: args.specs.map((spec) => withProjectLabels(spec, project.settings.labels)), deployed: args.deployed.map((spec) => withProjectLabels(spec, project.settings.labels)),
    cost: { before_monthly_micros: args.cost.before_monthly, after_monthly_micros: args.cost.after_monthly, budget_micros: args.cost.budget.limit > 0 ? args.cost.budget.limit : null, threshold_micros: settings.costThreshold },
    refreshOnly: session.planMode.kind === 'refresh_only',
  });
  const pack = await currentPack(deps, project);
  const found = settings.policyChecks ? await evaluatePolicies(pack.rules, input) : { findings: [], ruleErrors: [] };
  const { tier, reasons } = riskTier(input, args.plan, found, args.cost, settings.costThreshold);
  return {
    verdict: { findings: found.findings, ruleErrors: found.ruleErrors, tier, tierReasons: reasons, packDigest: pack.digest, softHash: softHash(found), checked: settings.policyChecks },
    inputJson: JSON.stringify(input),
  };
}

/** What the audit log keeps of a verdict: the tier and each finding by rule, level and resource (the first 50). */
export function policySummary(v: PolicyVerdict) {
  const hits = [...v.findings, ...v.ruleErrors];
  return {
    risk_tier: v.tier,
    policy_findings: hits.slice(0, 50).map((f) => ({ rule: f.ruleId, level: f.level, resource: f.resource, ...('reason' in f ? { error: f.reason } : {}) })),
    ...(hits.length > 50 ? { policy_findings_more: hits.length - 50 } : {}),
  };
}
