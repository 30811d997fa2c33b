import type { Money } from './money.js';

/**
 * Policy as code (issue 19): rules in CEL over one documented input (README "Policy"), at HCP Terraform's
 * three levels. Advisory findings are shown; soft-mandatory ones block approval until a project admin
 * overrides them with a reason; hard-mandatory ones block until the configuration changes.
 */
export const POLICY_LEVELS = ['advisory', 'soft-mandatory', 'hard-mandatory'] as const;
export type PolicyLevel = (typeof POLICY_LEVELS)[number];

/**
 * What a rule's expression is evaluated against: once per resource of the session (`resource` bound to
 * one resource item, `input` to the whole document) or once per plan (`input` only).
 */
export const RULE_SCOPES = ['resource', 'plan'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

export interface PolicyRule {
  /** Lowercase words joined by hyphens; a project rule with a default rule's id replaces it. */
  id: string;
  level: PolicyLevel;
  /** What the rule guards against, shown with each finding. */
  description: string;
  scope: RuleScope;
  /** CEL, true when the rule fires (a finding), false when it stays silent; anything else is a rule error. */
  expression: string;
  /** Where the rule comes from: `default`, or the pack file's path in the project's repository. */
  source: string;
}

/** A pack: a project's rules as its repository holds them, and the digest of exactly those files. */
export interface PolicyPack {
  rules: PolicyRule[];
  /** sha256 of the pack's files (names and bytes): a plan evaluated under another digest is re-evaluated. */
  digest: string;
}

export interface Finding {
  ruleId: string;
  level: PolicyLevel;
  /** The resource item it is about (its spec name), or null for a plan-scope rule. */
  resource: string | null;
  message: string;
}

/** Why a rule could not say yes or no; a rule error blocks at its rule's level, as a finding would. */
export type RuleErrorReason = 'syntax' | 'evaluation' | 'not_boolean' | 'timeout' | 'memory';

export interface RuleError {
  ruleId: string;
  level: PolicyLevel;
  reason: RuleErrorReason;
  /** The evaluator's message (a syntax error's position, a missing field), cut to a bound. */
  detail: string;
  /** The resource it failed on, for a resource-scope rule. */
  resource: string | null;
}

/** Risk tiers: how many distinct approvers a plan needs is configured per tier (ProjectSettings.approvals). */
export const RISK_TIERS = ['low', 'medium', 'high'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

/** Why a plan is in its tier, as data each adapter words. */
export type TierReason =
  | { kind: 'changes_existing'; update: number; destroy: number }
  | { kind: 'findings'; count: number }
  | { kind: 'over_budget' }
  | { kind: 'stateful_removed'; resource: string; action: 'delete' | 'replace' }
  | { kind: 'world_open'; resource: string }
  | { kind: 'cost_increase'; delta: Money; threshold: Money };

/** What policy said about one plan, kept with it: approval reads this, never re-evaluates it. */
export interface PolicyVerdict {
  findings: Finding[];
  ruleErrors: RuleError[];
  tier: RiskTier;
  tierReasons: TierReason[];
  /** The digest of the pack it was evaluated under. */
  packDigest: string;
  /**
   * sha256 of the soft-mandatory findings and rule errors (rule, resource, level): an override is kept
   * across re-plans only while this stays the same.
   */
  softHash: string;
  /** Whether the project checks policy at all (ProjectSettings.policy_checks); tiers apply either way. */
  checked: boolean;
}

/** A soft-mandatory override: who let which findings through, and why. */
export interface PolicyOverride {
  sessionId: string;
  softHash: string;
  userId: string;
  userName: string;
  reason: string;
  createdAt: string;
}

/** One approver's vote on one plan; a new plan starts with none. */
export interface ApprovalVote {
  planId: string;
  userId: string;
  userName: string;
  createdAt: string;
}

export const DEFAULT_APPROVALS: Record<RiskTier, number> = { low: 1, medium: 1, high: 2 };

/** The monthly cost increase above which a plan is high risk, unless the project sets its own. */
export const DEFAULT_COST_THRESHOLD_MICROS = 100_000_000 as Money;

/** The blocking state of a verdict: what approval must see before a plan may be applied. */
export function blockingFindings(v: PolicyVerdict): { hard: number; soft: number } {
  const all = [...v.findings, ...v.ruleErrors];
  return { hard: all.filter((f) => f.level === 'hard-mandatory').length, soft: all.filter((f) => f.level === 'soft-mandatory').length };
}

/** Bounds on a project's pack, checked before anything is parsed (a pack file is untrusted input). */
export const POLICY_LIMITS = { fileBytes: 256 * 1024, files: 20 } as const;

/** Where a project's pack lives in its repository: every `*.yaml` / `*.yml` directly in this folder. */
export const POLICY_DIR = 'policies';
export const isPolicyFileName = (name: string) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\.ya?ml$/.test(name);

/** One pack file as the repository holds it. */
export interface PolicyFile {
  path: string;
  text: string;
}

/** The most approvers a tier may ask for. */
export const MAX_APPROVALS = 10;

/**
 * Approver counts as users write them, `low/medium/high` (`1/1/2`): whole numbers from 1 to MAX_APPROVALS
 * that never fall as the risk rises. Undefined with the reason when the text is not that.
 */
export function parseApprovals(text: string): { ok: true; value: Record<RiskTier, number> } | { ok: false; why: string } {
  const parts = text.trim().split('/');
  const nums = parts.map((p) => (/^\d{1,2}$/.test(p.trim()) ? Number(p.trim()) : NaN));
  if (nums.length !== 3 || nums.some((n) => !(n >= 1 && n <= MAX_APPROVALS))) {
    return { ok: false, why: `approvals must be three whole numbers from 1 to ${MAX_APPROVALS} for low/medium/high risk, like 1/1/2; got '${text.slice(0, 20)}'` };
  }
  const [low, medium, high] = nums as [number, number, number];
  if (medium < low || high < medium) return { ok: false, why: `approvals must not fall as the risk rises (low ≤ medium ≤ high); got ${low}/${medium}/${high}` };
  return { ok: true, value: { low, medium, high } };
}

export const approvalsText = (a: Record<RiskTier, number>) => `${a.low}/${a.medium}/${a.high}`;
