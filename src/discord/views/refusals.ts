import type { Denial, PolicyHit, Refusal } from '../../domain/errors.js';
import type { Staleness } from '../../domain/plans.js';
import { PROVIDER_LABELS } from '../../domain/resources.js';
import { projectName } from '../../domain/projects.js';
import { allows, PURPOSE_LABELS, SESSION_STATES, type SessionAction } from '../../domain/sessions.js';
import { formatUsd } from '../../domain/money.js';
import { relativeTime, STATE_BADGE } from './format.js';

const DONE: Record<SessionAction, string> = { edit: 'changed', plan: 'planned', approve: 'approved', cancel: 'cancelled' };

const DENIED: Record<Denial, string> = {
  other_server: 'This project belongs to another server.',
  not_member: 'You are not a member of this project. Ask a project admin for the viewer role (`/cloud-grant`).',
  not_project_admin: 'Only a project admin or a server admin can do this.',
  not_deployer: 'You need the deployer role on this project to start a deployment.',
  not_session_owner: 'Only the session owner or a project admin can change this session.',
  not_approver: 'You need the approver role on this project to approve a deployment.',
  self_approval_off: 'This project does not allow approving your own plan; ask another approver.',
  author_not_counted: 'This plan is medium or high risk, so its author\'s approval does not count; ask another approver.',
};

/** Why a plan went stale, as the lobby says it. */
export function staleText(s: Staleness): string {
  switch (s.why) {
    case 'not_succeeded': return 'the plan did not succeed or was replaced';
    case 'config_changed': return "the resources, the cloud identity or the project's labels changed after the plan";
    case 'state_moved': return `the project's state moved on since the plan (serial ${s.plannedSerial ?? 'none'} → ${s.serial ?? 'none'})`;
    case 'plan_file': return 'the saved plan file is missing or was modified';
    case 'policy_changed': return "the project's policy pack changed since the plan was checked";
  }
}

const hitList = (rules: PolicyHit[]) => rules.slice(0, 10).map((h) => `\`${h.ruleId}\`${h.resource ? ` on \`${h.resource}\`` : ''}`).join(', ') + (rules.length > 10 ? ` and ${rules.length - 10} more` : '');

/** A refusal the core gave as data, in the lobby's words. */
export function refusalText(r: Refusal): string {
  switch (r.kind) {
    case 'session_state': {
      const allowed = SESSION_STATES.filter((s) => allows(s, r.action)).map((s) => STATE_BADGE[s]);
      return `This session is ${STATE_BADGE[r.state]}, so it can't be ${DONE[r.action]} — only a session that is ${allowed.join(' or ')} can.`;
    }
    case 'no_such_project':
      return `Project '${r.name}' was not found in this server.`;
    case 'no_such_session':
      return 'This deployment session no longer exists.';
    case 'lost_race':
      return {
        approval: 'This deployment was already approved.',
        session_change: 'The session changed meanwhile (another plan, approval or cancel); its lobby shows where it stands now.',
        new_plan: 'This plan was replaced meanwhile; click **Refresh** and approve the new one.',
        lock_change: 'The project lock changed hands meanwhile; try again.',
      }[r.to];
    case 'not_allowed':
      return DENIED[r.denial];
    case 'server_admin_only':
      return {
        create_project: 'Only a server admin (Administrator or Manage Server) can create projects.',
        read_server_audit: 'Only a server admin can read the whole audit log; name a project you administer.',
        read_server_stats: 'Only a server admin can read the statistics of the whole server.',
      }[r.to];
    case 'operator_only':
      return {
        backup: 'Backups are taken by the operator with `cloud-engine backup` on the machine that holds the store.',
        rekey: 'Only the operator can re-encrypt the store (`cloud-engine state rekey`).',
        status: 'Workers and the run queue are the operator\'s to watch (`cloud-engine status`).',
      }[r.to];
    case 'over_budget':
      return `The plan's projected ${formatUsd(r.projected)}/month exceeds the ${formatUsd(r.limit)} budget.`;
    case 'run_in_progress':
      return `Project ${projectName(r.projectId)} has a run in progress (session ${r.sessionId.slice(0, 8)}, process ${r.run.pid} on ${r.run.host}, lease renewed ${r.heartbeatAt ? relativeTime(r.heartbeatAt) : 'recently'}). `
        + 'Releasing the lock under a running Terraform would lose the state it is writing: run `/cloud-unlock` again with `interrupt: True` (Terraform stops cleanly and its state is saved), or wait for it to finish.';
    case 'no_apply_running':
      return r.project ? `No apply is running in project ${r.project}.` : 'No apply is running for this session.';
    case 'no_state':
      return r.serial === undefined ? `Project ${r.project} has no saved state yet.` : `Project ${r.project} has no state version with serial ${r.serial}.`;
    case 'session_expired':
      return 'This session expired.';
    case 'fixed_configuration':
      return `This session's resources were chosen by its ${PURPOSE_LABELS[r.purpose]} and cannot be edited: plan it as it is, or cancel it and start \`/cloud-deploy\`.`;
    case 'no_open_drift':
      return `**${r.project}** has no open drift: its last check found none, so there is nothing to adopt or revert. \`/cloud-drift\` checks again.`;
    case 'drift_stale':
      return `**${r.project}** changed since its drift was checked ${relativeTime(r.checkedAt)} (an apply, or its cloud changed again), so the drift shown is no longer what it would adopt or revert. \`/cloud-drift\` checks again.`;
    case 'lock_lost':
      return `This session no longer holds the lock of project ${projectName(r.projectId)} (it was released or taken over${r.holderSessionId ? ` by session ${r.holderSessionId.slice(0, 8)}` : ''}).`;
    case 'no_identity':
      return `Project ${projectName(r.projectId)} has no ${PROVIDER_LABELS[r.provider]} identity, so it would deploy with the bot's own credentials.`;
    case 'no_configuration_at':
      return `Commit \`${r.commit.slice(0, 8)}\` holds no Cloud Engine configuration; pick a deployment commit.`;
    case 'no_encryption_key':
      return 'The bot has no state encryption key configured, so there is nothing to re-encrypt with.';
    case 'file_in_the_way':
    case 'unrestorable':
      return 'That is for the operator, on the machine that holds the store.';
    case 'apply_not_startable':
      return { not_approved: 'This session is not approved for apply.', elsewhere: 'This apply belongs to another Cloud Engine process; it runs there.', already_running: 'This deployment is already running.' }[r.why];
    case 'lease_lost':
      return `This run lost its lease on project ${projectName(r.projectId)}: another Cloud Engine process took over, and nothing more it did was recorded.`;
    case 'unlock_pending':
      return `The lock of ${projectName(r.projectId)} is still held by session ${r.sessionId.slice(0, 8)}${r.leaseExpiresAt ? `, whose run did not stop; it can be released ${relativeTime(r.leaseExpiresAt)}` : '; try again in a moment'}.`;
    case 'stale_plan':
      return `This plan is stale: ${staleText(r.staleness)}.`;
    case 'no_such_resource':
      return `No resource named '${r.name}' in this session.`;
    case 'form_draft_gone':
      return 'What you typed into that form is no longer kept (it is kept for an hour, and only for you). Open the form again from the lobby.';
    case 'no_plan':
      return 'There is no plan to approve yet.';
    case 'project_exists':
      return `A project named '${r.name}' already exists in this server; pick another name, or use that one.`;
    case 'shutting_down':
      return 'Cloud Engine is restarting; try again in a minute.';
    case 'project_locked':
      if (r.holder === 'drift_check') return `Project ${projectName(r.projectId)} is being checked for drift (since ${relativeTime(r.since)}); it is free again as soon as the check ends — try again in a moment.`;
      return `Project ${projectName(r.projectId)} is locked by session ${r.sessionId.slice(0, 8)} since ${relativeTime(r.since)}${r.run ? `, and its Terraform is running right now (process ${r.run.pid} on ${r.run.host})` : ''}.`;
    case 'policy_blocked':
      return `Policy blocks this plan (hard-mandatory): ${hitList(r.rules)}. Change the configuration and plan again.`;
    case 'policy_override_needed':
      return `This plan needs a policy override first (soft-mandatory): ${hitList(r.rules)}. A project admin can override it with a reason (**Override policy**).`;
    case 'nothing_to_override':
      return 'This plan has no soft-mandatory finding to override.';
    case 'risk_not_accepted':
      return `This plan is ${r.tier} risk; accept the risk explicitly to approve it.`;
    case 'policy_pack_invalid':
      return 'That policy file cannot be used:';
    case 'lease_state':
      return {
        none: `**${r.project}** has no environment lease. A project admin sets one with \`/cloud-lease\` (action: set, ttl: 7d).`,
        not_started: `**${r.project}**'s lease starts counting at its first apply: there is nothing to extend or destroy yet.`,
        expiring: `**${r.project}**'s lease has ended and its destroy session is under way: approve or cancel that session first.`,
        expired: `**${r.project}**'s environment already expired and was destroyed; its next apply starts the lease again.`,
      }[r.status];
    case 'extend_over_budget':
      return `**${r.project}** runs ${formatUsd(r.deployed)}/month, over its ${formatUsd(r.limit)} budget: only an approver may extend its lease.`;
    case 'not_recoverable':
      return `This session is ${STATE_BADGE[r.state]}: only an apply that was interrupted or failed can be recovered from.`;
    case 'recovery_superseded':
      return `A later apply (session ${r.sessionId.slice(0, 8)}) ran in this project after this one: re-planning this session's configuration now would undo it. Recover from that apply's card, or start \`/cloud-deploy\`.`;
    case 'no_rollback_target':
      return `Project ${projectName(r.projectId)} has no successful deployment to roll back to. Re-plan, or run a refresh-only plan to see what exists.`;
  }
}
