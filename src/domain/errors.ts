import type { ProjectKey } from './projects.js';
import { formatUsd, type Money } from './money.js';
import type { Staleness } from './plans.js';
import type { Provider } from './resources.js';
import type { RiskTier } from './policy.js';
import type { SessionAction, SessionPurpose, SessionState } from './sessions.js';

/**
 * Expected failures: a stable code plus a message a user can act on. Bugs stay plain Errors,
 * get logged, and reach users only as a generic apology.
 */
export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'locked'
  | 'invalid_state'
  | 'stale_plan'
  | 'quota'
  | 'budget'
  | 'terraform'
  | 'git'
  | 'storage'
  /** A service we depend on (a cloud's price API) could not be reached or answered garbage. */
  | 'unavailable'
  /** Policy blocks the plan (a hard-mandatory finding, an unoverridden soft-mandatory one, an unaccepted risk). */
  | 'policy';

/**
 * What the user can do about an error, as data: each adapter says it in its own words (a slash command
 * or a button in Discord, a command line in the CLI), so no core message names either.
 */
export type NextStep =
  | { kind: 'new_session'; projectId: ProjectKey }
  | { kind: 'replan'; projectId: ProjectKey; sessionId: string }
  | { kind: 'wait_or_unlock'; projectId: ProjectKey; holderUserId: string }
  | { kind: 'pick_deployment'; projectId: ProjectKey }
  | { kind: 'set_identity'; projectId: ProjectKey };

/**
 * Why a refusal happened, as data, so each adapter words it itself. A refusal without one still carries
 * the core's sentence (adapter-neutral), which is also what a refusal with one logs.
 */
export type Refusal =
  | { kind: 'session_state'; state: SessionState; action: SessionAction }
  /** Another session holds the project's lock; `run` is the process running its Terraform, when one is live. */
  | { kind: 'project_locked'; projectId: ProjectKey; sessionId: string; since: string; run: { pid: number; host: string } | null; holder: 'session' | 'drift_check' }
  /** No project of that name in the actor's server (another server's is never revealed). */
  | { kind: 'no_such_project'; name: string }
  /** The session is gone, or is another server's: the same answer, so neither is revealed. */
  | { kind: 'no_such_session' }
  /** Someone else got there first: approved it, changed the session, replaced the plan, or moved the lock. */
  | { kind: 'lost_race'; to: 'approval' | 'session_change' | 'new_plan' | 'lock_change' }
  /** This process is stopping and takes no new work. */
  | { kind: 'shutting_down' }
  /** The actor's role (or server) does not allow the action. */
  | { kind: 'not_allowed'; denial: Denial }
  /** Only a server admin may do this (no project role is enough). */
  | { kind: 'server_admin_only'; to: 'create_project' | 'read_server_audit' | 'read_server_stats' }
  /** Only the operator, on the machine that holds the store, may do this. */
  | { kind: 'operator_only'; to: 'backup' | 'rekey' | 'status' }
  /** Force-unlock refused: a live run holds the lock; it must be interrupted first (or allowed to finish). */
  | { kind: 'run_in_progress'; projectId: ProjectKey; sessionId: string; run: { pid: number; host: string }; heartbeatAt: string | null }
  | { kind: 'no_apply_running'; project?: string }
  /** No saved state (at that serial) for the project. */
  | { kind: 'no_state'; project: string; serial?: number }
  /** Approval found the session no longer holding its project's lock (released, or taken by `holderSessionId`). */
  | { kind: 'lock_lost'; projectId: ProjectKey; holderSessionId: string | null }
  /** A cloud project with no identity of its own, where the operator does not allow the bot's credentials. */
  | { kind: 'no_identity'; projectId: ProjectKey; provider: Provider }
  /** A rollback target commit with no Cloud Engine configuration in it. */
  | { kind: 'no_configuration_at'; commit: string }
  /** A file in the way of a backup or a restore: `raced` when it appeared while the backup ran. */
  | { kind: 'file_in_the_way'; path: string; doing: 'backup' | 'restore'; raced: boolean }
  /** A backup file that cannot be restored here: no migration record, a newer version's, or a repository for no project of it. */
  | { kind: 'unrestorable'; file: string; why: 'no_migrations' | 'newer_version' | 'foreign_repository'; detail: string }
  /** An apply start refused: not approved, run by another process (or its lease lost), or already running here. */
  | { kind: 'apply_not_startable'; why: 'not_approved' | 'elsewhere' | 'already_running' }
  /** This run lost its lease: another process took the project over, and nothing more this run did was recorded. */
  | { kind: 'lease_lost'; projectId: ProjectKey }
  /** Force-unlock could not finish: the lock is still held (a run ending now), or the run would not stop before its lease expires. */
  | { kind: 'unlock_pending'; projectId: ProjectKey; sessionId: string; leaseExpiresAt: string | null }
  /** Re-encryption asked with no key configured. */
  | { kind: 'no_encryption_key' }
  /** The reviewed plan no longer matches what approval would apply. */
  | { kind: 'stale_plan'; staleness: Staleness }
  /** The session sat idle past its time; its project gets a new one. */
  | { kind: 'session_expired' }
  /** The session holds a configuration an action chose (a drift adopted, a refresh): it plans as it is or is cancelled. */
  | { kind: 'fixed_configuration'; purpose: SessionPurpose }
  /** Adopt or Revert asked of a project whose last check found no drift (it was resolved, or never checked). */
  | { kind: 'no_open_drift'; project: string }
  /** Adopt or Revert asked of a drift the project has moved past since its last check (an apply, or its cloud changed again). */
  | { kind: 'drift_stale'; project: string; checkedAt: string }
  | { kind: 'no_such_resource'; name: string }
  /** What was typed into a refused form is no longer kept (expired, or never the asker's). */
  | { kind: 'form_draft_gone' }
  /** Approval asked of a session with no successful plan. */
  | { kind: 'no_plan' }
  | { kind: 'project_exists'; name: string }
  /** The plan would cost more a month than the project's budget; a project admin may override. */
  | { kind: 'over_budget'; projected: Money; limit: Money }
  /** Hard-mandatory findings (or rule errors) block the plan: only a changed configuration passes. */
  | { kind: 'policy_blocked'; rules: PolicyHit[] }
  /** Soft-mandatory findings block the plan until a project admin overrides them with a reason. */
  | { kind: 'policy_override_needed'; rules: PolicyHit[] }
  /** An override asked of a plan with no soft-mandatory finding. */
  | { kind: 'nothing_to_override' }
  /** A high-risk plan approved by the operator without accepting the risk explicitly. */
  | { kind: 'risk_not_accepted'; tier: RiskTier }
  /** A policy pack (a file of rules) that cannot be used; each problem names its file, rule and field. */
  | { kind: 'policy_pack_invalid' }
  /** The project's environment lease cannot do that now: it has none, its first apply has not started it, its destroy is under way, or it expired. */
  | { kind: 'lease_state'; project: string; status: 'none' | 'not_started' | 'expiring' | 'expired' }
  /** The project runs over its budget: only an approver may extend its lease. */
  | { kind: 'extend_over_budget'; project: string; deployed: Money; limit: Money }
  /** A recovery (re-plan, refresh-only plan, roll back) asked of a session whose apply did not stop part-way. */
  | { kind: 'not_recoverable'; state: SessionState }
  /** A recovery asked of an apply the project has moved past: a later apply (not a refresh-only one) started after it. */
  | { kind: 'recovery_superseded'; sessionId: string }
  /** Roll back asked of a project with no successful, committed deployment to return to. */
  | { kind: 'no_rollback_target'; projectId: ProjectKey };

/** A rule that fired, as a refusal names it: its id and the resource (null for a plan-wide rule). */
export interface PolicyHit { ruleId: string; resource: string | null }

/** Why the rights check (policy/permissions.ts) refused an action. */
export type Denial = 'other_server' | 'not_member' | 'not_project_admin' | 'not_deployer' | 'not_session_owner' | 'not_approver' | 'self_approval_off'
  /** A medium- or high-risk plan: its author's approval never counts. */
  | 'author_not_counted';

/** One thing wrong with an input, and the field it is about when there is one (a spreadsheet column, a form input). */
export interface Problem {
  field?: string;
  message: string;
}

export class CoreError extends Error {
  /** The validation problems behind this error, each with its field (empty for other errors). */
  problems: Problem[] = [];

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: string[] = [],
    readonly next?: NextStep,
    readonly refusal?: Refusal,
  ) {
    super(message);
    this.name = 'CoreError';
  }

  /** The text shown to a user: the message and, when there are several problems, each on its own line. */
  get userMessage(): string {
    return this.details.length ? `${this.message}\n${this.details.map((d) => `• ${d}`).join('\n')}` : this.message;
  }
}

export const isCoreError = (e: unknown): e is CoreError => e instanceof CoreError;

export const noSuchProject = (name: string) =>
  new CoreError('not_found', `Project '${name.slice(0, 40)}' was not found in this server.`, [], undefined, { kind: 'no_such_project', name: name.slice(0, 40) });
type Race = Extract<Refusal, { kind: 'lost_race' }>['to'];
const RACE_SENTENCE: Record<Race, string> = {
  approval: 'This deployment was already approved.', session_change: 'The session changed meanwhile; try again.',
  new_plan: 'This plan was replaced meanwhile.', lock_change: 'The project lock changed hands meanwhile; try again.',
};
export const lostRace = (to: Race) => new CoreError('conflict', RACE_SENTENCE[to], [], undefined, { kind: 'lost_race', to });
export const serverAdminOnly = (to: Extract<Refusal, { kind: 'server_admin_only' }>['to']) =>
  new CoreError('forbidden', `Only a server admin may ${to.replace(/_/g, ' ')}.`, [], undefined, { kind: 'server_admin_only', to });
export const operatorOnly = (to: Extract<Refusal, { kind: 'operator_only' }>['to']) =>
  new CoreError('forbidden', `Only the operator may ${to}.`, [], undefined, { kind: 'operator_only', to });
export const budgetExceeded = (projected: Money, limit: Money) =>
  new CoreError('budget', `The plan's projected ${formatUsd(projected)}/month exceeds the ${formatUsd(limit)} budget.`, [], undefined, { kind: 'over_budget', projected, limit });
export const noApplyRunning = (project?: string) =>
  new CoreError('invalid_state', project ? `No apply is running in project ${project}.` : 'No apply is running for this session.', [], undefined, { kind: 'no_apply_running', ...(project ? { project } : {}) });
export const noState = (project: string, serial?: number) =>
  new CoreError('not_found', serial === undefined ? `Project ${project} has no saved state yet.` : `Project ${project} has no state version with serial ${serial}.`, [], undefined,
    { kind: 'no_state', project, ...(serial === undefined ? {} : { serial }) });
export const lockLost = (projectId: ProjectKey, holderSessionId: string | null, next: NextStep) =>
  new CoreError('locked', 'This session no longer holds its project\'s lock.', [], next, { kind: 'lock_lost', projectId, holderSessionId });
export const noIdentity = (projectId: ProjectKey, provider: Provider) =>
  new CoreError('forbidden', `The project has no ${provider} identity, so it would deploy with the bot's own credentials.`, [], { kind: 'set_identity', projectId }, { kind: 'no_identity', projectId, provider });
export const noConfigurationAt = (commit: string, next: NextStep) =>
  new CoreError('validation', `Commit ${commit.slice(0, 8)} holds no Cloud Engine configuration.`, [], next, { kind: 'no_configuration_at', commit: commit.slice(0, 40) });
export const noEncryptionKey = () => new CoreError('validation', 'There is no key to encrypt with.', [], undefined, { kind: 'no_encryption_key' });
export const fileInTheWay = (path: string, doing: 'backup' | 'restore', raced = false) =>
  new CoreError('conflict', `${path} is in the way of the ${doing}.`, [], undefined, { kind: 'file_in_the_way', path, doing, raced });
export const unrestorable = (file: string, why: Extract<Refusal, { kind: 'unrestorable' }>['why'], detail: string) =>
  new CoreError('validation', `${file} cannot be restored (${why}: ${detail}).`, [], undefined, { kind: 'unrestorable', file, why, detail });
export const applyNotStartable = (why: Extract<Refusal, { kind: 'apply_not_startable' }>['why']) =>
  new CoreError(why === 'not_approved' ? 'invalid_state' : 'conflict', `The apply cannot start here (${why}).`, [], undefined, { kind: 'apply_not_startable', why });
export const unlockPending = (projectId: ProjectKey, sessionId: string, leaseExpiresAt: string | null) =>
  new CoreError('conflict', `The lock is still held by session ${sessionId.slice(0, 8)}.`, [], undefined, { kind: 'unlock_pending', projectId, sessionId, leaseExpiresAt });
export const stalePlan = (staleness: Staleness, next: NextStep) => new CoreError('stale_plan', `This plan is stale (${staleness.why}).`, [], next, { kind: 'stale_plan', staleness });
export const sessionExpired = (next: NextStep) => new CoreError('invalid_state', 'This session expired.', [], next, { kind: 'session_expired' });
export const fixedConfiguration = (purpose: SessionPurpose, next: NextStep) =>
  new CoreError('invalid_state', `This ${purpose} session's configuration cannot be edited.`, [], next, { kind: 'fixed_configuration', purpose });
export const noOpenDrift = (project: string) =>
  new CoreError('invalid_state', `Project ${project} has no open drift: its last check found none.`, [], undefined, { kind: 'no_open_drift', project });
export const driftStale = (project: string, checkedAt: string) =>
  new CoreError('invalid_state', `Project ${project} changed since its drift was checked at ${checkedAt}: check again before adopting or reverting.`, [], undefined, { kind: 'drift_stale', project, checkedAt });
export const noSuchResource = (name: string) =>
  new CoreError('not_found', `No resource named '${name.slice(0, 64)}' in this session.`, [], undefined, { kind: 'no_such_resource', name: name.slice(0, 64) });
export const formDraftGone = () => new CoreError('not_found', 'What was typed into that form is no longer kept.', [], undefined, { kind: 'form_draft_gone' });
export const noPlan = (next: NextStep) => new CoreError('invalid_state', 'There is no plan to approve.', [], next, { kind: 'no_plan' });
export const projectExists = (name: string) =>
  new CoreError('conflict', `A project named '${name}' already exists in this server.`, [], undefined, { kind: 'project_exists', name });
export const notAllowed = (denial: Denial) => new CoreError('forbidden', `Not allowed (${denial}).`, [], undefined, { kind: 'not_allowed', denial });
export const shuttingDown = () => new CoreError('invalid_state', 'Cloud Engine is shutting down; try again in a minute.', [], undefined, { kind: 'shutting_down' });
const hits = (rules: PolicyHit[]) => rules.map((r) => (r.resource ? `${r.ruleId} (${r.resource})` : r.ruleId)).join(', ');
export const policyBlocked = (rules: PolicyHit[], next: NextStep) =>
  new CoreError('policy', `Policy blocks this plan: ${hits(rules)}.`, [], next, { kind: 'policy_blocked', rules });
export const policyOverrideNeeded = (rules: PolicyHit[]) =>
  new CoreError('policy', `This plan needs a project admin's policy override: ${hits(rules)}.`, [], undefined, { kind: 'policy_override_needed', rules });
export const nothingToOverride = () => new CoreError('invalid_state', 'The plan has no soft-mandatory finding to override.', [], undefined, { kind: 'nothing_to_override' });
export const riskNotAccepted = (tier: RiskTier) => new CoreError('policy', `This plan is ${tier} risk: accept the risk explicitly to approve it.`, [], undefined, { kind: 'risk_not_accepted', tier });
export const noSuchSession = () => new CoreError('not_found', 'This deployment session no longer exists.', [], undefined, { kind: 'no_such_session' });

export const recoverySuperseded = (sessionId: string) =>
  new CoreError('invalid_state', `A later apply (session ${sessionId}) ran after this one: recover from that one, or start a new session.`, [], undefined, { kind: 'recovery_superseded', sessionId });
export const notRecoverable = (state: SessionState) =>
  new CoreError('invalid_state', `A ${state} session has no apply to recover from; only an INTERRUPTED or FAILED one has.`, [], undefined, { kind: 'not_recoverable', state });
export const noRollbackTarget = (projectId: ProjectKey) =>
  new CoreError('invalid_state', 'The project has no successful deployment to roll back to.', [], { kind: 'pick_deployment', projectId }, { kind: 'no_rollback_target', projectId });

/** A session asked for something its state does not allow (see ACTIONS in sessions.ts). */
export const sessionStateError = (state: SessionState, action: SessionAction, next?: NextStep) =>
  new CoreError('invalid_state', `A ${state} session does not allow ${action}.`, [], next, { kind: 'session_state', state, action });

export function validationError(problems: Array<string | Problem>): CoreError {
  const listed = problems.map((p) => (typeof p === 'string' ? { message: p } : p));
  const messages = listed.map((p) => p.message);
  const e = new CoreError('validation', messages.length === 1 ? messages[0]! : `${messages.length} problems found`, messages.length === 1 ? [] : messages);
  e.problems = listed;
  return e;
}

const ENVIRONMENT_ERRNOS: Record<string, string> = {
  ENOSPC: 'the disk is full', EDQUOT: 'the disk quota is exhausted', EACCES: 'permission denied', EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only', EMFILE: 'too many open files', ENOENT: 'a file or directory is missing', EISDIR: 'a directory is where a file should be', ENOTDIR: 'a file is where a directory should be',
};

/** What a file-system failure the environment causes means, in words; undefined for anything else. */
export function environmentReason(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code ? ENVIRONMENT_ERRNOS[code] : undefined;
}

/** A file-system failure the environment causes, as a storage error naming the path; undefined for anything else (a bug). */
export function environmentError(e: unknown, doing: string): CoreError | undefined {
  const err = e as NodeJS.ErrnoException | null;
  const what = environmentReason(e);
  return what ? new CoreError('storage', `Could not ${doing}: ${what}${err?.path ? ` (${err.path})` : ''}.`) : undefined;
}
export const leaseState = (project: string, status: Extract<Refusal, { kind: 'lease_state' }>['status']) =>
  new CoreError(status === 'none' ? 'not_found' : 'invalid_state', `Project ${project}'s environment lease cannot do that now (${status}).`, [], undefined, { kind: 'lease_state', project, status });
export const extendOverBudget = (project: string, deployed: Money, limit: Money) =>
  new CoreError('forbidden', `Project ${project} runs ${formatUsd(deployed)}/month, over its ${formatUsd(limit)} budget: only an approver may extend its lease.`, [], undefined,
    { kind: 'extend_over_budget', project, deployed, limit });
