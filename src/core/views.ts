import { getLock, type Lock } from '../db/locks.js';
import { latestPlan, type PlanRecord } from '../db/plans.js';
import type { Project } from '../db/projects.js';
import { listDeployedResources, listSessionResources, listSessionsInStates, type Session } from '../db/sessions.js';
import { latestState, listStates, resealAll, stateBySerial, type StateVersion } from '../db/states.js';
import { cipherOf } from '../db/cipher.js';
import { queryAudit, type AuditFilter, type AuditRow } from '../db/audit.js';
import { listBudgetAlerts } from '../db/budgetAlerts.js';
import { getDeploymentStatistics, type DeploymentStatistics } from '../db/stats.js';
import type { Action, Actor } from '../policy/permissions.js';
import { microsToUsd } from '../policy/money.js';
import type { Provider, ResourceSpec } from '../resources/types.js';
import { authorize, loadSession } from './access.js';
import { staleness } from './approval.js';
import { budgetVerdict, type BudgetVerdict } from './costing.js';
import type { CoreDeps } from './deps.js';
import { CoreError } from '../domain/errors.js';
import type { ResourceEstimate } from './ports.js';
import { HOLDS_LOCK } from './transitions.js';
import { identityUse, type IdentityUse } from './identity.js';

export interface SessionView {
  session: Session;
  project: Project;
  resources: Array<{ spec: ResourceSpec; estimate: ResourceEstimate }>;
  totalHourlyUsd: number;
  totalMonthlyUsd: number;
  complete: boolean;
  budget: BudgetVerdict;
  plan: PlanRecord | undefined;
  /** Why the latest plan cannot be approved, when it cannot. */
  planStale: string | undefined;
  lock: Lock | undefined;
  /** What a plan of this session would deploy as (a project's identity, the bot's own, or refused). */
  identity: IdentityUse;
}

export function sessionView(deps: CoreDeps, actor: Actor, sessionId: string): SessionView {
  const session = loadSession(deps, actor, sessionId);
  const project = authorize(deps, actor, session.projectId, 'project.view', session);
  return buildView(deps, session, project);
}

/** The view without a permission check: for the bot re-rendering a lobby after someone else's action. */
export function buildView(deps: CoreDeps, session: Session, project: Project): SessionView {
  const specs = listSessionResources(deps.db, session.id);
  const est = deps.cost.estimateDeployment(session.provider, specs);
  const plan = latestPlan(deps.db, session.id);
  return {
    session, project, resources: specs.map((spec, i) => ({ spec, estimate: est.resources[i]! })),
    totalHourlyUsd: est.total_hourly_usd, totalMonthlyUsd: est.total_monthly_usd, complete: est.complete,
    budget: budgetVerdict(project.budgetLimitMicros, est.total_monthly_usd), plan,
    planStale: plan && session.state === 'PLANNED' ? staleness(deps, session, plan) : undefined,
    lock: getLock(deps.db, session.projectId),
    identity: identityUse(deps, project, session.provider),
  };
}

export function projectCost(deps: CoreDeps, actor: Actor, projectId: string) {
  const project = authorize(deps, actor, projectId, 'project.view');
  const deployed = listDeployedResources(deps.db, project.id);
  const provider = deployed[0]?.provider ?? project.defaultProvider;
  const estimate = deps.cost.estimateDeployment(provider, deployed.map((d) => d.spec));
  return {
    project, provider, estimate, budget: budgetVerdict(project.budgetLimitMicros, estimate.total_monthly_usd),
    alerts: listBudgetAlerts(deps.db, project.id).map((a) => ({ threshold_usd: microsToUsd(a.thresholdMicros), above: a.above, last_triggered_at: a.lastTriggeredAt })),
  };
}

export function activeSessions(deps: CoreDeps, actor: Actor, projectId?: string): Array<{ session: Session; holdsLock: boolean }> {
  if (projectId) authorize(deps, actor, projectId, 'project.view');
  const sessions = listSessionsInStates(deps.db, ['DRAFT', 'PLANNING', 'PLANNED', 'PLAN_FAILED', 'APPLYING'], projectId)
    .filter((s) => actor.operator || s.guildId === actor.guildId);
  return sessions.map((session) => ({ session, holdsLock: HOLDS_LOCK.includes(session.state) && getLock(deps.db, session.projectId)?.sessionId === session.id }));
}

export function stateVersions(deps: CoreDeps, actor: Actor, projectId: string) {
  authorize(deps, actor, projectId, 'project.view');
  // Headers only: listing versions never needs the key their bodies are sealed with.
  const versions = listStates(deps.db, projectId);
  return { latest: versions[0], versions };
}

/** One version's body, opened, for a project admin or the operator; every reading is audited. */
export function showState(deps: CoreDeps, actor: Actor, projectId: string, serial?: number): StateVersion {
  authorize(deps, actor, projectId, 'project.admin');
  const version = serial === undefined ? latestState(deps.db, projectId) : stateBySerial(deps.db, projectId, serial);
  if (!version) throw new CoreError('not_found', serial === undefined ? `Project ${projectId} has no saved state yet.` : `Project ${projectId} has no state version with serial ${serial}.`);
  deps.audit.record(actor, { eventType: 'state_viewed', projectId, sessionId: null, action: 'show_state', status: 'success', details: { serial: version.serial, key_id: version.keyId } });
  return version;
}

/** Re-seals every stored state body and plan file with the current key (the operator only), audited. */
export function rekeyStore(deps: CoreDeps, actor: Actor): { keyId: string } & ReturnType<typeof resealAll> {
  if (!actor.operator) throw new CoreError('forbidden', 'Only the operator can re-encrypt the store.');
  const keyId = cipherOf(deps.db).currentKeyId;
  if (!keyId) throw new CoreError('validation', 'STATE_ENCRYPTION_KEY (or STATE_ENCRYPTION_KEY_FILE) is not set: there is no key to encrypt with.');
  const counts = resealAll(deps.db);
  deps.audit.record(actor, { eventType: 'state_rekeyed', projectId: null, sessionId: null, action: 'rekey', status: 'success', details: { key_id: keyId, ...counts } });
  return { keyId, ...counts };
}

export function auditLog(deps: CoreDeps, actor: Actor, filter: AuditFilter): AuditRow[] {
  if (filter.projectId) authorize(deps, actor, filter.projectId, 'project.admin');
  else if (!actor.operator && !actor.isGuildAdmin) throw new CoreError('forbidden', 'Only a server admin can read the whole audit log; name a project you administer.');
  return queryAudit(deps.db, { ...filter, ...(actor.operator ? {} : { guildId: actor.guildId }) });
}

/** Deployment statistics: server admins see their own server; the local operator any guild, or all. */
export function statistics(deps: CoreDeps, actor: Actor, days: number, operatorGuildId?: string): DeploymentStatistics {
  if (!actor.operator && !actor.isGuildAdmin) throw new CoreError('forbidden', 'Only a server admin can read the statistics of the whole server.');
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new CoreError('validation', 'days must be a whole number from 1 to 366');
  return getDeploymentStatistics(deps.db, actor.operator ? operatorGuildId : actor.guildId, days, deps.clock.now());
}

/** What the project runs now: the start of every session, and what an export writes out. */
export function deployedResources(deps: CoreDeps, actor: Actor, projectId: string): { project: Project; provider: Provider; specs: ResourceSpec[] } {
  const project = authorize(deps, actor, projectId, 'project.view');
  const deployed = listDeployedResources(deps.db, project.id);
  return { project, provider: deployed[0]?.provider ?? project.defaultProvider, specs: deployed.map((d) => d.spec) };
}

/** A permission check without acting, so an adapter can refuse before showing a form. */
export function assertCan(deps: CoreDeps, actor: Actor, sessionId: string, action: Action): void {
  const session = loadSession(deps, actor, sessionId);
  authorize(deps, actor, session.projectId, action, session);
}
