import type { Sql } from './sql.js';
import type { ProjectKey } from '../domain/projects.js';
import { QUEUE_HOST, type LeaseOwner, type Lock, type LeaseRequest } from '../domain/runs.js';

interface Row {
  project_id: ProjectKey; session_id: string | null; user_id: string | null; acquired_at: string | null; fence: number;
  owner_host: string | null; owner_pid: number | null; owner_started: string | null; run_pid: number | null; run_dir: string | null;
  heartbeat_at: string | null; expires_at: string | null; cancel_requested_by: string | null;
}

const toLock = (r: Row): Lock | undefined => (r.session_id === null ? undefined : {
  projectId: r.project_id, sessionId: r.session_id, userId: r.user_id!, acquiredAt: r.acquired_at!, fence: r.fence,
  owner: r.owner_pid === null ? null : { host: r.owner_host!, pid: r.owner_pid, started: r.owner_started! },
  runPid: r.run_pid, runDir: r.run_dir, heartbeatAt: r.heartbeat_at, expiresAt: r.expires_at!, cancelRequestedBy: r.cancel_requested_by,
});

export async function getLock(q: Sql, projectId: ProjectKey): Promise<Lock | undefined> {
  const r = await q.get<Row>('SELECT * FROM locks WHERE project_id = ?', [projectId]);
  return r && toLock(r);
}

export async function listLocks(q: Sql): Promise<Lock[]> {
  return (await q.all<Row>('SELECT * FROM locks WHERE session_id IS NOT NULL ORDER BY acquired_at')).flatMap((r) => toLock(r) ?? []);
}

const ownerParams = (r: LeaseRequest) => ({ ...r, host: r.owner.host, pid: r.owner.pid, started: r.owner.started });

/**
 * Takes the lease for a run of `sessionId`, in one statement: only where the lock is free, or held with
 * no run (by this session, or by another whose hold expired). A run's lease is never taken here: a dead
 * run is settled by recovery first (takeOver). Returns the new fencing token, or undefined.
 */
export async function takeLease(q: Sql, r: LeaseRequest): Promise<number | undefined> {
  return q.value<number>(`INSERT INTO locks (project_id, session_id, user_id, acquired_at, fence, owner_host, owner_pid, owner_started, run_pid, heartbeat_at, expires_at, cancel_requested_by)
    VALUES (@projectId, @sessionId, @userId, @now, 1, @host, @pid, @started, NULL, @now, @expiresAt, NULL)
    ON CONFLICT (project_id) DO UPDATE SET
      session_id = excluded.session_id, user_id = excluded.user_id,
      acquired_at = CASE WHEN locks.session_id = excluded.session_id THEN locks.acquired_at ELSE excluded.acquired_at END,
      fence = locks.fence + 1, owner_host = excluded.owner_host, owner_pid = excluded.owner_pid, owner_started = excluded.owner_started,
      run_pid = NULL, run_dir = NULL, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at, cancel_requested_by = NULL
    WHERE locks.session_id IS NULL
      OR (locks.owner_pid IS NULL AND (locks.expires_at < excluded.heartbeat_at OR locks.session_id = excluded.session_id))
    RETURNING fence`, ownerParams(r));
}

/** Starts a run for the session that holds the lock now (approval): no takeover, no expired lock. */
export async function claimRun(q: Sql, r: LeaseRequest): Promise<number | undefined> {
  return q.value<number>(`UPDATE locks SET fence = fence + 1, owner_host = @host, owner_pid = @pid, owner_started = @started, run_pid = NULL, run_dir = NULL,
      heartbeat_at = @now, expires_at = @expiresAt, cancel_requested_by = NULL
    WHERE project_id = @projectId AND session_id = @sessionId AND owner_pid IS NULL AND expires_at >= @now
    RETURNING fence`, ownerParams(r));
}

/**
 * Takes over one particular lease (expired, or its owner is known dead): only if nobody moved it since it
 * was judged — same token and same expiry, so a renewal in between (a live owner) makes it fail.
 */
export async function takeOver(q: Sql, seen: Pick<Lock, 'projectId' | 'fence' | 'expiresAt'>, owner: LeaseOwner, now: string, expiresAt: string): Promise<number | undefined> {
  return q.value<number>(`UPDATE locks SET fence = fence + 1, owner_host = ?, owner_pid = ?, owner_started = ?, run_pid = NULL, run_dir = NULL, heartbeat_at = ?, expires_at = ?, cancel_requested_by = NULL
    WHERE project_id = ? AND fence = ? AND expires_at = ? AND session_id IS NOT NULL RETURNING fence`,
    [owner.host, owner.pid, owner.started, now, expiresAt, seen.projectId, seen.fence, seen.expiresAt]);
}

/** A heartbeat: extends the lease only while the token is still the holder's. Undefined when lost. */
export async function renewLease(q: Sql, projectId: ProjectKey, fence: number, now: string, expiresAt: string): Promise<{ cancelRequestedBy: string | null } | undefined> {
  const r = await q.get<{ cancel_requested_by: string | null }>(`UPDATE locks SET heartbeat_at = ?, expires_at = ? WHERE project_id = ? AND fence = ? AND session_id IS NOT NULL
    RETURNING cancel_requested_by`, [now, expiresAt, projectId, fence]);
  return r && { cancelRequestedBy: r.cancel_requested_by };
}

/** Records where the run works and which Terraform process runs, so recovery can stop and read a dead run's. */
export async function setRunProcess(q: Sql, projectId: ProjectKey, fence: number, run: { dir?: string; pid?: number }): Promise<boolean> {
  return (await q.run('UPDATE locks SET run_dir = COALESCE(?, run_dir), run_pid = COALESCE(?, run_pid) WHERE project_id = ? AND fence = ?',
    [run.dir ?? null, run.pid ?? null, projectId, fence])) === 1;
}

/** The run ended but its session keeps the lock (planned, awaiting approval) until `expiresAt`. */
export async function parkLease(q: Sql, projectId: ProjectKey, fence: number, expiresAt: string): Promise<boolean> {
  return (await q.run(`UPDATE locks SET owner_host = NULL, owner_pid = NULL, owner_started = NULL, run_pid = NULL, run_dir = NULL, expires_at = ?, cancel_requested_by = NULL
    WHERE project_id = ? AND fence = ? AND session_id IS NOT NULL`, [expiresAt, projectId, fence])) === 1;
}

const FREE = `session_id = NULL, user_id = NULL, acquired_at = NULL, owner_host = NULL, owner_pid = NULL, owner_started = NULL,
  run_pid = NULL, run_dir = NULL, heartbeat_at = NULL, expires_at = NULL, cancel_requested_by = NULL`;

/** Frees the lock if `fence` is still the current token. */
export async function releaseLease(q: Sql, projectId: ProjectKey, fence: number): Promise<boolean> {
  return (await q.run(`UPDATE locks SET ${FREE} WHERE project_id = ? AND fence = ? AND session_id IS NOT NULL`, [projectId, fence])) === 1;
}

/** Frees a lock the session holds with no live run (cancel, expiry, an admin's force-unlock). */
export async function releaseIdleLock(q: Sql, projectId: ProjectKey, sessionId: string): Promise<boolean> {
  return (await q.run(`UPDATE locks SET ${FREE} WHERE project_id = ? AND session_id = ? AND owner_pid IS NULL`, [projectId, sessionId])) === 1;
}

/** Asks the run holding `fence` to interrupt itself; its heartbeat sees the request. */
export async function requestCancel(q: Sql, projectId: ProjectKey, fence: number, by: string): Promise<boolean> {
  return (await q.run('UPDATE locks SET cancel_requested_by = ? WHERE project_id = ? AND fence = ? AND owner_pid IS NOT NULL', [by, projectId, fence])) === 1;
}

/** True while `fence` is the project's current token: every write a run makes checks this in its transaction. */
export async function holdsLease(q: Sql, projectId: ProjectKey, fence: number): Promise<boolean> {
  return (await q.value('SELECT 1 FROM locks WHERE project_id = ? AND fence = ? AND session_id IS NOT NULL', [projectId, fence])) !== undefined;
}

/** A worker takes a run the queue holds for it: only while the queue still holds exactly that token for that session, unexpired and not asked to stop. */
export async function handOver(q: Sql, projectId: ProjectKey, sessionId: string, fence: number, owner: LeaseOwner, now: string, expiresAt: string): Promise<number | undefined> {
  return q.value<number>(`UPDATE locks SET fence = fence + 1, owner_host = ?, owner_pid = ?, owner_started = ?, run_pid = NULL, run_dir = NULL, heartbeat_at = ?, expires_at = ?
    WHERE project_id = ? AND fence = ? AND session_id = ? AND owner_host = ? AND cancel_requested_by IS NULL AND expires_at >= ? RETURNING fence`,
    [owner.host, owner.pid, owner.started, now, expiresAt, projectId, fence, sessionId, QUEUE_HOST, now]);
}
