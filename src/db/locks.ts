import type { Db } from './database.js';

export interface Lock {
  projectId: string;
  sessionId: string;
  userId: string;
  acquiredAt: string;
}

const toLock = (r: Record<string, string>): Lock => ({ projectId: r.project_id!, sessionId: r.session_id!, userId: r.user_id!, acquiredAt: r.acquired_at! });

export function getLock(db: Db, projectId: string): Lock | undefined {
  const r = db.prepare('SELECT * FROM locks WHERE project_id = ?').get(projectId) as Record<string, string> | undefined;
  return r && toLock(r);
}

/** Takes the project lock for a session (re-entrant for the holder); returns the holder either way. */
export function acquireLock(db: Db, lock: Lock): { acquired: boolean; holder: Lock } {
  db.prepare('INSERT OR IGNORE INTO locks (project_id, session_id, user_id, acquired_at) VALUES (?, ?, ?, ?)').run(lock.projectId, lock.sessionId, lock.userId, lock.acquiredAt);
  const holder = getLock(db, lock.projectId)!;
  return { acquired: holder.sessionId === lock.sessionId, holder };
}

export function releaseLock(db: Db, projectId: string, sessionId: string): boolean {
  return db.prepare('DELETE FROM locks WHERE project_id = ? AND session_id = ?').run(projectId, sessionId).changes === 1;
}

export function listLocks(db: Db): Lock[] {
  return (db.prepare('SELECT * FROM locks ORDER BY acquired_at').all() as Array<Record<string, string>>).map(toLock);
}
