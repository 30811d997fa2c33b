import type { Sql } from './sql.js';
import type { ProjectKey } from '../domain/projects.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import { FINAL_STATES, type MessageRefs, type PlanMode, type Session, type SessionPurpose, type SessionState } from '../domain/sessions.js';

interface Row {
  id: string; project_id: ProjectKey; guild_id: string; user_id: string; user_name: string; provider: Provider; state: SessionState;
  channel_id: string | null; message_id: string | null; thread_id: string | null; board_message_id: string | null; error: string | null; rollback_of: string | null;
  purpose: SessionPurpose; plan_mode: string; created_at: string; updated_at: string; expires_at: string;
}

const toSession = (r: Row): Session => ({
  id: r.id, projectId: r.project_id, guildId: r.guild_id, userId: r.user_id, userName: r.user_name, provider: r.provider,
  state: r.state, channelId: r.channel_id, messageId: r.message_id, threadId: r.thread_id, boardMessageId: r.board_message_id, error: r.error, rollbackOf: r.rollback_of,
  purpose: r.purpose, planMode: JSON.parse(r.plan_mode) as PlanMode, createdAt: r.created_at, updatedAt: r.updated_at, expiresAt: r.expires_at,
});

const SESSION_COLUMNS = 'id, project_id, guild_id, user_id, user_name, provider, state, channel_id, message_id, thread_id, board_message_id, error, rollback_of, purpose, plan_mode, created_at, updated_at, expires_at';
const list = (n: number) => Array(n).fill('?').join(',');

export async function insertSession(q: Sql, s: Session): Promise<void> {
  await q.run(`INSERT INTO sessions (${SESSION_COLUMNS})
    VALUES (@id, @projectId, @guildId, @userId, @userName, @provider, @state, @channelId, @messageId, @threadId, @boardMessageId, @error, @rollbackOf, @purpose, @planMode, @createdAt, @updatedAt, @expiresAt)`, { ...s, planMode: JSON.stringify(s.planMode) });
}

export async function getSession(q: Sql, id: string): Promise<Session | undefined> {
  const r = await q.get<Row>(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`, [id]);
  return r && toSession(r);
}

/**
 * Compare-and-set: moves the session to `to` only if it is still in one of `from`. Returns false
 * when another actor got there first, which is how two approvals end in one apply.
 */
export async function casState(q: Sql, id: string, from: readonly SessionState[], to: SessionState, now: string, error: string | null = null, expiresAt?: string): Promise<boolean> {
  const changed = await q.run(`UPDATE sessions SET state = ?, updated_at = ?, error = ?, expires_at = COALESCE(?, expires_at)
    WHERE id = ? AND state IN (${list(from.length)})`, [to, now, error, expiresAt ?? null, id, ...from]);
  return changed === 1;
}

export async function touchSession(q: Sql, id: string, now: string, expiresAt: string): Promise<void> {
  await q.run('UPDATE sessions SET updated_at = ?, expires_at = ? WHERE id = ?', [now, expiresAt, id]);
}

export async function setSessionMessage(q: Sql, id: string, refs: MessageRefs): Promise<void> {
  await q.run(`UPDATE sessions SET channel_id = COALESCE(?, channel_id), message_id = COALESCE(?, message_id), thread_id = COALESCE(?, thread_id),
    board_message_id = COALESCE(?, board_message_id) WHERE id = ?`, [refs.channelId ?? null, refs.messageId ?? null, refs.threadId ?? null, refs.boardMessageId ?? null, id]);
}

export async function listSessionsInStates(q: Sql, states: readonly SessionState[], projectId?: ProjectKey): Promise<Session[]> {
  const sql = `SELECT ${SESSION_COLUMNS} FROM sessions WHERE state IN (${list(states.length)})${projectId ? ' AND project_id = ?' : ''} ORDER BY created_at`;
  return (await q.all<Row>(sql, [...states, ...(projectId ? [projectId] : [])])).map(toSession);
}

export async function listExpirable(q: Sql, now: string): Promise<Session[]> {
  return (await q.all<Row>(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE expires_at < ? AND state NOT IN (${list(FINAL_STATES.length)}) AND state NOT IN ('APPLYING','PLANNING')`,
    [now, ...FINAL_STATES])).map(toSession);
}

// --- the session's desired configuration ---

export async function listSessionResources(q: Sql, sessionId: string): Promise<ResourceSpec[]> {
  return (await q.values<string>('SELECT spec FROM session_resources WHERE session_id = ? ORDER BY position', [sessionId])).map((s) => JSON.parse(s) as ResourceSpec);
}

export async function insertSessionResource(q: Sql, sessionId: string, spec: ResourceSpec): Promise<void> {
  await q.run(`INSERT INTO session_resources (session_id, name, type, spec, position)
    SELECT ?, ?, ?, ?, COALESCE(MAX(position), -1) + 1 FROM session_resources WHERE session_id = ?`, [sessionId, spec.name, spec.type, JSON.stringify(spec), sessionId]);
}

export async function replaceSessionResource(q: Sql, sessionId: string, spec: ResourceSpec): Promise<boolean> {
  return (await q.run('UPDATE session_resources SET spec = ?, type = ? WHERE session_id = ? AND name = ?', [JSON.stringify(spec), spec.type, sessionId, spec.name])) === 1;
}

export async function deleteSessionResource(q: Sql, sessionId: string, name: string): Promise<boolean> {
  return (await q.run('DELETE FROM session_resources WHERE session_id = ? AND name = ?', [sessionId, name])) === 1;
}

export async function setSessionResources(q: Sql, sessionId: string, specs: ResourceSpec[]): Promise<void> {
  await q.run('DELETE FROM session_resources WHERE session_id = ?', [sessionId]);
  for (const [i, s] of specs.entries()) {
    await q.run('INSERT INTO session_resources (session_id, name, type, spec, position) VALUES (?, ?, ?, ?, ?)', [sessionId, s.name, s.type, JSON.stringify(s), i]);
  }
}

// --- what the project last applied ---

export async function listDeployedResources(q: Sql, projectId: ProjectKey): Promise<Array<{ provider: Provider; spec: ResourceSpec }>> {
  return (await q.all<{ provider: Provider; spec: string }>('SELECT provider, spec FROM deployed_resources WHERE project_id = ? ORDER BY position', [projectId]))
    .map((r) => ({ provider: r.provider, spec: JSON.parse(r.spec) as ResourceSpec }));
}

export async function setDeployedResources(q: Sql, projectId: ProjectKey, provider: Provider, specs: ResourceSpec[]): Promise<void> {
  await q.run('DELETE FROM deployed_resources WHERE project_id = ?', [projectId]);
  for (const [i, s] of specs.entries()) {
    await q.run('INSERT INTO deployed_resources (project_id, name, type, provider, spec, position) VALUES (?, ?, ?, ?, ?, ?)', [projectId, s.name, s.type, provider, JSON.stringify(s), i]);
  }
}
