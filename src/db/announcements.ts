import type { Sql } from './sql.js';
import type { AuditEventType, AuditRow } from '../domain/audit.js';
import { toAuditRow, type AuditDbRow } from './audit.js';

/**
 * Successful audit rows of `types` on a session since `since`, oldest first, that no process has announced
 * and none holds a live claim on.
 */
export async function pendingAnnouncements(q: Sql, types: readonly AuditEventType[], since: string, now: string, limit: number): Promise<AuditRow[]> {
  const rows = await q.all<AuditDbRow>(`SELECT a.* FROM audit_logs a LEFT JOIN announcements n ON n.audit_id = a.id
    WHERE a.event_type IN (${types.map(() => '?').join(',')}) AND a.status = 'success' AND a.session_id IS NOT NULL AND a.timestamp >= ?
      AND (n.audit_id IS NULL OR (n.done = 0 AND n.expires_at < ?))
    ORDER BY a.id LIMIT ?`, [...types, since, now, limit]);
  return rows.map(toAuditRow);
}

/** Takes the announcement of one event for `owner` until `expiresAt`: only if nobody announced it and no live claim holds it. */
export async function claimAnnouncement(q: Sql, auditId: number, owner: string, now: string, expiresAt: string): Promise<boolean> {
  return (await q.value(`INSERT INTO announcements (audit_id, owner, expires_at, done) VALUES (?, ?, ?, 0)
    ON CONFLICT (audit_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
    WHERE announcements.done = 0 AND announcements.expires_at < ?
    RETURNING audit_id`, [auditId, owner, expiresAt, now])) !== undefined;
}

/** The event is announced; false when `owner` no longer held its claim (another process took it up). */
export async function finishAnnouncement(q: Sql, auditId: number, owner: string): Promise<boolean> {
  return (await q.run('UPDATE announcements SET done = 1 WHERE audit_id = ? AND owner = ? AND done = 0', [auditId, owner])) === 1;
}
