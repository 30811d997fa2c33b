import type { Param, Sql } from './sql.js';
import type { ProjectKey } from '../domain/projects.js';
import type { AuditEventType, AuditStatus, AuditEvent, AuditRow, AuditFilter } from '../domain/audit.js';

/** The only write the audit log allows: append. Triggers in the schema refuse UPDATE and DELETE. */
export async function appendAudit(q: Sql, e: AuditEvent, timestamp: string): Promise<number> {
  return (await q.value<number>(`INSERT INTO audit_logs (timestamp, event_type, user_id, user_name, guild_id, project_id, session_id, action, status, details, error, ip)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, [timestamp, e.eventType, e.userId, e.userName ?? null, e.guildId, e.projectId, e.sessionId, e.action, e.status,
    JSON.stringify(e.details), e.error ?? null, e.ip ?? null]))!;
}

/** An audit_logs row as stored. */
export interface AuditDbRow {
  id: number; timestamp: string; event_type: AuditEventType; user_id: string | null; user_name: string | null; guild_id: string | null; project_id: ProjectKey | null;
  session_id: string | null; action: string; status: AuditStatus; details: string; error: string | null; ip: string | null;
}

export const toAuditRow = (r: AuditDbRow): AuditRow => ({
  id: r.id, timestamp: r.timestamp, eventType: r.event_type, userId: r.user_id, userName: r.user_name, guildId: r.guild_id, projectId: r.project_id,
  sessionId: r.session_id, action: r.action, status: r.status, details: JSON.parse(r.details) as Record<string, unknown>, error: r.error, ip: r.ip,
});

/**
 * A server's rows are those its members wrote, and those the operator or the system wrote (no server) on
 * one of its projects, whose keys start with `<server>/` ('/' sorts just before '0', so that prefix is a
 * range). Two queries, each walking its index newest first as far as the page needs, then merged.
 */
export async function queryAudit(q: Sql, f: AuditFilter): Promise<AuditRow[]> {
  const where: string[] = [];
  const args: Param[] = [];
  const add = (sql: string, v: Param | undefined) => { if (v !== undefined) { where.push(sql); args.push(v); } };
  add('project_id = ?', f.projectId);
  add('user_id = ?', f.userId);
  add('event_type = ?', f.eventType);
  add('timestamp >= ?', f.since);
  add('timestamp < ?', f.until);
  add('id < ?', f.beforeId);
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 1000);
  const select = (extra: string[]) => {
    const all = [...extra, ...where];
    return `SELECT * FROM audit_logs ${all.length ? `WHERE ${all.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  };
  const rows = f.guildId === undefined
    ? await q.all<AuditDbRow>(select([]), [...args, limit])
    : await q.all<AuditDbRow>(`SELECT * FROM (${select(['guild_id = ?'])}) members UNION ALL SELECT * FROM (${select(['guild_id IS NULL', 'project_id >= ?', 'project_id < ?'])}) others
        ORDER BY id DESC LIMIT ?`, [f.guildId, ...args, limit, `${f.guildId}/`, `${f.guildId}0`, ...args, limit, limit]);
  return rows.map(toAuditRow);
}

/** The newest of a session's rows of these event types (its lobby says what last happened to it). */
export async function latestSessionEvent(q: Sql, sessionId: string, types: readonly AuditEventType[]): Promise<AuditRow | undefined> {
  const r = await q.get<AuditDbRow>(`SELECT * FROM audit_logs WHERE session_id = ? AND event_type IN (${types.map(() => '?').join(',')}) AND status = 'success' ORDER BY id DESC LIMIT 1`,
    [sessionId, ...types]);
  return r && toAuditRow(r);
}
