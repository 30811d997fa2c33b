import { CoreError } from '../domain/errors.js';
import type { Sql } from './sql.js';
import { FINAL_STATES, SESSION_STATES } from '../domain/sessions.js';
import type { DayCount, DeploymentStatistics } from '../domain/stats.js';

const DAY_MS = 86_400_000;
const TOP = 5;
const ACTIVE_STATES = SESSION_STATES.filter((s) => !FINAL_STATES.includes(s));

/** The window is whole UTC days: today and the `days - 1` before it, up to `now`. */
export function statisticsWindow(days: number, now: Date): { since: string; until: string; dates: string[] } {
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new CoreError('validation', `days must be a whole number from 1 to 366, got ${days}`);
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const start = today - (days - 1) * DAY_MS;
  const dates = Array.from({ length: days }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
  return { since: new Date(start).toISOString(), until: now.toISOString(), dates };
}

/**
 * Every query starts from idx_deployments_started (a range on started_at); the guild filter is a
 * lookup into the guild's projects, so neither grows with the size of the whole table.
 */
/** How many rows of the group meet `condition` (0 for none), in SQL both dialects count the same way. */
const count = (condition: string) => `COALESCE(SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;

function inWindow(guildId: string | undefined): string {
  const guild = guildId === undefined ? '' : 'AND d.project_id IN (SELECT id FROM projects WHERE guild_id = @guild)';
  return `d.started_at >= @since AND d.started_at <= @until ${guild}`;
}

export async function getDeploymentStatistics(q: Sql, guildId: string | undefined, days: number, now = new Date()): Promise<DeploymentStatistics> {
  const { since, until, dates } = statisticsWindow(days, now);
  const p = { since, until, ...(guildId === undefined ? {} : { guild: guildId }) };
  const where = inWindow(guildId);
  const totals = (await q.get<{ total: number; successful: number; failed: number; interrupted: number; running: number; avg_ms: number | null }>(`SELECT COUNT(*) AS total,
      ${count("status = 'succeeded'")} AS successful, ${count("status = 'failed'")} AS failed,
      ${count("status = 'interrupted'")} AS interrupted, ${count("status = 'running'")} AS running,
      AVG(CASE WHEN status = 'succeeded' THEN duration_ms END) AS avg_ms
    FROM deployments d WHERE ${where}`, p))!;
  // A deployment is its session author's work (the approver only let it through): rank authors.
  const topUsers = await q.all<{ user_id: string; user_name: string; count: number }>(`SELECT s.user_id, MAX(s.user_name) AS user_name, COUNT(*) AS count
    FROM deployments d JOIN sessions s ON s.id = d.session_id WHERE ${where} GROUP BY s.user_id ORDER BY count DESC, s.user_id LIMIT ${TOP}`, p);
  const topTypes = await q.all<{ type: string; count: number }>(`SELECT t.value AS type, COUNT(*) AS count FROM deployments d, ${q.jsonEach('d.resource_types', 't')} WHERE ${where}
    GROUP BY t.value ORDER BY count DESC, type LIMIT ${TOP}`, p);
  const byDay = await q.all<DayCount>(`SELECT substr(d.started_at, 1, 10) AS date, ${count("status = 'succeeded'")} AS succeeded,
      ${count("status = 'failed'")} AS failed, ${count("status = 'interrupted'")} AS interrupted FROM deployments d WHERE ${where} GROUP BY substr(d.started_at, 1, 10)`, p);
  const finished = totals.successful + totals.failed + totals.interrupted;
  const counted = new Map(byDay.map((r) => [r.date, r]));
  return {
    days, total: totals.total, successful: totals.successful, failed: totals.failed, interrupted: totals.interrupted, running: totals.running,
    success_rate: finished === 0 ? null : Math.round((totals.successful / finished) * 1000) / 10,
    top_users: topUsers, top_resource_types: topTypes,
    active_sessions: await countActiveSessions(q, guildId),
    drift: await driftCounts(q, guildId, since, until),
    avg_apply_duration_ms: totals.avg_ms === null ? null : Math.round(totals.avg_ms),
    per_day: dates.map((date) => ({ date, succeeded: counted.get(date)?.succeeded ?? 0, failed: counted.get(date)?.failed ?? 0, interrupted: counted.get(date)?.interrupted ?? 0 })),
  };
}

async function countActiveSessions(q: Sql, guildId: string | undefined): Promise<number> {
  const states = ACTIVE_STATES.map(() => '?').join(',');
  const guild = guildId === undefined ? '' : 'AND project_id IN (SELECT id FROM projects WHERE guild_id = ?)';
  return (await q.value<number>(`SELECT COUNT(*) FROM sessions WHERE state IN (${states}) ${guild}`, [...ACTIVE_STATES, ...(guildId === undefined ? [] : [guildId])]))!;
}

/** Drift checks and detections from the audit log (the window), open drifts from the projects' drift states (now). */
async function driftCounts(q: Sql, guildId: string | undefined, since: string, until: string): Promise<DeploymentStatistics['drift']> {
  const guild = (column: string) => (guildId === undefined ? '' : `AND ${column} IN (SELECT id FROM projects WHERE guild_id = @guild)`);
  const p = { since, until, ...(guildId === undefined ? {} : { guild: guildId }) };
  const events = (await q.get<{ checks: number; detected: number }>(`SELECT ${count("event_type = 'drift_checked' AND status = 'success'")} AS checks,
      ${count("event_type = 'drift_detected'")} AS detected
    FROM audit_logs WHERE event_type IN ('drift_checked', 'drift_detected') AND timestamp >= @since AND timestamp <= @until ${guild('project_id')}`, p))!;
  const open = (await q.value<number>(`SELECT COUNT(*) FROM drift_states WHERE drifted IS NOT NULL ${guild('project_id')}`, guildId === undefined ? {} : { guild: guildId }))!;
  return { checks: Number(events.checks), detected: Number(events.detected), open: Number(open) };
}
