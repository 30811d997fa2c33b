import type { AuditEventType, AuditRow } from './audit.js';
import { SESSION_STATES, type SessionState } from './sessions.js';

/**
 * What happened to a session that its owner did not do, as the lobby and its channel must say: it expired,
 * or an admin (or the operator) force-released its project's lock. Read from the audit row that recorded
 * it, so any process can say it, whichever process the event happened in.
 */
export type SessionNotice =
  | { kind: 'expired'; auditId: number; at: string; idleMinutes: number | null }
  | {
    kind: 'force_unlocked'; auditId: number; at: string; by: NoticeActor; reason: string;
    /** The session's state when its lock was released (APPLYING: its apply was interrupted). */
    heldIn: SessionState | null;
  };

export interface NoticeActor {
  id: string;
  name: string | null;
  /** The local operator (the CLI), not a member of the server. */
  operator: boolean;
}

/** The audit events a session notice is made from: successful expiries and force-unlocks. */
export const NOTICE_EVENTS = ['session_expired', 'lock_force_released'] as const satisfies readonly AuditEventType[];

const stateOf = (v: unknown): SessionState | null => ((SESSION_STATES as readonly unknown[]).includes(v) ? v as SessionState : null);

export function noticeOf(row: AuditRow): SessionNotice | undefined {
  if (row.status !== 'success' || !row.sessionId) return undefined;
  const d = row.details;
  if (row.eventType === 'session_expired') {
    return { kind: 'expired', auditId: row.id, at: row.timestamp, idleMinutes: typeof d.ttl_minutes === 'number' ? d.ttl_minutes : null };
  }
  if (row.eventType === 'lock_force_released' && row.userId) {
    return {
      kind: 'force_unlocked', auditId: row.id, at: row.timestamp, reason: typeof d.reason === 'string' ? d.reason : '',
      by: { id: row.userId, name: row.userName, operator: row.guildId === null }, heldIn: stateOf(d.session_state),
    };
  }
  return undefined;
}
