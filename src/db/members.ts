import type { Db } from './database.js';
import type { ProjectKey } from '../domain/projects.js';
import type { Role, Member } from '../domain/projects.js';

export function upsertMember(db: Db, m: Member): void {
  db.prepare(`INSERT INTO project_members (project_id, user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by, granted_at = excluded.granted_at`)
    .run(m.projectId, m.userId, m.role, m.grantedBy, m.grantedAt);
}

export function removeMember(db: Db, projectId: ProjectKey, userId: string): boolean {
  return db.prepare('DELETE FROM project_members WHERE project_id = ? AND user_id = ?').run(projectId, userId).changes > 0;
}

export function getRole(db: Db, projectId: ProjectKey, userId: string): Role | undefined {
  return db.prepare('SELECT role FROM project_members WHERE project_id = ? AND user_id = ?').pluck().get(projectId, userId) as Role | undefined;
}

export function listMembers(db: Db, projectId: ProjectKey): Member[] {
  return (db.prepare('SELECT * FROM project_members WHERE project_id = ? ORDER BY granted_at').all(projectId) as Array<Record<string, string>>).map((r) => ({
    projectId: r.project_id as ProjectKey, userId: r.user_id!, role: r.role as Role, grantedBy: r.granted_by!, grantedAt: r.granted_at!,
  }));
}

export function projectsWithMember(db: Db, userId: string): ProjectKey[] {
  return db.prepare('SELECT project_id FROM project_members WHERE user_id = ?').pluck().all(userId) as ProjectKey[];
}
