import type { ApprovalVote, PolicyOverride } from '../domain/policy.js';
import type { Sql } from './sql.js';

/** Records one approver's vote on a plan; false when that approver had already voted on it. */
export async function castVote(q: Sql, v: ApprovalVote): Promise<boolean> {
  return (await q.run('INSERT INTO plan_votes (plan_id, user_id, user_name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (plan_id, user_id) DO NOTHING',
    [v.planId, v.userId, v.userName, v.createdAt])) === 1;
}

export async function listVotes(q: Sql, planId: string): Promise<ApprovalVote[]> {
  const rows = await q.all<{ plan_id: string; user_id: string; user_name: string; created_at: string }>(
    'SELECT plan_id, user_id, user_name, created_at FROM plan_votes WHERE plan_id = ? ORDER BY created_at, user_id', [planId]);
  return rows.map((r) => ({ planId: r.plan_id, userId: r.user_id, userName: r.user_name, createdAt: r.created_at }));
}

/** Deletes a user's votes on the project's plans still under review (an applied plan keeps who approved it). */
export async function withdrawVotes(q: Sql, projectId: string, userId: string): Promise<number> {
  return q.run(`DELETE FROM plan_votes WHERE user_id = ? AND plan_id IN
    (SELECT p.id FROM plans p JOIN sessions s ON s.id = p.session_id WHERE s.project_id = ? AND p.status = 'succeeded')`, [userId, projectId]);
}

/** Records an override of the session's soft-mandatory findings as they hash now; false when one exists already. */
export async function insertOverride(q: Sql, o: PolicyOverride): Promise<boolean> {
  return (await q.run('INSERT INTO policy_overrides (session_id, soft_hash, user_id, user_name, reason, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, soft_hash) DO NOTHING',
    [o.sessionId, o.softHash, o.userId, o.userName, o.reason, o.createdAt])) === 1;
}

export async function getOverride(q: Sql, sessionId: string, softHash: string): Promise<PolicyOverride | undefined> {
  const r = await q.get<{ session_id: string; soft_hash: string; user_id: string; user_name: string; reason: string; created_at: string }>(
    'SELECT session_id, soft_hash, user_id, user_name, reason, created_at FROM policy_overrides WHERE session_id = ? AND soft_hash = ?', [sessionId, softHash]);
  return r && { sessionId: r.session_id, softHash: r.soft_hash, userId: r.user_id, userName: r.user_name, reason: r.reason, createdAt: r.created_at };
}
