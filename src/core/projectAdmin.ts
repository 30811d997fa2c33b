import { createHash } from 'node:crypto';
import { CANCEL_GRACE_MS } from '../terraform/runner.js';
import { approvesAny, type Actor } from '../policy/permissions.js';
import { formatUsd, fromUsd, type Money } from '../domain/money.js';
import { maskUrlCredentials } from '../git/mask.js';
import { CATALOGS } from '../resources/catalogs/index.js';
import { parseProvider } from '../resources/validate.js';
import { parseProjectLabels } from '../resources/labels.js';
import type { Labels } from '../domain/resources.js';
import { authorize } from './access.js';
import { shortId, type CoreDeps } from './deps.js';
import { governanceSettings } from './governance.js';
import { parseApprovals, type RiskTier } from '../domain/policy.js';
import { CoreError, projectExists, serverAdminOnly, unlockPending, validationError } from '../domain/errors.js';
import { runIsLive } from './leases.js';
import { expiryApprovalOf, parseExpiryApproval, parseLeaseDuration, setLeaseTx } from './expiry.js';
import type { ExpiryApproval } from '../domain/expiry.js';
import { recoverLock } from './recovery.js';
import { localRuns } from './runs.js';
import { stopQueuedRun } from './queuedRuns.js';
import type { Lock } from '../domain/runs.js';
import { DRIFT_SCHEDULES, driftScheduleOf, isDriftSchedule, type DriftSchedule } from '../domain/drift.js';
import { ROLES, type Role, DEFAULT_SETTINGS, isProjectName, isServerId, PROJECT_NAME_RULE, projectKey, SERVER_ID_RULE, type Project, type ProjectSettings, type Quota } from '../domain/projects.js';

export const MAX_BUDGET_USD = 10_000_000;

export interface CreateProjectInput {
  id: string;
  provider: string;
  budgetUsd: number;
  description?: string;
  /** An environment lease: destroyed this long after its last apply (`7d`, `12h`). */
  ttl?: string;
  /** Where the lease's reminders go (the channel it was created from). */
  channelId?: string;
}

function checkUsd(field: string, v: number, min: number): Money {
  if (!Number.isFinite(v) || v < min || v > MAX_BUDGET_USD) throw validationError([`${field} must be a number of US dollars from ${min} to ${MAX_BUDGET_USD.toLocaleString('en-US')}, got ${v}`]);
  return fromUsd(v);
}

/**
 * The project's name, or — when another project already carries that name in the cloud — the name with a
 * suffix from its key, drawn again until no project carries it (a server could have taken the first draw).
 */
function freeCloudName(p: Project, taken: Set<string>): string {
  for (let draw = 0; ; draw++) {
    const name = draw === 0 ? p.name : `${p.name.slice(0, 33)}-${createHash('sha256').update(`${p.id}#${draw}`).digest('hex').slice(0, 6)}`;
    if (!taken.has(name)) return name;
  }
}

export async function createProject(deps: CoreDeps, actor: Actor, input: CreateProjectInput): Promise<Project> {
  if (!actor.operator && !actor.isGuildAdmin) {
    await deps.audit.record(actor, { eventType: 'permission_denied', projectId: null, sessionId: null, action: 'project.create', status: 'denied', details: { project: input.id.slice(0, 40) } });
    throw serverAdminOnly('create_project');
  }
  if (!isProjectName(input.id)) throw validationError([{ field: 'project_id', message: `project_id '${input.id.slice(0, 40)}' must be ${PROJECT_NAME_RULE}` }]);
  if (!isServerId(actor.guildId)) throw validationError([{ field: 'guild', message: `guild '${actor.guildId.slice(0, 70)}' must be ${SERVER_ID_RULE}` }]);
  const ttlSeconds = input.ttl === undefined ? undefined : parseLeaseDuration('ttl', input.ttl);
  const description = (input.description ?? '').trim();
  if (description.length > 500) throw validationError(['description must be at most 500 characters']);
  const project: Project = {
    id: projectKey(actor.guildId, input.id), name: input.id, cloudName: input.id, guildId: actor.guildId, description, defaultProvider: parseProvider(input.provider),
    budgetLimitMicros: checkUsd('budget_limit', input.budgetUsd, 0), settings: { ...DEFAULT_SETTINGS },
    createdBy: actor.userId, createdAt: deps.clock.now().toISOString(),
  };
  await deps.store.transaction(async () => {
    if (await deps.store.projects.get(project.id)) throw projectExists(project.name);
    project.cloudName = freeCloudName(project, new Set((await deps.store.projects.list()).map((p) => p.cloudName)));
    await deps.store.projects.insert(project);
    await deps.store.members.upsert({ projectId: project.id, userId: actor.userId, role: 'admin', grantedBy: actor.userId, grantedAt: project.createdAt });
    await deps.audit.record(actor, {
      eventType: 'project_created', projectId: project.id, sessionId: null, action: 'create_project', status: 'success',
      details: { provider: project.defaultProvider, budget_limit_micros: project.budgetLimitMicros },
    });
    if (ttlSeconds !== undefined) await setLeaseTx(deps, actor, project, ttlSeconds, input.channelId, false);
  });
  await deps.git.init(project.id);
  return project;
}

export async function listVisibleProjects(deps: CoreDeps, actor: Actor): Promise<Project[]> {
  const inGuild = await deps.store.projects.list(actor.operator ? undefined : actor.guildId);
  const mine = actor.operator || actor.isGuildAdmin ? undefined : new Set(await deps.store.members.projectsOf(actor.userId));
  // A remote stored before credentials were refused in URLs is never shown with them.
  return inGuild.filter((p) => !mine || mine.has(p.id)).map((p) => (p.settings.git_remote_url
    ? { ...p, settings: { ...p.settings, git_remote_url: maskUrlCredentials(p.settings.git_remote_url) } } : p));
}

export async function grantRole(deps: CoreDeps, actor: Actor, name: string, userId: string, role: string): Promise<void> {
  const project = await authorize(deps, actor, name, 'project.admin');
  if (!(ROLES as readonly string[]).includes(role)) throw validationError([`role '${role.slice(0, 20)}' is not a role; use one of ${ROLES.join(', ')}`]);
  if (!/^\d{1,20}$|^[\w.-]{1,64}$/.test(userId)) throw validationError(['user must be a user id (digits) or a name of letters, digits, dots, dashes and underscores']);
  await deps.store.transaction(async () => {
    await deps.store.members.upsert({ projectId: project.id, userId, role: role as Role, grantedBy: actor.userId, grantedAt: deps.clock.now().toISOString() });
    // A vote stands for someone who may approve: a role that may not takes back the votes still waiting.
    const withdrawn = approvesAny(role as Role) ? 0 : await deps.store.approvals.withdraw(project.id, userId);
    await deps.audit.record(actor, { eventType: 'permission_granted', projectId: project.id, sessionId: null, action: 'grant_role', status: 'success', details: { target_user: userId, role, ...(withdrawn ? { votes_withdrawn: withdrawn } : {}) } });
  });
}

export async function revokeRole(deps: CoreDeps, actor: Actor, name: string, userId: string): Promise<boolean> {
  const project = await authorize(deps, actor, name, 'project.admin');
  return deps.store.transaction(async () => {
    const removed = await deps.store.members.remove(project.id, userId);
    const withdrawn = await deps.store.approvals.withdraw(project.id, userId);
    await deps.audit.record(actor, { eventType: 'permission_revoked', projectId: project.id, sessionId: null, action: 'revoke_role', status: removed ? 'success' : 'info', details: { target_user: userId, removed, ...(withdrawn ? { votes_withdrawn: withdrawn } : {}) } });
    return removed;
  });
}

export async function members(deps: CoreDeps, actor: Actor, name: string) {
  const project = await authorize(deps, actor, name, 'project.view');
  return deps.store.members.list(project.id);
}

export interface QuotaInput {
  maxResources?: number | null;
  maxMonthlyCostUsd?: number | null;
  allowedRegions?: string[] | null;
  allowedMachineTypes?: string[] | null;
}

export async function setQuota(deps: CoreDeps, actor: Actor, name: string, input: QuotaInput): Promise<Quota> {
  const project = await authorize(deps, actor, name, 'project.admin');
  const c = CATALOGS[project.defaultProvider];
  const problems: string[] = [];
  if (input.maxResources != null && (!Number.isInteger(input.maxResources) || input.maxResources < 1 || input.maxResources > 1000)) problems.push('max_resources must be a whole number from 1 to 1000');
  for (const r of input.allowedRegions ?? []) if (!(r in c.regions)) problems.push(`allowed_regions: '${r.slice(0, 30)}' is not a ${c.label} region; use ${Object.keys(c.regions).join(', ')}`);
  for (const t of input.allowedMachineTypes ?? []) if (!(t in c.machineTypes)) problems.push(`allowed_machine_types: '${t.slice(0, 30)}' is not a ${c.label} machine type`);
  if (problems.length) throw validationError(problems);
  const quota: Quota = {
    projectId: project.id, maxResources: input.maxResources ?? null,
    maxMonthlyCostMicros: input.maxMonthlyCostUsd == null ? null : checkUsd('max_monthly_cost', input.maxMonthlyCostUsd, 0),
    allowedRegions: input.allowedRegions?.length ? input.allowedRegions : null,
    allowedMachineTypes: input.allowedMachineTypes?.length ? input.allowedMachineTypes : null,
    updatedBy: actor.userId, updatedAt: deps.clock.now().toISOString(),
  };
  await deps.store.transaction(async () => {
    await deps.store.quotas.upsert(quota);
    await deps.audit.record(actor, { eventType: 'quota_updated', projectId: project.id, sessionId: null, action: 'set_quota', status: 'success', details: { ...input } });
  });
  return quota;
}

export async function setBudgetAlert(deps: CoreDeps, actor: Actor, name: string, thresholdUsd: number): Promise<{ id: number; message: string }> {
  const project = await authorize(deps, actor, name, 'project.admin');
  const micros = checkUsd('threshold', thresholdUsd, 0.01);
  const id = await deps.store.transaction(async () => {
    const alertId = await deps.store.budgetAlerts.upsert(project.id, micros, actor.userId, deps.clock.now().toISOString());
    await deps.audit.record(actor, { eventType: 'budget_alert_created', projectId: project.id, sessionId: null, action: 'set_budget_alert', status: 'success', details: { threshold_micros: micros } });
    return alertId;
  });
  const pct = project.budgetLimitMicros > 0 ? ` (${((micros / project.budgetLimitMicros) * 100).toFixed(1)}% of the ${formatUsd(project.budgetLimitMicros)} budget)` : '';
  return { id, message: `Budget alert set at ${formatUsd(micros)}/month${pct}.` };
}

export async function setBudgetLimit(deps: CoreDeps, actor: Actor, name: string, budgetUsd: number): Promise<void> {
  const project = await authorize(deps, actor, name, 'project.admin');
  const micros = checkUsd('budget_limit', budgetUsd, 0);
  await deps.store.transaction(async () => {
    await deps.store.projects.updateBudgetLimit(project.id, micros);
    await deps.audit.record(actor, { eventType: 'budget_updated', projectId: project.id, sessionId: null, action: 'set_budget', status: 'success', details: { budget_limit_micros: micros } });
  });
}

/** Merges `patch` into the settings of a project the caller authorized as its admin. */
export async function updateSettings(deps: CoreDeps, actor: Actor, project: Project, patch: Partial<ProjectSettings>): Promise<ProjectSettings> {
  // Read and written in one transaction: two admins changing different settings at once both keep theirs.
  const settings = await deps.store.transaction(async () => {
    const merged = { ...(await deps.store.projects.get(project.id))!.settings, ...patch };
    await deps.store.projects.updateSettings(project.id, merged);
    // A cleared setting (undefined, which JSON drops) is audited as null: the record says it was cleared.
    const cleared = Object.fromEntries(Object.entries(patch).filter(([, v]) => v === undefined).map(([k]) => [k, null]));
    const shown = { ...patch, ...cleared, ...(patch.git_remote_url ? { git_remote_url: '[set]' } : {}) };
    await deps.audit.record(actor, { eventType: 'settings_updated', projectId: project.id, sessionId: null, action: 'update_settings', status: 'success', details: shown });
    return merged;
  });
  return settings;
}

/** The review rules a project admin sets; remotes and identities have their own use cases, with their own checks. */
export interface ReviewSettings {
  allowSelfApproval?: boolean;
  autoTag?: boolean;
  /** Production projects get the rules only production needs (database backups, HA). */
  production?: boolean;
  /** Distinct approvers per risk tier, as `low/medium/high` (`1/1/2`). */
  approvals?: string;
  /** A plan adding more than this many dollars a month is high risk. */
  costThresholdUsd?: number;
  policyChecks?: boolean;
  /** Labels every resource carries, as `key=value, key=value`; blank or `none` clears them. */
  labels?: string;
  /** How often drift is checked on a schedule: off, hourly, daily or weekly. */
  drift?: string;
  /** Who approves an environment lease's destroy plan: `auto` (the system, when policy allows it) or `approver`. */
  expiryApproval?: string;
}

export interface ReviewSettingsView {
  allowSelfApproval: boolean;
  autoTag: boolean;
  production: boolean;
  approvals: Record<RiskTier, number>;
  costThreshold: Money;
  policyChecks: boolean;
  /** Sorted by key; `{}` when the project has none. */
  labels: Labels;
  /** The drift schedule in force; `driftDefault` when the project never set one (daily on a cloud, off on the sandbox). */
  drift: DriftSchedule;
  driftDefault: boolean;
  expiryApproval: ExpiryApproval;
}

const reviewOf = (p: Project): ReviewSettingsView => ({
  allowSelfApproval: p.settings.allow_self_approval, autoTag: p.settings.auto_tag, ...governanceSettings(p), labels: p.settings.labels ?? {},
  drift: driftScheduleOf(p), driftDefault: p.settings.drift_schedule === undefined, expiryApproval: expiryApprovalOf(p),
});

/** The review rules, for anyone who may view the project. */
export async function reviewSettings(deps: CoreDeps, actor: Actor, name: string): Promise<ReviewSettingsView> {
  return reviewOf(await authorize(deps, actor, name, 'project.view'));
}

export async function setReviewSettings(deps: CoreDeps, actor: Actor, name: string, s: ReviewSettings): Promise<ReviewSettingsView> {
  const project = await authorize(deps, actor, name, 'project.admin');
  let approvals: Record<RiskTier, number> | undefined;
  if (s.approvals !== undefined) {
    const parsed = parseApprovals(s.approvals);
    if (!parsed.ok) throw validationError([{ field: 'approvals', message: parsed.why }]);
    approvals = parsed.value;
  }
  if (s.drift !== undefined && !isDriftSchedule(s.drift)) throw validationError([{ field: 'drift', message: `drift must be one of ${DRIFT_SCHEDULES.join(', ')}, got '${s.drift.slice(0, 40)}'` }]);
  const settings = await updateSettings(deps, actor, project, {
    ...(s.drift !== undefined ? { drift_schedule: s.drift as DriftSchedule } : {}),
    ...(s.allowSelfApproval !== undefined ? { allow_self_approval: s.allowSelfApproval } : {}),
    ...(s.autoTag !== undefined ? { auto_tag: s.autoTag } : {}),
    ...(s.production !== undefined ? { production: s.production } : {}),
    ...(approvals ? { approvals } : {}),
    ...(s.costThresholdUsd !== undefined ? { cost_threshold_micros: checkUsd('cost_threshold', s.costThresholdUsd, 0) } : {}),
    ...(s.policyChecks !== undefined ? { policy_checks: s.policyChecks } : {}),
    ...(s.labels !== undefined ? { labels: parseProjectLabels(s.labels) } : {}),
    ...(s.expiryApproval !== undefined ? { expiry_approval: parseExpiryApproval(s.expiryApproval) } : {}),
  });
  return reviewOf({ ...project, settings });
}

export interface UnlockResult {
  released: boolean;
  sessionId?: string;
  /** The run that held the lock was interrupted first (its Terraform stopped and its state was saved). */
  interrupted?: boolean;
}

/**
 * Force-releases a project's lock. A lock with no live run is released at once (a dead run is settled
 * first, saving what its Terraform wrote). A live run is never cut off from under its Terraform: it is
 * refused, or with `interrupt` asked to stop through its lease, and the lock is released once it has.
 */
export async function forceUnlock(deps: CoreDeps, actor: Actor, name: string, reason: string, opts: { interrupt?: boolean } = {}): Promise<UnlockResult> {
  const project = await authorize(deps, actor, name, 'project.admin');
  const why = reason.trim();
  if (why.length < 3 || why.length > 500) throw validationError(['reason must say why, in 3 to 500 characters']);
  const lock = await deps.store.locks.get(project.id);
  // What the holder was doing when its lock was taken from it: its lobby and the audit say what was cut short.
  const heldIn = lock ? (await deps.store.sessions.get(lock.sessionId))?.state ?? null : null;
  const audit = (status: 'success' | 'info' | 'denied', details: Record<string, unknown>) => deps.audit.record(actor, {
    eventType: status === 'denied' ? 'lock_force_release_refused' : 'lock_force_released', projectId: project.id, sessionId: lock?.sessionId ?? null,
    action: 'force_unlock', status, details: { reason: why, holder: lock?.userId ?? null, acquired_at: lock?.acquiredAt ?? null, session_state: heldIn, ...details },
  });
  if (!lock) {
    await audit('info', {});
    return { released: false };
  }
  if (runIsLive(deps, lock)) {
    if (!opts.interrupt) {
      await audit('denied', { run_owner: lock.owner, refused: 'run_in_progress' });
      throw new CoreError('locked', `Project ${project.name} has a run in progress (session ${shortId(lock.sessionId)}, process ${lock.owner!.pid} on ${lock.owner!.host}, lease renewed ${lock.heartbeatAt ?? 'recently'}). Releasing the lock under a running Terraform would lose the state it is writing. Interrupt it first (unlock with interrupt: Terraform stops cleanly and its state is saved), or wait for it to finish.`, [], undefined,
        { kind: 'run_in_progress', projectId: project.id, sessionId: lock.sessionId, run: { pid: lock.owner!.pid, host: lock.owner!.host }, heartbeatAt: lock.heartbeatAt });
    }
    await interruptRun(deps, actor, lock);
  } else {
    await recoverLock(deps, lock, { interrupted: [], planFailed: [] });
  }
  const released = await deps.store.transaction(() => deps.store.locks.releaseIdle(project.id, lock.sessionId));
  const now = await deps.store.locks.get(project.id);
  if (now?.sessionId === lock.sessionId) throw unlockPending(project.id, lock.sessionId, null);
  await audit('success', { interrupted: Boolean(opts.interrupt && lock.owner), released_by: released ? 'unlock' : 'run_end' });
  return { released: true, sessionId: lock.sessionId, ...(lock.owner ? { interrupted: true } : {}) };
}

/** Asks the live run (in whichever process) to stop through its lease, then waits until it has let the lock go or parked it. */
async function interruptRun(deps: CoreDeps, actor: Actor, lock: Lock): Promise<void> {
  // Still on the queue: nothing runs to answer through the lease, so it is ended here and now.
  if (await stopQueuedRun(deps, actor.userName, lock)) {
    await deps.audit.record(actor, { eventType: 'run_interrupt_requested', projectId: lock.projectId, sessionId: lock.sessionId, action: 'interrupt', status: 'info', details: { fence: lock.fence, queued: true } });
    return;
  }
  await deps.store.transaction(async () => {
    await deps.store.locks.requestCancel(lock.projectId, lock.fence, actor.userId);
    await deps.audit.record(actor, { eventType: 'run_interrupt_requested', projectId: lock.projectId, sessionId: lock.sessionId, action: 'interrupt', status: 'info', details: { fence: lock.fence, owner: lock.owner } });
  });
  localRuns.get(lock.sessionId)?.cancel();
  const deadline = Date.now() + 2 * CANCEL_GRACE_MS + deps.leaseTtlMs;
  for (;;) {
    const current = await deps.store.locks.get(lock.projectId);
    if (current?.sessionId !== lock.sessionId || !current.owner) return;
    // An owner that dies instead of answering is settled here once it is known dead or its lease expires.
    if (!runIsLive(deps, current)) await recoverLock(deps, current, { interrupted: [], planFailed: [] });
    else if (Date.now() > deadline) {
      throw unlockPending(lock.projectId, lock.sessionId, current.expiresAt);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const allLocks = (deps: CoreDeps) => deps.store.locks.list();
