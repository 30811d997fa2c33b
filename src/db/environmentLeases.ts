import type { Sql } from './sql.js';
import type { ProjectKey } from '../domain/projects.js';
import type { Money } from '../domain/money.js';
import type { EnvLease, EnvLeaseChange, EnvLeaseStatus, ExpiryStopReason } from '../domain/expiry.js';

interface Row {
  project_id: ProjectKey; ttl_seconds: number; ends_at: string | null; armed_at: string; status: EnvLeaseStatus; stop_reason: ExpiryStopReason | null;
  reminders_sent: number; channel_id: string | null; destroy_session_id: string | null; cost_micros: Money | null; announced: EnvLeaseStatus | null;
  set_by: string; version: number; updated_at: string;
}

const toLease = (r: Row): EnvLease => ({
  projectId: r.project_id, ttlSeconds: r.ttl_seconds, endsAt: r.ends_at, armedAt: r.armed_at, status: r.status, stopReason: r.stop_reason, remindersSent: r.reminders_sent,
  channelId: r.channel_id, destroySessionId: r.destroy_session_id, costMicros: r.cost_micros, announced: r.announced, setBy: r.set_by, version: r.version, updatedAt: r.updated_at,
});

const COLUMNS: Record<keyof EnvLeaseChange, string> = {
  ttlSeconds: 'ttl_seconds', endsAt: 'ends_at', armedAt: 'armed_at', status: 'status', stopReason: 'stop_reason', remindersSent: 'reminders_sent', channelId: 'channel_id',
  destroySessionId: 'destroy_session_id', costMicros: 'cost_micros', announced: 'announced', setBy: 'set_by', updatedAt: 'updated_at',
};

/** Sets (or replaces) a project's lease as a whole; its version moves on, so a compare-and-set on the old one fails. */
export async function putEnvLease(q: Sql, l: Omit<EnvLease, 'version'>): Promise<void> {
  await q.run(`INSERT INTO environment_leases (project_id, ttl_seconds, ends_at, armed_at, status, stop_reason, reminders_sent, channel_id, destroy_session_id, cost_micros, announced, set_by, version, updated_at)
    VALUES (@projectId, @ttlSeconds, @endsAt, @armedAt, @status, @stopReason, @remindersSent, @channelId, @destroySessionId, @costMicros, @announced, @setBy, 0, @updatedAt)
    ON CONFLICT (project_id) DO UPDATE SET ttl_seconds = excluded.ttl_seconds, ends_at = excluded.ends_at, armed_at = excluded.armed_at, status = excluded.status,
      stop_reason = excluded.stop_reason, reminders_sent = excluded.reminders_sent, channel_id = excluded.channel_id, destroy_session_id = excluded.destroy_session_id,
      cost_micros = excluded.cost_micros, announced = excluded.announced, set_by = excluded.set_by, version = environment_leases.version + 1, updated_at = excluded.updated_at`, l);
}

export async function getEnvLease(q: Sql, projectId: ProjectKey): Promise<EnvLease | undefined> {
  const r = await q.get<Row>('SELECT * FROM environment_leases WHERE project_id = ?', [projectId]);
  return r && toLease(r);
}

export async function removeEnvLease(q: Sql, projectId: ProjectKey): Promise<boolean> {
  return (await q.run('DELETE FROM environment_leases WHERE project_id = ?', [projectId])) === 1;
}

/** Leases the sweep has work on: counting down to an end, an expiry under way, or an outcome not yet said. */
export async function envLeasesToSweep(q: Sql): Promise<EnvLease[]> {
  return (await q.all<Row>(`SELECT * FROM environment_leases WHERE (status = 'active' AND ends_at IS NOT NULL) OR status = 'expiring'
    OR (status IN ('expired', 'stopped') AND (announced IS NULL OR announced <> status)) ORDER BY project_id`)).map(toLease);
}

/** Compare-and-set on the lease's version as it was read: false when another process changed it first. */
export async function moveEnvLease(q: Sql, projectId: ProjectKey, version: number, to: EnvLeaseChange): Promise<boolean> {
  const set = (Object.keys(to) as Array<keyof EnvLeaseChange>).filter((k) => k in COLUMNS).map((k) => `${COLUMNS[k]} = @${k}`);
  return (await q.run(`UPDATE environment_leases SET ${[...set, 'version = version + 1'].join(', ')} WHERE project_id = @projectId AND version = @version`,
    { ...to, projectId, version })) === 1;
}

/** Claims the reminder of `due` thresholds for this `ends_at`, once across every process: false when it was claimed. */
export async function claimEnvLeaseReminder(q: Sql, projectId: ProjectKey, endsAt: string, due: number): Promise<boolean> {
  return (await q.run("UPDATE environment_leases SET reminders_sent = ? WHERE project_id = ? AND status = 'active' AND ends_at = ? AND reminders_sent < ?", [due, projectId, endsAt, due])) === 1;
}

/** Claims saying the lease's outcome (`status`) in its channel, once across every process. */
export async function claimEnvLeaseAnnouncement(q: Sql, projectId: ProjectKey, status: EnvLeaseStatus): Promise<boolean> {
  return (await q.run('UPDATE environment_leases SET announced = ? WHERE project_id = ? AND status = ? AND (announced IS NULL OR announced <> ?)', [status, projectId, status, status])) === 1;
}
