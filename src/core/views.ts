import type { Money } from '../domain/money.js';
import type { Action, Actor } from '../policy/permissions.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import { authorize, loadSession } from './access.js';
import { countedVotes, staleness } from './approval.js';
import { approvalsRequired } from './governance.js';
import type { ApprovalVote, PolicyOverride } from '../domain/policy.js';
import { budgetVerdict, planCost, type BudgetVerdict } from './costing.js';
import { diffDeployments, type CostDiff, type DeploymentEstimate } from '../cost/index.js';
import type { CoreDeps } from './deps.js';
import { noEncryptionKey, noState, operatorOnly, serverAdminOnly, validationError } from '../domain/errors.js';
import type { ResourceEstimate } from './ports.js';
import { FINAL_STATES, HOLDS_LOCK } from '../domain/sessions.js';
import { identityUse, type IdentityUse } from './identity.js';
import { currentNotice } from './notices.js';
import type { SessionNotice } from '../domain/notices.js';
import type { Lock, StateVersion } from '../domain/runs.js';
import type { PlanRecord, Staleness } from '../domain/plans.js';
import type { Project } from '../domain/projects.js';
import type { Session } from '../domain/sessions.js';
import { AUDIT_EVENT_TYPES, isAuditEventType, type AuditFilter, type AuditRow } from '../domain/audit.js';
import type { DeploymentStatistics } from '../domain/stats.js';
import type { Store } from '../domain/store.js';
import { forgetExpiredDrafts } from './drafts.js';
import { recoveryView, type RecoveryView } from './recoveryView.js';

export interface SessionView {
  session: Session;
  project: Project;
  resources: Array<{ spec: ResourceSpec; estimate: ResourceEstimate }>;
  totalHourly: Money;
  totalMonthly: Money;
  complete: boolean;
  budget: BudgetVerdict;
  plan: PlanRecord | undefined;
  /** Why the latest plan cannot be approved, when it cannot. */
  planStale: Staleness | undefined;
  lock: Lock | undefined;
  /** What a plan of this session would deploy as (a project's identity, the bot's own, or refused). */
  identity: IdentityUse;
  /** What happened to the session that its owner did not do (it expired, its lock was force-released), while it matters. */
  notice: SessionNotice | undefined;
  /** The project's monthly run-rate before → after this session, per resource; undefined when it changes nothing (cancelled, expired). */
  costDiff: CostDiff | undefined;
  /** For a plan policy checked: its votes, how many count toward its tier and how many it needs, and the override of its soft findings. */
  approvals: ApprovalState | undefined;
  /** For an apply that stopped part-way (INTERRUPTED, FAILED): where things stand and the ways out. */
  recovery: RecoveryView | undefined;
}

export interface ApprovalState {
  votes: ApprovalVote[];
  counted: number;
  required: number;
  override: PolicyOverride | undefined;
}

async function approvalState(deps: CoreDeps, session: Session, project: Project, plan: PlanRecord | undefined): Promise<ApprovalState | undefined> {
  if (!plan?.policy || (plan.status !== 'succeeded' && plan.status !== 'applied')) return undefined;
  const votes = await deps.store.approvals.votes(plan.id);
  return {
    votes, counted: countedVotes(votes, plan.policy.tier, session.userId, project.settings.allow_self_approval).length, required: approvalsRequired(project, session, plan.policy.tier),
    override: await deps.store.approvals.overrideOf(session.id, plan.policy.softHash),
  };
}

export async function sessionView(deps: CoreDeps, actor: Actor, sessionId: string): Promise<SessionView> {
  const session = await loadSession(deps, actor, sessionId);
  const project = await authorize(deps, actor, session, 'project.view');
  return buildView(deps, session, project);
}

/** The view without a permission check: for the bot re-rendering a lobby after someone else's action. */
export async function buildView(deps: CoreDeps, session: Session, project: Project): Promise<SessionView> {
  const specs = await deps.store.sessions.listResources(session.id);
  const est = deps.cost.estimateDeployment(session.provider, specs);
  const plan = await deps.store.plans.latest(session.id);
  const lock = await deps.store.locks.get(session.projectId);
  return {
    session, project, resources: specs.map((spec, i) => ({ spec, estimate: est.resources[i]! })),
    totalHourly: est.total_hourly, totalMonthly: est.total_monthly, complete: est.complete,
    budget: budgetVerdict(project.budgetLimitMicros, est.total_monthly), plan,
    planStale: plan && session.state === 'PLANNED' ? await staleness(deps, session, plan) : undefined,
    lock,
    identity: identityUse(deps, project, session.provider),
    notice: await currentNotice(deps, session, plan, lock),
    costDiff: await sessionCostDiff(deps, session, specs, est, plan),
    approvals: await approvalState(deps, session, project, plan),
    recovery: await recoveryView(deps, session, project),
  };
}

/**
 * While a session is open, what it would change against what the project runs now. Once its apply ran,
 * what runs now includes it, so the diff its plan recorded stands; a cancelled or expired one changed nothing.
 */
async function sessionCostDiff(deps: CoreDeps, session: Session, specs: ResourceSpec[], after: DeploymentEstimate, plan: PlanRecord | undefined): Promise<CostDiff | undefined> {
  // Over: only an applied session changed the run-rate as planned (a failed or interrupted one did part of it, or nothing).
  if (session.state === 'APPLIED') return (plan?.status === 'applied' && planCost(plan)) || undefined;
  if (FINAL_STATES.includes(session.state)) return undefined;
  const before = (await deps.store.sessions.listDeployed(session.projectId)).map((d) => d.spec);
  return diffDeployments(before, specs, deps.cost.estimateDeployment(session.provider, before), after);
}

export async function projectCost(deps: CoreDeps, actor: Actor, name: string) {
  const project = await authorize(deps, actor, name, 'project.view');
  const deployed = await deps.store.sessions.listDeployed(project.id);
  const provider = deployed[0]?.provider ?? project.defaultProvider;
  const estimate = deps.cost.estimateDeployment(provider, deployed.map((d) => d.spec));
  return {
    project, provider, estimate, budget: budgetVerdict(project.budgetLimitMicros, estimate.total_monthly),
    alerts: (await deps.store.budgetAlerts.list(project.id)).map((a) => ({ threshold: a.thresholdMicros, above: a.above, last_triggered_at: a.lastTriggeredAt })),
  };
}

export async function activeSessions(deps: CoreDeps, actor: Actor, name?: string): Promise<Array<{ session: Session; holdsLock: boolean }>> {
  const project = name === undefined ? undefined : await authorize(deps, actor, name, 'project.view');
  const sessions = (await deps.store.sessions.listInStates(['DRAFT', 'PLANNING', 'PLANNED', 'PLAN_FAILED', 'APPLYING'], project?.id))
    .filter((s) => actor.operator || s.guildId === actor.guildId);
  const locks = new Map((await deps.store.locks.list()).map((l) => [l.projectId, l.sessionId]));
  return sessions.map((session) => ({ session, holdsLock: HOLDS_LOCK.includes(session.state) && locks.get(session.projectId) === session.id }));
}

export async function stateVersions(deps: CoreDeps, actor: Actor, name: string) {
  const project = await authorize(deps, actor, name, 'project.view');
  // Headers only: listing versions never needs the key their bodies are sealed with.
  const versions = await deps.store.states.list(project.id);
  return { latest: versions[0], versions };
}

/** One version's body, opened, for a project admin or the operator; every reading is audited. */
export async function showState(deps: CoreDeps, actor: Actor, name: string, serial?: number): Promise<StateVersion> {
  const project = await authorize(deps, actor, name, 'project.admin');
  const version = serial === undefined ? await deps.store.states.latest(project.id) : await deps.store.states.bySerial(project.id, serial);
  if (!version) throw noState(project.name, serial);
  await deps.audit.record(actor, { eventType: 'state_viewed', projectId: project.id, sessionId: null, action: 'show_state', status: 'success', details: { serial: version.serial, key_id: version.keyId } });
  return version;
}

/** Re-seals every stored state body, plan file and kept form with the current key (the operator only), audited. */
export async function rekeyStore(deps: CoreDeps, actor: Actor): Promise<{ keyId: string } & Awaited<ReturnType<Store['states']['resealAll']>>> {
  if (!actor.operator) throw operatorOnly('rekey');
  const keyId = deps.store.states.currentKeyId();
  if (!keyId) throw noEncryptionKey();
  // Expired drafts go first: one sealed under a key since retired must not stop the rekey.
  await forgetExpiredDrafts(deps);
  const counts = await deps.store.states.resealAll();
  await deps.audit.record(actor, { eventType: 'state_rekeyed', projectId: null, sessionId: null, action: 'rekey', status: 'success', details: { key_id: keyId, ...counts } });
  return { keyId, ...counts };
}

/** An audit query as an adapter asks it: `project` is a project's name in the actor's server. */
export type AuditRequest = Omit<AuditFilter, 'projectId'> & { project?: string };

/** The filter an actor may read with: a project they administer, or their whole server as its admin. */
async function auditScope(deps: CoreDeps, actor: Actor, request: AuditRequest): Promise<AuditFilter> {
  const { project: name, ...filter } = request;
  if (filter.eventType !== undefined && !isAuditEventType(filter.eventType)) {
    throw validationError([{ field: 'event', message: `event '${filter.eventType.slice(0, 40)}' is not an audit event type; use one of ${AUDIT_EVENT_TYPES.join(', ')}` }]);
  }
  const project = name ? await authorize(deps, actor, name, 'project.admin') : undefined;
  if (!project && !actor.operator && !actor.isGuildAdmin) throw serverAdminOnly('read_server_audit');
  return { ...filter, ...(project ? { projectId: project.id } : {}), ...(actor.operator ? {} : { guildId: actor.guildId }) };
}

export async function auditLog(deps: CoreDeps, actor: Actor, request: AuditRequest): Promise<AuditRow[]> {
  return deps.store.audit.query(await auditScope(deps, actor, request));
}

/**
 * Every matching audit row, newest first, read a page at a time so an export of millions stays in
 * bounded memory. The export itself is audited (when the store can be written).
 */
export async function exportAudit(deps: CoreDeps, actor: Actor, request: Omit<AuditRequest, 'limit' | 'beforeId'>): Promise<AsyncIterable<AuditRow>> {
  const { limit: _limit, beforeId: _beforeId, ...scoped } = await auditScope(deps, actor, request);
  if (!deps.store.readOnly) {
    await deps.audit.record(actor, { eventType: 'audit_exported', projectId: scoped.projectId ?? null, sessionId: null, action: 'export_audit', status: 'info', details: { ...request } });
  }
  return deps.store.audit.iterate(scoped);
}

/** Deployment statistics: server admins see their own server; the local operator any guild, or all. */
export async function statistics(deps: CoreDeps, actor: Actor, days: number, operatorGuildId?: string): Promise<DeploymentStatistics> {
  if (!actor.operator && !actor.isGuildAdmin) throw serverAdminOnly('read_server_stats');
  if (!Number.isInteger(days) || days < 1 || days > 366) throw validationError([{ field: 'days', message: 'days must be a whole number from 1 to 366' }]);
  return deps.store.stats.deployments(actor.operator ? operatorGuildId : actor.guildId, days, deps.clock.now());
}

/** What the project runs now: the start of every session, and what an export writes out. */
export async function deployedResources(deps: CoreDeps, actor: Actor, name: string): Promise<{ project: Project; provider: Provider; specs: ResourceSpec[] }> {
  const project = await authorize(deps, actor, name, 'project.view');
  const deployed = await deps.store.sessions.listDeployed(project.id);
  return { project, provider: deployed[0]?.provider ?? project.defaultProvider, specs: deployed.map((d) => d.spec) };
}

/** A permission check without acting, so an adapter can refuse before showing a form. */
export async function assertCan(deps: CoreDeps, actor: Actor, sessionId: string, action: Action): Promise<void> {
  const session = await loadSession(deps, actor, sessionId);
  await authorize(deps, actor, session, action);
}
