import type { APIApplicationCommandOptionChoice } from 'discord.js';
import { AUDIT_EVENT_TYPES, type AuditEventType, type AuditRow } from '../../domain/audit.js';
import { formatUsd, micros } from '../../domain/money.js';
import { projectName } from '../../domain/projects.js';
import { LIMITS, truncate } from './limits.js';
import { idleFor } from './notices.js';

/** What each event means, in a few words: offered as the event types /cloud-audit filters by. */
export const AUDIT_EVENT_LABELS: Record<AuditEventType, string> = {
  project_created: 'a project was created', permission_granted: 'a member was given a role', permission_revoked: "a member's role was removed",
  permission_denied: 'someone was refused an action', quota_updated: 'quotas changed', settings_updated: 'review settings or the remote changed',
  budget_alert_created: 'a budget alert was set', budget_updated: 'the budget changed', budget_alert_triggered: 'a plan crossed a budget alert',
  budget_override: 'an admin approved over budget', session_created: 'a lobby was opened', resource_added: 'a resource was added',
  resource_updated: 'a resource was changed', resource_removed: 'a resource was removed', resources_imported: 'resources were imported from a file',
  rollback_started: 'a rollback was planned', recovery_started: 'a way out of a stopped apply was started (re-plan, refresh-only plan or roll back)', session_cancelled: 'a lobby was cancelled', session_expired: 'a lobby expired after inactivity',
  plan_started: 'a plan started', plan_completed: 'a plan finished', plan_failed: 'a plan failed', deployment_approved: 'a plan was approved', approval_voted: 'an approver voted for a plan that needs more votes',
  policy_overridden: 'an admin overrode soft-mandatory policy', risk_accepted: 'the operator accepted a high-risk plan', policy_updated: 'the policy pack changed',
  approval_refused: 'an approval was refused', deployment_completed: 'an apply finished', deployment_failed: 'an apply failed',
  deployment_interrupted: 'an apply was interrupted', apply_cancel_requested: 'someone asked an apply to stop',
  run_interrupt_requested: 'a force-unlock asked a run to stop', lease_taken_over: "recovery took over a dead run's lock",
  run_fenced_out: 'a run lost its lock to another process', lock_force_released: 'an admin force-released a lock (unlock)',
  lock_force_release_refused: 'a force-unlock was refused', state_saved: 'a Terraform state was saved', state_unrecorded: 'a state could not be recorded',
  state_viewed: 'a saved state was read', state_rekeyed: 'saved states were re-encrypted', git_tagged: 'a commit was tagged',
  git_pushed: 'the history was pushed', git_push_failed: 'a push failed', git_remote_forgotten: 'a refused remote was forgotten',
  sandbox_tampered: 'the sandbox cloud was changed out of band', drift_checked: 'drift was checked', drift_detected: 'drift was found',
  drift_resolved: 'a drift disappeared', drift_thread_opened: 'a drift thread was opened', drift_thread_closed: 'a drift thread was closed',
  drift_adopt_started: "someone started adopting a drift's real values", drift_revert_started: 'someone started reverting a drift',
  lease_set: 'an environment lease was set', lease_extended: 'the environment lease was extended', lease_ended: 'the environment lease was ended',
  lease_renewed: 'an apply moved the lease end', lease_reminded: 'the lease end was reminded', lease_expiring: 'the lease ended: a destroy session started',
  lease_expired: 'the environment expired and was destroyed', lease_expiry_stopped: 'the expiry destroy was stopped',
  audit_exported: 'the audit log was exported', store_backed_up: 'the store was backed up', store_restored: 'the store was restored', store_copied: 'the store was copied',
};

/** The event types matching what the user typed (in the type or its meaning), those starting with it first; at most 25. */
export function eventTypeChoices(typed: string): APIApplicationCommandOptionChoice<string>[] {
  const words = typed.trim().toLowerCase();
  const asType = words.replace(/[\s-]+/g, '_');
  const matching = AUDIT_EVENT_TYPES.filter((t) => t.includes(asType) || AUDIT_EVENT_LABELS[t].includes(words));
  const first = [...matching.filter((t) => t.startsWith(asType)), ...matching.filter((t) => !t.startsWith(asType))];
  return first.slice(0, LIMITS.autocompleteChoices).map((t) => ({ name: truncate(`${t} · ${AUDIT_EVENT_LABELS[t]}`, LIMITS.choiceName), value: t }));
}

/** Who wrote a row, by name: the name recorded with it, else one looked up (`names`), else the id. */
function whoActed(r: AuditRow, names: ReadonlyMap<string, string>): string {
  if (r.userId === null) return 'system';
  const name = r.userName ?? names.get(r.userId) ?? r.userId;
  // The local operator acts for no server: its rows carry none.
  return r.guildId === null ? `${name} (operator, CLI)` : name;
}

/** Amounts the log keeps in micro-dollars (`*_micros`), shown as dollars. */
const shownInDollars = (key: string, value: unknown) => (key.endsWith('_micros') && typeof value === 'number' ? formatUsd(micros(value)) : value);

const text = (v: unknown) => (typeof v === 'string' ? v : null);

/** What an event did, in words for the two that interrupt a session; other events show their details as recorded. */
function whatHappened(r: AuditRow): string {
  const d = r.details;
  if (r.eventType === 'session_expired') {
    return ` — the session expired ${idleFor(typeof d.ttl_minutes === 'number' ? d.ttl_minutes : null)}${text(d.from_state) ? ` (it was ${text(d.from_state)})` : ''}; its lock was released`;
  }
  if (r.eventType === 'lock_force_released' && r.status === 'success') {
    const held = text(d.session_state);
    const cut = held === 'APPLYING' ? '; its apply was interrupted' : held === 'PLANNING' ? '; its plan was stopped' : '';
    return ` — force-released the lock${held ? ` (the session was ${held})` : ''}${cut}: "${text(d.reason) ?? ''}"`;
  }
  return Object.keys(d).length ? ` ${JSON.stringify(d, shownInDollars)}` : '';
}

/** One row as the audit command shows it: when, outcome, event, who (by name), where, and what. */
export function auditLine(r: AuditRow, names: ReadonlyMap<string, string> = new Map()): string {
  const where = [r.projectId && projectName(r.projectId), r.sessionId?.slice(0, 8)].filter(Boolean).join('/');
  return `${r.timestamp} ${r.status.padEnd(7)} ${r.eventType} by ${whoActed(r, names)}${where ? ` on ${where}` : ''}${r.error ? ` — ${r.error.split('\n')[0]}` : ''}${whatHappened(r)}`;
}
