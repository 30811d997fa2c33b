import type { DriftState, DriftThread } from '../domain/drift.js';
import type { ProjectKey } from '../domain/projects.js';
import type { Sql } from './sql.js';

interface DriftRow {
  project_id: string; drifted: string | null; since: string | null; checked_at: string | null; revision: number; next_check_at: string | null;
  thread_channel_id: string | null; thread_id: string | null; thread_message_id: string | null; thread_revision: number;
}

const toState = (r: DriftRow): DriftState => ({
  projectId: r.project_id as ProjectKey,
  ...(r.drifted !== null ? { open: { resources: JSON.parse(r.drifted) as NonNullable<DriftState['open']>['resources'], since: r.since! } } : {}),
  checkedAt: r.checked_at, revision: Number(r.revision), nextCheckAt: r.next_check_at,
  ...(r.thread_id !== null ? { thread: { channelId: r.thread_channel_id!, threadId: r.thread_id, messageId: r.thread_message_id!, revision: Number(r.thread_revision) } } : {}),
});

export async function getDriftState(q: Sql, projectId: ProjectKey): Promise<DriftState | undefined> {
  const r = await q.get<DriftRow>('SELECT * FROM drift_states WHERE project_id = ?', [projectId]);
  return r && toState(r);
}

/** A check's outcome: the open drift (or none), when, and the revision a thread should now show. */
export async function recordDrift(q: Sql, projectId: ProjectKey, open: DriftState['open'], checkedAt: string, revision: number): Promise<void> {
  await q.run(`INSERT INTO drift_states (project_id, drifted, since, checked_at, revision) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (project_id) DO UPDATE SET drifted = excluded.drifted, since = excluded.since, checked_at = excluded.checked_at, revision = excluded.revision`,
  [projectId, open ? JSON.stringify(open.resources) : null, open?.since ?? null, checkedAt, revision]);
}

/** True for one caller per period: the check was due at `now` (or never claimed), and is now due at `next`. */
export async function claimDriftCheck(q: Sql, projectId: ProjectKey, now: string, next: string): Promise<boolean> {
  return (await q.value(`INSERT INTO drift_states (project_id, next_check_at) VALUES (?, ?)
    ON CONFLICT (project_id) DO UPDATE SET next_check_at = excluded.next_check_at WHERE drift_states.next_check_at IS NULL OR drift_states.next_check_at <= ?
    RETURNING project_id`, [projectId, next, now])) !== undefined;
}

/** Gives back a claim that could not run (the project was locked): the check is due at the next sweep. */
export async function unclaimDriftCheck(q: Sql, projectId: ProjectKey, claimedNext: string): Promise<void> {
  await q.run('UPDATE drift_states SET next_check_at = NULL WHERE project_id = ? AND next_check_at = ?', [projectId, claimedNext]);
}

/** Compare-and-set: the right to open the open drift's thread, for `owner` until `expiresAt` (a claim that outlived its owner is taken over). */
export async function claimDriftThread(q: Sql, projectId: ProjectKey, owner: string, now: string, expiresAt: string): Promise<boolean> {
  return (await q.run(`UPDATE drift_states SET thread_claim = ?, thread_claim_expires = ?
    WHERE project_id = ? AND drifted IS NOT NULL AND thread_id IS NULL AND (thread_claim IS NULL OR thread_claim_expires < ?)`, [owner, expiresAt, projectId, now])) === 1;
}

/** Records the thread the claim's owner opened; false when the claim was no longer its own. */
export async function setDriftThread(q: Sql, projectId: ProjectKey, owner: string, t: DriftThread): Promise<boolean> {
  return (await q.run(`UPDATE drift_states SET thread_channel_id = ?, thread_id = ?, thread_message_id = ?, thread_revision = ?, thread_claim = NULL, thread_claim_expires = NULL
    WHERE project_id = ? AND thread_claim = ? AND thread_id IS NULL`, [t.channelId, t.threadId, t.messageId, t.revision, projectId, owner])) === 1;
}

export async function driftThreadShown(q: Sql, projectId: ProjectKey, threadId: string, revision: number): Promise<void> {
  await q.run('UPDATE drift_states SET thread_revision = ? WHERE project_id = ? AND thread_id = ? AND thread_revision < ?', [revision, projectId, threadId, revision]);
}

/** Forgets a closed thread, if the drift is still gone (compare-and-set on the thread): true for the one caller who did. */
export async function clearDriftThread(q: Sql, projectId: ProjectKey, threadId: string): Promise<boolean> {
  return (await q.run(`UPDATE drift_states SET thread_channel_id = NULL, thread_id = NULL, thread_message_id = NULL, thread_revision = 0
    WHERE project_id = ? AND thread_id = ? AND drifted IS NULL`, [projectId, threadId])) === 1;
}

/** Projects whose thread is behind their drift: an open drift without a thread or with an older message, a thread whose drift is gone. */
export async function pendingDriftThreads(q: Sql): Promise<ProjectKey[]> {
  return q.values<ProjectKey>(`SELECT project_id FROM drift_states WHERE (drifted IS NOT NULL AND (thread_id IS NULL OR thread_revision < revision))
    OR (drifted IS NULL AND thread_id IS NOT NULL) ORDER BY project_id`);
}

/** The channel of the project's newest lobby: where its people work. */
export async function lastLobbyChannel(q: Sql, projectId: ProjectKey): Promise<string | undefined> {
  return q.value<string>('SELECT channel_id FROM sessions WHERE project_id = ? AND channel_id IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1', [projectId]);
}
