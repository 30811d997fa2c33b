import type { Actor } from '../policy/permissions.js';
import { CoreError, isCoreError, lostRace, type PolicyHit } from '../domain/errors.js';
import { remindersDue, type EnvLease, type EnvLeaseChange, type ExpiryStopReason } from '../domain/expiry.js';
import type { PlanRecord } from '../domain/plans.js';
import type { Project } from '../domain/projects.js';
import { FINAL_STATES, type Session } from '../domain/sessions.js';
import { authorize } from './access.js';
import { approveSession, type Approval } from './approval.js';
import type { ApplyStatus } from './applying.js';
import type { CoreDeps } from './deps.js';
import { at, expiryApprovalOf, expirySystem, workingLease } from './expiry.js';
import { environmentCost } from './expiryCost.js';
import { startPlannedSession } from './plannedSession.js';
import type { PlanOutcome } from './planning.js';
import { cancelSession } from './sessions.js';

/** An expiry claimed by a process that died before its destroy session existed is taken up again after this. */
const ORPHANED_CLAIM_MS = 10 * 60_000;

/** What an expiry's destroy plan leads to, by the plan and the project's rule for expiry. */
export type ExpiryDecision =
  | { kind: 'plan_failed' }
  /** A hard-mandatory finding: the session was cancelled and the lease stopped. */
  | { kind: 'blocked'; rules: PolicyHit[] }
  /** `expiry_approval: approver`: it waits in its lobby for one approver. */
  | { kind: 'awaiting_approval' }
  /** `expiry_approval: auto`: the system approves it now (approveExpiry). */
  | { kind: 'auto' };

export interface ExpiryStarted {
  project: Project;
  session: Session;
  /** The project's channel, where the lease's reminders went. */
  channelId: string | null;
  outcome: Promise<PlanOutcome & { decision: ExpiryDecision }>;
}

/** Moves an `expiring` lease of `sessionId` to its end state, audited; false when it is not that session's any more. */
async function settleLease(deps: CoreDeps, project: Project, sessionId: string, to: EnvLeaseChange, event: { eventType: 'lease_expired' | 'lease_expiry_stopped'; details: Record<string, unknown> }): Promise<boolean> {
  const lease = await deps.store.envLeases.get(project.id);
  // No session yet: its claimer stopped between starting the session and naming it; this is the one.
  if (lease?.status !== 'expiring' || (lease.destroySessionId !== sessionId && lease.destroySessionId !== null)) return false;
  if (!await deps.store.envLeases.move(project.id, lease.version, { ...to, destroySessionId: sessionId })) return false;
  await deps.audit.record(null, { eventType: event.eventType, projectId: project.id, sessionId, action: 'lease_expiry', status: event.eventType === 'lease_expired' ? 'success' : 'failure', details: event.details });
  return true;
}

const stopLease = (deps: CoreDeps, project: Project, sessionId: string, reason: ExpiryStopReason, details: Record<string, unknown> = {}) =>
  deps.store.transaction(() => settleLease(deps, project, sessionId, { status: 'stopped', stopReason: reason, updatedAt: deps.clock.now().toISOString() }, { eventType: 'lease_expiry_stopped', details: { reason, ...details } }));

/** Cancels a destroy session that will not be applied, so its lock is let go at once (the environment stays); a session that moved on meanwhile is left as it is. */
const letGo = (deps: CoreDeps, project: Project, sessionId: string) => cancelSession(deps, expirySystem(project.guildId), sessionId)
  .then(() => undefined, (err: unknown) => deps.log.warn({ err, sessionId }, 'could not cancel an expiry session that will not be applied'));

/** The destroy plan judged like any other: a hard-mandatory finding stops the expiry; else the project's rule decides. */
async function judgeExpiry(deps: CoreDeps, project: Project, session: Session, plan: PlanRecord): Promise<ExpiryDecision> {
  if (plan.status !== 'succeeded') {
    await letGo(deps, project, session.id);
    await stopLease(deps, project, session.id, 'plan_failed', { plan_id: plan.id, error: plan.error });
    return { kind: 'plan_failed' };
  }
  const hard = [...plan.policy!.findings, ...plan.policy!.ruleErrors].filter((f) => f.level === 'hard-mandatory').map((f) => ({ ruleId: f.ruleId, resource: f.resource }));
  if (hard.length) {
    await letGo(deps, project, session.id);
    await stopLease(deps, project, session.id, 'policy_blocked', { plan_id: plan.id, rules: hard });
    return { kind: 'blocked', rules: hard };
  }
  return expiryApprovalOf(project) === 'auto' ? { kind: 'auto' } : { kind: 'awaiting_approval' };
}

/**
 * Claims the lease's end (active or stopped → expiring, by compare-and-set: one destroy session per expiry,
 * whichever processes try) and starts its destroy session: a session holding no resources, so its ordinary
 * plan destroys everything, planned under the project's lock and judged by policy and tiers. A refusal
 * (the project locked by another session) gives the claim back and is thrown: the sweep tries again later.
 */
async function beginExpiry(deps: CoreDeps, actor: Actor, project: Project, lease: EnvLease, trigger: 'lease_end' | 'destroy_now'): Promise<ExpiryStarted | undefined> {
  const now = deps.clock.now().toISOString();
  if (!await deps.store.envLeases.move(project.id, lease.version, { status: 'expiring', stopReason: null, destroySessionId: null, updatedAt: now })) return undefined;
  const deployed = await deps.store.sessions.listDeployed(project.id);
  let started: Awaited<ReturnType<typeof startPlannedSession>>;
  try {
    started = await startPlannedSession(deps, actor, project, {
      purpose: 'expiry', provider: deployed[0]?.provider ?? project.defaultProvider, specs: [], ...(lease.channelId ? { channelId: lease.channelId } : {}),
      audit: { eventType: 'lease_expiring', details: { trigger, ends_at: lease.endsAt, resources: deployed.length } },
    });
  } catch (e) {
    const claimed = (await deps.store.envLeases.get(project.id))!;
    await deps.store.envLeases.move(project.id, claimed.version, { status: lease.status, updatedAt: deps.clock.now().toISOString() });
    throw e;
  }
  const { session } = started;
  const claimed = (await deps.store.envLeases.get(project.id))!;
  await deps.store.envLeases.move(project.id, claimed.version, { destroySessionId: session.id, updatedAt: deps.clock.now().toISOString() });
  const outcome = started.outcome.then(async (planned) => ({ ...planned, decision: await judgeExpiry(deps, project, session, planned.plan) }));
  return { project, session, channelId: lease.channelId, outcome };
}

/** Destroy now, from a reminder: those who may start sessions start the expiry's destroy session at once. */
export async function destroyNow(deps: CoreDeps, actor: Actor, name: string): Promise<ExpiryStarted> {
  const project = await authorize(deps, actor, name, 'session.start');
  const started = await beginExpiry(deps, actor, project, await workingLease(deps, project), 'destroy_now');
  if (!started) throw lostRace('session_change');
  return started;
}

/** Every lease whose end has come starts its destroy session, as the system; a project still locked is tried again at the next sweep. */
export async function expireDue(deps: CoreDeps): Promise<ExpiryStarted[]> {
  const now = deps.clock.now().toISOString();
  const started: ExpiryStarted[] = [];
  for (const lease of await deps.store.envLeases.toSweep()) {
    if (lease.status !== 'active' || lease.endsAt === null || lease.endsAt > now) continue;
    const project = (await deps.store.projects.get(lease.projectId))!;
    try {
      const s = await beginExpiry(deps, expirySystem(project.guildId), project, lease, 'lease_end');
      if (s) started.push(s);
    } catch (e) {
      if (!isCoreError(e)) throw e;
      deps.log.info({ projectId: project.id, code: e.code }, 'the lease ended but its destroy session could not start yet; tried again at the next sweep');
    }
  }
  return started;
}

/**
 * `expiry_approval: auto`: the system approves the destroy plan when policy allows it. Tier votes are not asked
 * (the project chose auto for its expiry), a high tier included — a database's destroy is accepted as a risk
 * and audited `risk_accepted`; soft-mandatory findings still need a project admin's override (refused here:
 * the session then waits in its lobby). The caller starts the apply.
 */
export async function approveExpiry(deps: CoreDeps, sessionId: string): Promise<Approval> {
  const session = await deps.store.sessions.get(sessionId);
  const project = session && await deps.store.projects.get(session.projectId);
  if (!session || !project || session.purpose !== 'expiry' || expiryApprovalOf(project) !== 'auto') throw new CoreError('invalid_state', 'Only an expiry under expiry_approval auto is approved by the system.');
  return approveSession(deps, expirySystem(project.guildId), sessionId, { acceptRisk: true });
}

/**
 * Called in the transaction that records an apply. The expiry's own destroy: the lease expires with the cost the
 * environment ran up (audited), or stops when the apply did not finish. Any other succeeded apply moves the end
 * to the apply's time + the lease's length (expiry counts from the last apply), and re-arms an expired lease.
 */
export async function leaseAfterApplyTx(deps: CoreDeps, session: Session, status: ApplyStatus, finishedAt: string): Promise<void> {
  const lease = await deps.store.envLeases.get(session.projectId);
  if (!lease) return;
  const project = (await deps.store.projects.get(session.projectId))!;
  if (session.purpose === 'expiry') {
    if (status !== 'succeeded') {
      await settleLease(deps, project, session.id, { status: 'stopped', stopReason: 'apply_failed', updatedAt: finishedAt }, { eventType: 'lease_expiry_stopped', details: { reason: 'apply_failed', apply_status: status } });
      return;
    }
    const cost = environmentCost(await deps.store.deployments.list(project.id, 10_000), lease.armedAt, finishedAt);
    await settleLease(deps, project, session.id, { status: 'expired', costMicros: cost.total, updatedAt: finishedAt }, {
      eventType: 'lease_expired', details: { cost_micros: cost.total, hours: cost.hours, partly_unpriced: cost.partlyUnpriced, since: lease.armedAt, ttl_seconds: lease.ttlSeconds },
    });
    return;
  }
  // An expiry still `expiring` here has no live destroy session (a live one would hold the lock this apply held).
  if (status !== 'succeeded') return;
  const endsAt = at(deps, lease.ttlSeconds, new Date(finishedAt));
  await deps.store.envLeases.move(project.id, lease.version, {
    endsAt, status: 'active', stopReason: null, remindersSent: remindersDue(endsAt, deps.clock.now()), destroySessionId: null, costMicros: null, announced: null,
    ...(lease.status === 'expired' ? { armedAt: finishedAt } : {}), ...(session.channelId ? { channelId: session.channelId } : {}), updatedAt: finishedAt,
  });
  await deps.audit.record(null, { eventType: 'lease_renewed', projectId: project.id, sessionId: session.id, action: 'lease_renew', status: 'info', details: { ends_at: endsAt, ttl_seconds: lease.ttlSeconds } });
}

/**
 * An expiry whose destroy session ended without its apply (cancelled, expired idle, its plan interrupted) stops:
 * the environment stays until someone extends, destroys now or ends the lease. A claim whose process died before
 * its session existed is given back, so the next sweep starts the expiry again.
 */
export async function settleExpiries(deps: CoreDeps): Promise<void> {
  const now = deps.clock.now();
  for (const lease of await deps.store.envLeases.toSweep()) {
    if (lease.status !== 'expiring') continue;
    const project = (await deps.store.projects.get(lease.projectId))!;
    if (lease.destroySessionId === null) {
      // Its claimer stopped before naming its session: the session is adopted, or, when none was written, the claim given back.
      const orphan = (await deps.store.sessions.listInStates(['DRAFT', 'PLANNING', 'PLANNED', 'PLAN_FAILED', 'APPLYING'], project.id))
        .find((s) => s.purpose === 'expiry' && s.createdAt >= lease.updatedAt);
      if (orphan) await deps.store.envLeases.move(project.id, lease.version, { destroySessionId: orphan.id, updatedAt: now.toISOString() });
      else if (now.getTime() - Date.parse(lease.updatedAt) > ORPHANED_CLAIM_MS) await deps.store.envLeases.move(project.id, lease.version, { status: 'active', updatedAt: now.toISOString() });
      continue;
    }
    const session = await deps.store.sessions.get(lease.destroySessionId);
    const ended = !session || session.state === 'PLAN_FAILED' || (FINAL_STATES.includes(session.state) && session.state !== 'APPLIED');
    if (!ended) continue;
    // A failed plan keeps the project's lock until it is cancelled: let it go, the environment stays.
    if (session?.state === 'PLAN_FAILED') await letGo(deps, project, session.id);
    await stopLease(deps, project, lease.destroySessionId, session?.state === 'PLAN_FAILED' ? 'plan_failed' : 'session_ended', { session_state: session?.state ?? null });
  }
}

/** An expiry's outcome to say in the project's channel: expired (with its cost) or stopped (with why), once. */
export interface LeaseOutcome {
  project: Project;
  lease: EnvLease;
  /** For a destroy stopped by policy: the rules that stopped it. */
  rules: PolicyHit[];
}

export async function claimOutcomes(deps: CoreDeps): Promise<LeaseOutcome[]> {
  const claimed: LeaseOutcome[] = [];
  for (const lease of await deps.store.envLeases.toSweep()) {
    if ((lease.status !== 'expired' && lease.status !== 'stopped') || !await deps.store.envLeases.claimAnnouncement(lease.projectId, lease.status)) continue;
    const plan = lease.destroySessionId ? await deps.store.plans.latest(lease.destroySessionId) : undefined;
    const rules = lease.stopReason === 'policy_blocked' && plan?.policy
      ? [...plan.policy.findings, ...plan.policy.ruleErrors].filter((f) => f.level === 'hard-mandatory').map((f) => ({ ruleId: f.ruleId, resource: f.resource })) : [];
    claimed.push({ project: (await deps.store.projects.get(lease.projectId))!, lease, rules });
  }
  return claimed;
}
