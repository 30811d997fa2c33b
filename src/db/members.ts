import type { Sql } from './sql.js';
import type { ProjectKey } from '../domain/projects.js';
import type { Role, Member } from '../domain/projects.js';

export async function upsertMember(q: Sql, m: Member): Promise<void> {
  await q.run(`INSERT INTO project_members (project_id, user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
    [m.projectId, m.userId, m.role, m.grantedBy, m.grantedAt]);
}

export async function removeMember(q: Sql, projectId: ProjectKey, userId: string): Promise<boolean> {
  return (await q.run('DELETE FROM project_members WHERE project_id = ? AND user_id = ?', [projectId, userId])) > 0;
}

export async function getRole(q: Sql, projectId: ProjectKey, userId: string): Promise<Role | undefined> {
  return q.value<Role>('SELECT role FROM project_members WHERE project_id = ? AND user_id = ?', [projectId, userId]);
}

export async function listMembers(q: Sql, projectId: ProjectKey): Promise<Member[]> {
  return (await q.all<Record<string, string>>('SELECT * FROM project_members WHERE project_id = ? ORDER BY granted_at', [projectId])).map((r) => ({
    projectId: r.project_id as ProjectKey, userId: r.user_id!, role: r.role as Role, grantedBy: r.granted_by!, grantedAt: r.granted_at!,
  }));
}

export async function projectsWithMember(q: Sql, userId: string): Promise<ProjectKey[]> {
  return q.values<ProjectKey>('SELECT project_id FROM project_members WHERE user_id = ?', [userId]);
}
