import type { PolicyHit, Refusal } from '../domain/errors.js';

const hitList = (rules: PolicyHit[]) => rules.map((h) => (h.resource ? `${h.ruleId} (${h.resource})` : h.ruleId)).join(', ');
import { formatUsd } from '../domain/money.js';
import { projectName } from '../domain/projects.js';
import { allows, PURPOSE_LABELS, SESSION_STATES } from '../domain/sessions.js';

/** A refusal the core gave as data, in the terminal's words. */
export function refusalText(r: Refusal): string {
  switch (r.kind) {
    case 'session_state':
      return `the session is ${r.state}; ${r.action} needs it to be ${SESSION_STATES.filter((s) => allows(s, r.action)).join(' or ')}`;
    case 'no_such_project':
      return `project '${r.name}' was not found in that server (cloud-engine project list shows every project with its server)`;
    case 'no_such_session':
      return 'no such session: it was removed, or the id is wrong (cloud-engine audit lists sessions by id)';
    case 'lost_race':
      return {
        approval: 'the deployment was already approved (by this or another process)',
        session_change: 'the session changed meanwhile (another plan, approval or cancel): run the command again',
        new_plan: 'the plan was replaced meanwhile: plan again, then apply the new plan',
        lock_change: 'the project lock changed hands meanwhile: run the command again',
      }[r.to];
    case 'not_allowed':
      return `not allowed: ${r.denial.replace(/_/g, ' ')} (the CLI acts as the operator; this refusal came from a server member's rights)`;
    case 'server_admin_only':
      return `only a server admin may ${r.to.replace(/_/g, ' ')}`;
    case 'operator_only':
      return `only the operator may ${r.to}`;
    case 'over_budget':
      return `the plan's projected ${formatUsd(r.projected)}/month exceeds the ${formatUsd(r.limit)} budget: a project admin can apply it with --budget-override`;
    case 'run_in_progress':
      return `Project ${projectName(r.projectId)} has a run in progress (session ${r.sessionId.slice(0, 8)}, process ${r.run.pid} on ${r.run.host}, lease renewed ${r.heartbeatAt ?? 'recently'}). `
        + 'Releasing the lock under a running Terraform would lose the state it is writing. Interrupt it first: add --interrupt (Terraform stops cleanly and its state is saved), or wait for it to finish';
    case 'no_apply_running':
      return r.project ? `no apply is running in project ${r.project}` : 'no apply is running for this session';
    case 'no_state':
      return r.serial === undefined ? `project ${r.project} has no saved state yet` : `project ${r.project} has no state version with serial ${r.serial} (cloud-engine state --project … lists them)`;
    case 'lock_lost':
      return `the session no longer holds the lock of project ${projectName(r.projectId)} (released or taken over${r.holderSessionId ? ` by session ${r.holderSessionId.slice(0, 8)}` : ''})`;
    case 'no_identity':
      return `project ${projectName(r.projectId)} has no ${r.provider} identity, so it would deploy with the bot's own credentials`;
    case 'no_configuration_at':
      return `commit ${r.commit.slice(0, 8)} holds no Cloud Engine configuration (cloud-engine.json)`;
    case 'no_encryption_key':
      return 'STATE_ENCRYPTION_KEY (or STATE_ENCRYPTION_KEY_FILE) is not set: there is no key to encrypt with';
    case 'file_in_the_way':
      return r.doing === 'backup'
        ? `${r.path} ${r.raced ? 'was created while the backup ran; it is left as it is —' : 'already exists;'} give the backup a new file name`
        : `${r.path} already exists; restore into an empty data directory (a new DATABASE_PATH and TERRAFORM_RUNS_DIR)`;
    case 'unrestorable':
      return `${r.file} cannot be restored: ${{
        no_migrations: 'its store has no schema_migrations table',
        newer_version: `it was written by a newer Cloud Engine (migrations ${r.detail}); restore it with that version`,
        foreign_repository: `it holds a repository for '${r.detail}', which is not one of its projects`,
      }[r.why]}`;
    case 'apply_not_startable':
      return { not_approved: 'the session is not approved for apply', elsewhere: 'this apply belongs to another process (or lost its lease); it cannot be started here', already_running: 'the deployment is already running' }[r.why];
    case 'lease_lost':
      return `this run lost its lease on project ${projectName(r.projectId)}: another process took over, and nothing more it did was recorded`;
    case 'unlock_pending':
      return `the lock of ${projectName(r.projectId)} is still held by session ${r.sessionId.slice(0, 8)}${r.leaseExpiresAt ? `, whose run did not stop; its lease expires by ${r.leaseExpiresAt}, after which the lock can be released` : '; try again in a moment'}`;
    case 'stale_plan':
      return `the plan is stale: ${{
        not_succeeded: 'it did not succeed or was replaced',
        config_changed: "the resources, the cloud identity or the project's labels changed after it",
        state_moved: "the project's state moved on since it was made",
        plan_file: 'its saved plan file is missing or was modified',
        policy_changed: "the project's policy pack changed since the plan was checked",
      }[r.staleness.why]}`;
    case 'session_expired':
      return 'the session expired (idle longer than SESSION_TTL_MINUTES)';
    case 'fixed_configuration':
      return `the session's resources were chosen by its ${PURPOSE_LABELS[r.purpose]} and cannot be edited: plan it as it is, or cancel it and start a new session`;
    case 'no_open_drift':
      return `project ${r.project} has no open drift: its last check found none, so there is nothing to adopt or revert (check again: cloud-engine drift --project ${r.project})`;
    case 'drift_stale':
      return `project ${r.project} changed since its drift was checked at ${r.checkedAt} (an apply, or its cloud changed again), so that drift is no longer what would be adopted or reverted (check again: cloud-engine drift --project ${r.project})`;
    case 'no_such_resource':
      return `the session has no resource named '${r.name}'`;
    case 'form_draft_gone':
      return 'what was typed into that form is no longer kept';
    case 'no_plan':
      return 'the session has no successful plan to approve';
    case 'project_exists':
      return `project '${r.name}' already exists in that server (cloud-engine project list)`;
    case 'shutting_down':
      return 'this process is shutting down: run the command again';
    case 'project_locked':
      if (r.holder === 'drift_check') return `project ${projectName(r.projectId)} is being checked for drift (since ${r.since}); it is free again as soon as the check ends — try again in a moment`;
      return `Project ${projectName(r.projectId)} is locked by session ${r.sessionId.slice(0, 8)} since ${r.since}${r.run ? ` (a run is in progress: process ${r.run.pid} on ${r.run.host})` : ''}`;
    case 'policy_blocked':
      return `policy blocks this plan (hard-mandatory): ${hitList(r.rules)}; change the configuration and plan again`;
    case 'policy_override_needed':
      return `the plan needs a policy override (soft-mandatory): ${hitList(r.rules)}; add --override-policy "<reason>" (recorded in the audit log)`;
    case 'nothing_to_override':
      return 'the plan has no soft-mandatory finding to override';
    case 'risk_not_accepted':
      return `the plan is ${r.tier} risk: add --accept-risk to approve it (recorded in the audit log)`;
    case 'policy_pack_invalid':
      return 'the policy file cannot be used';
    case 'lease_state':
      return {
        none: `project ${r.project} has no environment lease; a project admin sets one with: cloud-engine lease --project ${r.project} set --ttl 7d`,
        not_started: `project ${r.project}'s lease starts counting at its first apply; there is nothing to extend or destroy yet`,
        expiring: `project ${r.project}'s lease has ended and its destroy session is under way; approve or cancel that session first`,
        expired: `project ${r.project}'s environment already expired and was destroyed; its next apply starts the lease again`,
      }[r.status];
    case 'extend_over_budget':
      return `project ${r.project} runs ${formatUsd(r.deployed)}/month, over its ${formatUsd(r.limit)} budget: only an approver may extend its lease`;
    case 'not_recoverable':
      return `the session is ${r.state}: only an INTERRUPTED or FAILED apply can be recovered (re-plan, refresh-only plan, roll back)`;
    case 'recovery_superseded':
      return `a later apply (session ${r.sessionId}) ran in this project after this one, and re-planning this session's configuration now would undo it: recover from that session instead (cloud-engine recover --session ${r.sessionId}), or start a new session`;
    case 'no_rollback_target':
      return `project ${projectName(r.projectId)} has no successful deployment to roll back to; re-plan or run a refresh-only plan instead`;
  }
}
