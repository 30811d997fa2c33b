import type { Db } from './database.js';
import type { ProjectKey } from '../domain/projects.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import { FINAL_STATES, type Session, type SessionState } from '../domain/sessions.js';

interface Row {
  id: string; project_id: ProjectKey; guild_id: string; user_id: string; user_name: string; provider: Provider; state: SessionState;
  channel_id: string | null; message_id: string | null; thread_id: string | null; error: string | null; rollback_of: string | null;
  created_at: string; updated_at: string; expires_at: string;
}

const toSession = (r: Row): Session => ({
  id: r.id, projectId: r.project_id, guildId: r.guild_id, userId: r.user_id, userName: r.user_name, provider: r.provider,
  state: r.state, channelId: r.channel_id, messageId: r.message_id, threadId: r.thread_id, error: r.error, rollbackOf: r.rollback_of,
  createdAt: r.created_at, updatedAt: r.updated_at, expiresAt: r.expires_at,
});

export function insertSession(db: Db, s: Session): void {
  db.prepare(`INSERT INTO sessions (id, project_id, guild_id, user_id, user_name, provider, state, channel_id, message_id, thread_id, error, rollback_of, created_at, updated_at, expires_at)
    VALUES (@id, @projectId, @guildId, @userId, @userName, @provider, @state, @channelId, @messageId, @threadId, @error, @rollbackOf, @createdAt, @updatedAt, @expiresAt)`).run(s);
}

export function getSession(db: Db, id: string): Session | undefined {
  const r = db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
  return r && toSession(r);
}

/**
 * Compare-and-set: moves the session to `to` only if it is still in one of `from`. Returns false
 * when another actor got there first, which is how two approvals end in one apply.
 */
export function casState(db: Db, id: string, from: readonly SessionState[], to: SessionState, now: string, error: string | null = null, expiresAt?: string): boolean {
  const placeholders = from.map(() => '?').join(',');
  const res = db.prepare(`UPDATE sessions SET state = ?, updated_at = ?, error = ?, expires_at = COALESCE(?, expires_at)
    WHERE id = ? AND state IN (${placeholders})`).run(to, now, error, expiresAt ?? null, id, ...from);
  return res.changes === 1;
}

export function touchSession(db: Db, id: string, now: string, expiresAt: string): void {
  db.prepare('UPDATE sessions SET updated_at = ?, expires_at = ? WHERE id = ?').run(now, expiresAt, id);
}

export function setSessionMessage(db: Db, id: string, refs: { channelId?: string; messageId?: string; threadId?: string }): void {
  db.prepare(`UPDATE sessions SET channel_id = COALESCE(?, channel_id), message_id = COALESCE(?, message_id), thread_id = COALESCE(?, thread_id) WHERE id = ?`)
    .run(refs.channelId ?? null, refs.messageId ?? null, refs.threadId ?? null, id);
}

export function listSessionsInStates(db: Db, states: readonly SessionState[], projectId?: ProjectKey): Session[] {
  const placeholders = states.map(() => '?').join(',');
  const sql = `SELECT * FROM sessions WHERE state IN (${placeholders})${projectId ? ' AND project_id = ?' : ''} ORDER BY created_at`;
  return (db.prepare(sql).all(...states, ...(projectId ? [projectId] : [])) as Row[]).map(toSession);
}

export function listExpirable(db: Db, now: string): Session[] {
  const placeholders = FINAL_STATES.map(() => '?').join(',');
  return (db.prepare(`SELECT * FROM sessions WHERE expires_at < ? AND state NOT IN (${placeholders}) AND state NOT IN ('APPLYING','PLANNING')`)
    .all(now, ...FINAL_STATES) as Row[]).map(toSession);
}

// --- the session's desired configuration ---

export function listSessionResources(db: Db, sessionId: string): ResourceSpec[] {
  return (db.prepare('SELECT spec FROM session_resources WHERE session_id = ? ORDER BY position').pluck().all(sessionId) as string[])
    .map((s) => JSON.parse(s) as ResourceSpec);
}

export function insertSessionResource(db: Db, sessionId: string, spec: ResourceSpec): void {
  const pos = db.prepare('SELECT COALESCE(MAX(position), -1) + 1 FROM session_resources WHERE session_id = ?').pluck().get(sessionId) as number;
  db.prepare('INSERT INTO session_resources (session_id, name, type, spec, position) VALUES (?, ?, ?, ?, ?)').run(sessionId, spec.name, spec.type, JSON.stringify(spec), pos);
}

export function replaceSessionResource(db: Db, sessionId: string, spec: ResourceSpec): boolean {
  return db.prepare('UPDATE session_resources SET spec = ?, type = ? WHERE session_id = ? AND name = ?').run(JSON.stringify(spec), spec.type, sessionId, spec.name).changes === 1;
}

export function deleteSessionResource(db: Db, sessionId: string, name: string): boolean {
  return db.prepare('DELETE FROM session_resources WHERE session_id = ? AND name = ?').run(sessionId, name).changes === 1;
}

export function setSessionResources(db: Db, sessionId: string, specs: ResourceSpec[]): void {
  db.prepare('DELETE FROM session_resources WHERE session_id = ?').run(sessionId);
  const ins = db.prepare('INSERT INTO session_resources (session_id, name, type, spec, position) VALUES (?, ?, ?, ?, ?)');
  specs.forEach((s, i) => ins.run(sessionId, s.name, s.type, JSON.stringify(s), i));
}

// --- what the project last applied ---

export function listDeployedResources(db: Db, projectId: ProjectKey): Array<{ provider: Provider; spec: ResourceSpec }> {
  return (db.prepare('SELECT provider, spec FROM deployed_resources WHERE project_id = ? ORDER BY position').all(projectId) as Array<{ provider: Provider; spec: string }>)
    .map((r) => ({ provider: r.provider, spec: JSON.parse(r.spec) as ResourceSpec }));
}

export function setDeployedResources(db: Db, projectId: ProjectKey, provider: Provider, specs: ResourceSpec[]): void {
  db.prepare('DELETE FROM deployed_resources WHERE project_id = ?').run(projectId);
  const ins = db.prepare('INSERT INTO deployed_resources (project_id, name, type, provider, spec, position) VALUES (?, ?, ?, ?, ?, ?)');
  specs.forEach((s, i) => ins.run(projectId, s.name, s.type, provider, JSON.stringify(s), i));
}
