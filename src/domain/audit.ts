import type { ProjectKey } from './projects.js';

export type AuditStatus = 'success' | 'failure' | 'denied' | 'info';

/** Every kind of event the audit log records: a closed list, so a query or an export can name them all. */
export const AUDIT_EVENT_TYPES = [
  'project_created', 'permission_granted', 'permission_revoked', 'permission_denied', 'quota_updated', 'settings_updated',
  'budget_alert_created', 'budget_updated', 'budget_alert_triggered', 'budget_override',
  'session_created', 'resource_added', 'resource_updated', 'resource_removed', 'resources_imported', 'rollback_started', 'recovery_started',
  'session_cancelled', 'session_expired', 'plan_started', 'plan_completed', 'plan_failed',
  'deployment_approved', 'approval_refused', 'approval_voted', 'policy_overridden', 'risk_accepted', 'policy_updated', 'deployment_completed', 'deployment_failed', 'deployment_interrupted',
  'apply_cancel_requested', 'run_interrupt_requested', 'lease_taken_over', 'run_fenced_out',
  'lock_force_released', 'lock_force_release_refused',
  'state_saved', 'state_unrecorded', 'state_viewed', 'state_rekeyed',
  'git_tagged', 'git_pushed', 'git_push_failed', 'git_remote_forgotten',
  'sandbox_tampered', 'drift_checked', 'drift_detected', 'drift_resolved', 'drift_thread_opened', 'drift_thread_closed', 'drift_adopt_started', 'drift_revert_started',
  'lease_set', 'lease_extended', 'lease_ended', 'lease_renewed', 'lease_reminded', 'lease_expiring', 'lease_expired', 'lease_expiry_stopped',
  'audit_exported', 'store_backed_up', 'store_restored', 'store_copied',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export const isAuditEventType = (s: string): s is AuditEventType => (AUDIT_EVENT_TYPES as readonly string[]).includes(s);

export interface AuditEvent {
  eventType: AuditEventType;
  userId: string | null;
  /** Who acted, by name, as known when the row was written (rows from before names were kept have none). */
  userName?: string | null;
  guildId: string | null;
  projectId: ProjectKey | null;
  sessionId: string | null;
  action: string;
  status: AuditStatus;
  details: Record<string, unknown>;
  error?: string | null;
  ip?: string | null;
}

export interface AuditRow extends AuditEvent {
  id: number;
  timestamp: string;
  userName: string | null;
}

export interface AuditFilter {
  /** A server's rows: its members' actions, and what the operator or the system did to its projects. */
  guildId?: string;
  projectId?: ProjectKey;
  userId?: string;
  eventType?: string;
  since?: string;
  until?: string;
  /** Keyset paging: rows with id below this. */
  beforeId?: number;
  limit?: number;
}

export interface AuditPage {
  rows: AuditRow[];
  /** Pass as `beforeId` for the next (older) page; null once a page comes back short (a full last page yields one empty page). */
  nextBeforeId: number | null;
}

