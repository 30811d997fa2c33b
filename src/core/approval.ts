import type { Actor } from '../policy/permissions.js';
import { sha256 } from '../terraform/tfstate.js';
import { authorize, loadSession } from './access.js';
import { planCost } from './costing.js';
import type { CoreDeps } from './deps.js';
import { budgetExceeded, CoreError, lockLost, lostRace, noPlan, notAllowed, nothingToOverride, policyBlocked, policyOverrideNeeded, riskNotAccepted, sessionExpired, sessionStateError, stalePlan, validationError } from '../domain/errors.js';
import type { ApprovalVote, Finding, PolicyOverride, PolicyVerdict, RiskTier, RuleError } from '../domain/policy.js';
import { approvalsRequired, currentPack, governanceSettings } from './governance.js';
import { leaseExpiry } from './leases.js';
import { currentIdentity } from './identity.js';
import { configHash } from './planning.js';
import { queuedOwner, type Deployment } from '../domain/runs.js';
import type { PlanRecord, Staleness } from '../domain/plans.js';
import { allows, type Session } from '../domain/sessions.js';

/** Why a plan can no longer be applied as reviewed, or undefined when it still can. */
export async function staleness(deps: CoreDeps, session: Session, plan: PlanRecord): Promise<Staleness | undefined> {
  if (plan.status !== 'succeeded') return { why: 'not_succeeded' };
  const identity = await currentIdentity(deps, session.projectId, session.provider);
  const { labels } = (await deps.store.projects.get(session.projectId))!.settings;
  if (configHash(session.provider, await deps.store.sessions.listResources(session.id), identity, labels) !== plan.configHash) return { why: 'config_changed' };
  const state = await deps.store.states.latest(session.projectId);
  if ((state?.serial ?? null) !== plan.stateSerial || (state?.checksum ?? null) !== plan.stateChecksum) {
    return { why: 'state_moved', plannedSerial: plan.stateSerial, serial: state?.serial ?? null };
  }
  const artifact = await deps.store.plans.getArtifact(plan.id);
  if (!artifact || sha256(artifact.planBytes) !== plan.planFileHash) return { why: 'plan_file' };
  if (await policyMoved(deps, session, plan)) return { why: 'policy_changed' };
  return undefined;
}

/** The plan was checked under other rules than the project's now (or before policy existed). */
async function policyMoved(deps: CoreDeps, session: Session, plan: PlanRecord): Promise<boolean> {
  if (!plan.policy) return true;
  const project = (await deps.store.projects.get(session.projectId))!;
  const { policyChecks } = governanceSettings(project);
  if (policyChecks !== plan.policy.checked) return true;
  return policyChecks && (await currentPack(deps, project)).digest !== plan.policy.packDigest;
}

export interface ApproveOptions {
  budgetOverride?: boolean;
  /** The operator accepts a high-risk plan (the CLI's --accept-risk); audited. */
  acceptRisk?: boolean;
  /** A project admin overrides the plan's soft-mandatory findings with this reason before approving. */
  policyOverride?: string;
}

/** An approval either completes the votes the plan's tier needs (and the apply may start) or adds one. */
export type Approval =
  | { kind: 'approved'; session: Session; plan: PlanRecord; deployment: Deployment; votes: ApprovalVote[] }
  | { kind: 'voted'; session: Session; plan: PlanRecord; votes: ApprovalVote[]; counted: number; required: number };

const hitsOf = (items: Array<Finding | RuleError>) => items.map((f) => ({ ruleId: f.ruleId, resource: f.resource }));

/** The votes that count toward a plan's tier: its author's only in low, and only while the project allows self-approval. */
export const countedVotes = (votes: ApprovalVote[], tier: RiskTier, authorId: string, selfApproval: boolean) =>
  votes.filter((v) => v.userId !== authorId || (tier === 'low' && selfApproval));

/**
 * Binds approval to the reviewed plan. Each approver's vote is kept per plan; the vote that completes
 * the plan's tier moves it PLANNED → APPLYING by compare-and-set, so of any number of concurrent last
 * votes exactly one starts the apply and the rest are told someone else approved.
 */
export async function approveSession(deps: CoreDeps, actor: Actor, sessionId: string, opts: ApproveOptions = {}): Promise<Approval> {
  const session = await loadSession(deps, actor, sessionId);
  const project = await authorize(deps, actor, session, 'session.approve');
  if (session.state === 'APPLYING' || session.state === 'APPLIED') throw lostRace('approval');
  if (!allows(session.state, 'approve')) throw sessionStateError(session.state, 'approve', session.state === 'PLAN_FAILED' || session.state === 'DRAFT' ? { kind: 'replan', projectId: session.projectId, sessionId: session.id } : undefined);
  const now = deps.clock.now().toISOString();
  if (session.expiresAt < now) throw sessionExpired({ kind: 'new_session', projectId: session.projectId });
  const plan = await deps.store.plans.latest(session.id);
  if (!plan) throw noPlan({ kind: 'replan', projectId: session.projectId, sessionId: session.id });
  const refused = (details: Record<string, unknown>) => deps.audit.record(actor, { eventType: 'approval_refused', projectId: session.projectId, sessionId: session.id, action: 'approve', status: 'denied', details: { ...details, plan_id: plan.id } });
  const stale = await staleness(deps, session, plan);
  if (stale) {
    await refused({ stale });
    throw stalePlan(stale, { kind: 'replan', projectId: session.projectId, sessionId: session.id });
  }
  const verdict = plan.policy!;
  const { tier } = verdict;
  if (!actor.operator && actor.userId === session.userId && tier !== 'low') {
    await refused({ reason: 'author_not_counted', risk_tier: tier });
    throw notAllowed('author_not_counted');
  }
  await passPolicy(deps, actor, session, verdict, opts, refused);
  if ((await deps.store.locks.get(session.projectId))?.sessionId !== session.id) throw await lockNotHeld(deps, actor, session, plan);
  const cost = planCost(plan);
  const overBudget = cost !== null && !cost.budget.compliant;
  if (overBudget && !opts.budgetOverride) {
    throw budgetExceeded(cost.after_monthly, cost.budget.limit);
  }
  if (overBudget) await authorize(deps, actor, session, 'project.admin');
  const required = approvalsRequired(project, session, tier);
  const specs = await deps.store.sessions.listResources(session.id);
  const deployment: Deployment = {
    id: deps.newId(), projectId: session.projectId, sessionId: session.id, planId: plan.id, userId: actor.userId, approverName: actor.userName, status: 'running',
    resourcesCount: specs.length, toAdd: plan.toAdd, toChange: plan.toChange, toDestroy: plan.toDestroy,
    resourceTypes: [...new Set(specs.map((s) => s.type))], monthlyCostMicros: cost ? cost.after_monthly : null,
    stateSerial: null, commitHash: null, error: null, startedAt: now, finishedAt: null, durationMs: null, fence: null, terraformExit: null,
  };
  const outcome = await deps.store.transaction(async (): Promise<{ votes: ApprovalVote[]; counted: number } | undefined> => {
    // A vote counts only on the plan still under review: one replaced or applied meanwhile takes none.
    const current = await deps.store.sessions.get(session.id);
    if (current?.state === 'APPLYING' || current?.state === 'APPLIED') throw lostRace('approval');
    if ((await deps.store.plans.get(plan.id))?.status !== 'succeeded' || current?.state !== 'PLANNED') throw lostRace('new_plan');
    const fresh = await deps.store.approvals.vote({ planId: plan.id, userId: actor.userId, userName: actor.userName, createdAt: now });
    const votes = await deps.store.approvals.votes(plan.id);
    // The operator (the CLI, on the machine that holds the store) stands for every approver the tier needs.
    const counted = actor.operator ? required : countedVotes(votes, tier, session.userId, project.settings.allow_self_approval).length;
    if (counted < required) {
      if (fresh) await deps.audit.record(actor, { eventType: 'approval_voted', projectId: project.id, sessionId: session.id, action: 'approve', status: 'success', details: { plan_id: plan.id, risk_tier: tier, counted, required } });
      return { votes, counted };
    }
    if (!await deps.store.sessions.moveState(session.id, ['PLANNED'], 'APPLYING', now)) throw lostRace('approval');
    if (!await deps.store.plans.moveStatus(plan.id, 'succeeded', 'applied')) throw lostRace('new_plan');
    // The apply runs under a fresh token of the lock this session already holds; never a lock taken over here.
    // On the run queue the queue holds it until a worker takes it over, for as long as a job may wait.
    const owner = deps.queue ? queuedOwner(deployment.id) : deps.owner;
    const expiresAt = deps.queue ? new Date(deps.clock.now().getTime() + deps.queue.waitMs).toISOString() : leaseExpiry(deps);
    deployment.fence = await deps.store.locks.claimRun({ projectId: session.projectId, sessionId: session.id, userId: session.userId, owner, now, expiresAt }) ?? null;
    if (deployment.fence === null) throw await lockNotHeld(deps, actor, session, plan);
    await deps.store.deployments.insert(deployment);
    if (overBudget) {
      await deps.store.plans.setBudgetOverride(plan.id, actor.userId);
      await deps.audit.record(actor, { eventType: 'budget_override', projectId: project.id, sessionId: session.id, action: 'approve_over_budget', status: 'success', details: { projected_monthly_micros: cost.after_monthly, budget_limit_micros: cost.budget.limit, overage_micros: cost.budget.overage } });
    }
    if (tier === 'high' && actor.operator) {
      await deps.audit.record(actor, { eventType: 'risk_accepted', projectId: project.id, sessionId: session.id, action: 'accept_risk', status: 'success', details: { plan_id: plan.id, risk_tier: tier, reasons: verdict.tierReasons } });
    }
    await deps.audit.record(actor, {
      eventType: 'deployment_approved', projectId: project.id, sessionId: session.id, action: 'approve', status: 'success',
      details: { plan_id: plan.id, deployment_id: deployment.id, add: plan.toAdd, change: plan.toChange, destroy: plan.toDestroy, risk_tier: tier, approvers: actor.operator ? [actor.userId] : countedVotes(votes, tier, session.userId, project.settings.allow_self_approval).map((v) => v.userId) },
    });
    await deps.queue?.enqueue({ kind: 'apply', deploymentId: deployment.id, sessionId: session.id, actorName: actor.userName });
    return undefined;
  });
  const latest = (await deps.store.sessions.get(session.id))!;
  if (outcome) return { kind: 'voted', session: latest, plan, votes: outcome.votes, counted: outcome.counted, required };
  return { kind: 'approved', session: latest, plan, deployment, votes: await deps.store.approvals.votes(plan.id) };
}

/**
 * What policy asks before a vote counts: no hard-mandatory finding, an override of the soft-mandatory ones
 * as they stand (given now, when the caller asks for one), and for the operator an explicit acceptance
 * of a high-risk plan.
 */
async function passPolicy(deps: CoreDeps, actor: Actor, session: Session, verdict: PolicyVerdict, opts: ApproveOptions, refused: (d: Record<string, unknown>) => Promise<unknown>): Promise<void> {
  const all = [...verdict.findings, ...verdict.ruleErrors];
  const hard = all.filter((f) => f.level === 'hard-mandatory');
  if (hard.length) {
    await refused({ reason: 'policy_blocked', rules: hitsOf(hard) });
    throw policyBlocked(hitsOf(hard), { kind: 'replan', projectId: session.projectId, sessionId: session.id });
  }
  const soft = all.filter((f) => f.level === 'soft-mandatory');
  if (soft.length && !await deps.store.approvals.overrideOf(session.id, verdict.softHash)) {
    if (opts.policyOverride === undefined) {
      await refused({ reason: 'policy_override_needed', rules: hitsOf(soft) });
      throw policyOverrideNeeded(hitsOf(soft));
    }
    await overridePolicy(deps, actor, session.id, opts.policyOverride);
  }
  if (verdict.tier === 'high' && actor.operator && !opts.acceptRisk) {
    await refused({ reason: 'risk_not_accepted', risk_tier: verdict.tier });
    throw riskNotAccepted(verdict.tier);
  }
}

export const OVERRIDE_REASON = { min: 10, max: 500 } as const;

/**
 * A project admin lets the plan's soft-mandatory findings through, with a reason (audited). The override
 * is bound to those findings: a re-plan with the same ones keeps it, a new or different one voids it.
 */
export async function overridePolicy(deps: CoreDeps, actor: Actor, sessionId: string, reason: string): Promise<PolicyOverride> {
  const session = await loadSession(deps, actor, sessionId);
  const project = await authorize(deps, actor, session, 'project.admin');
  const why = reason.trim();
  if (why.length < OVERRIDE_REASON.min || why.length > OVERRIDE_REASON.max) {
    throw validationError([{ field: 'reason', message: `reason: ${OVERRIDE_REASON.min}-${OVERRIDE_REASON.max} characters saying why the findings may pass (got ${why.length})` }]);
  }
  const plan = await deps.store.plans.latest(session.id);
  if (!plan || session.state !== 'PLANNED') throw noPlan({ kind: 'replan', projectId: session.projectId, sessionId: session.id });
  const stale = await staleness(deps, session, plan);
  if (stale) throw stalePlan(stale, { kind: 'replan', projectId: session.projectId, sessionId: session.id });
  const soft = [...plan.policy!.findings, ...plan.policy!.ruleErrors].filter((f) => f.level === 'soft-mandatory');
  if (!soft.length) throw nothingToOverride();
  const override: PolicyOverride = { sessionId: session.id, softHash: plan.policy!.softHash, userId: actor.userId, userName: actor.userName, reason: why, createdAt: deps.clock.now().toISOString() };
  await deps.store.transaction(async () => {
    if (!await deps.store.approvals.override(override)) return;
    await deps.audit.record(actor, { eventType: 'policy_overridden', projectId: project.id, sessionId: session.id, action: 'override_policy', status: 'success', details: { plan_id: plan.id, soft_hash: override.softHash, rules: hitsOf(soft), reason: why } });
  });
  return (await deps.store.approvals.overrideOf(session.id, override.softHash))!;
}

/** Approval needs the session to hold the project's lock now: a released or expired lock means re-plan. */
async function lockNotHeld(deps: CoreDeps, actor: Actor, session: Session, plan: PlanRecord): Promise<CoreError> {
  const holder = await deps.store.locks.get(session.projectId);
  await deps.audit.record(actor, {
    eventType: 'approval_refused', projectId: session.projectId, sessionId: session.id, action: 'approve', status: 'denied',
    details: { reason: 'lock_not_held', plan_id: plan.id, holder_session: holder?.sessionId ?? null },
  });
  return lockLost(session.projectId, holder?.sessionId ?? null, { kind: 'replan', projectId: session.projectId, sessionId: session.id });
}
