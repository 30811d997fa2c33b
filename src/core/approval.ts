import type { Actor } from '../policy/permissions.js';
import { sha256 } from '../terraform/tfstate.js';
import { authorize, loadSession } from './access.js';
import { planCost } from './costing.js';
import type { CoreDeps } from './deps.js';
import { budgetExceeded, CoreError, lockLost, lostRace, noPlan, sessionExpired, sessionStateError, stalePlan } from '../domain/errors.js';
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
  if (configHash(session.provider, await deps.store.sessions.listResources(session.id), identity) !== plan.configHash) return { why: 'config_changed' };
  const state = await deps.store.states.latest(session.projectId);
  if ((state?.serial ?? null) !== plan.stateSerial || (state?.checksum ?? null) !== plan.stateChecksum) {
    return { why: 'state_moved', plannedSerial: plan.stateSerial, serial: state?.serial ?? null };
  }
  const artifact = await deps.store.plans.getArtifact(plan.id);
  if (!artifact || sha256(artifact.planBytes) !== plan.planFileHash) return { why: 'plan_file' };
  return undefined;
}

export interface ApproveOptions {
  budgetOverride?: boolean;
}

/**
 * Binds approval to the reviewed plan: PLANNED → APPLYING by compare-and-set, so of any number
 * of concurrent approvals exactly one wins and the rest are told someone else approved.
 */
export async function approveSession(deps: CoreDeps, actor: Actor, sessionId: string, opts: ApproveOptions = {}): Promise<{ session: Session; plan: PlanRecord; deployment: Deployment }> {
  const session = await loadSession(deps, actor, sessionId);
  const project = await authorize(deps, actor, session, 'session.approve');
  if (session.state === 'APPLYING' || session.state === 'APPLIED') throw lostRace('approval');
  if (!allows(session.state, 'approve')) throw sessionStateError(session.state, 'approve', session.state === 'PLAN_FAILED' || session.state === 'DRAFT' ? { kind: 'replan', projectId: session.projectId, sessionId: session.id } : undefined);
  const now = deps.clock.now().toISOString();
  if (session.expiresAt < now) throw sessionExpired({ kind: 'new_session', projectId: session.projectId });
  const plan = await deps.store.plans.latest(session.id);
  if (!plan) throw noPlan({ kind: 'replan', projectId: session.projectId, sessionId: session.id });
  const stale = await staleness(deps, session, plan);
  if (stale) {
    await deps.audit.record(actor, { eventType: 'approval_refused', projectId: session.projectId, sessionId: session.id, action: 'approve', status: 'denied', details: { stale, plan_id: plan.id } });
    throw stalePlan(stale, { kind: 'replan', projectId: session.projectId, sessionId: session.id });
  }
  if ((await deps.store.locks.get(session.projectId))?.sessionId !== session.id) throw await lockNotHeld(deps, actor, session, plan);
  const cost = planCost(plan);
  const overBudget = cost !== null && !cost.budget.compliant;
  if (overBudget && !opts.budgetOverride) {
    throw budgetExceeded(cost.after_monthly, cost.budget.limit);
  }
  if (overBudget) await authorize(deps, actor, session, 'project.admin');
  const specs = await deps.store.sessions.listResources(session.id);
  const deployment: Deployment = {
    id: deps.newId(), projectId: session.projectId, sessionId: session.id, planId: plan.id, userId: actor.userId, approverName: actor.userName, status: 'running',
    resourcesCount: specs.length, toAdd: plan.toAdd, toChange: plan.toChange, toDestroy: plan.toDestroy,
    resourceTypes: [...new Set(specs.map((s) => s.type))], monthlyCostMicros: cost ? cost.after_monthly : null,
    stateSerial: null, commitHash: null, error: null, startedAt: now, finishedAt: null, durationMs: null, fence: null, terraformExit: null,
  };
  await deps.store.transaction(async () => {
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
    await deps.audit.record(actor, { eventType: 'deployment_approved', projectId: project.id, sessionId: session.id, action: 'approve', status: 'success', details: { plan_id: plan.id, deployment_id: deployment.id, add: plan.toAdd, change: plan.toChange, destroy: plan.toDestroy } });
    await deps.queue?.enqueue({ kind: 'apply', deploymentId: deployment.id, sessionId: session.id, actorName: actor.userName });
  });
  return { session: (await deps.store.sessions.get(session.id))!, plan, deployment };
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
