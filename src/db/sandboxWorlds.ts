import type { Sql } from './sql.js';
import type { ProjectKey } from '../domain/projects.js';
import type { SandboxWorld } from '../domain/drift.js';

export async function getSandboxWorld(q: Sql, projectId: ProjectKey): Promise<SandboxWorld | undefined> {
  const r = await q.get<{ resources: string; updated_at: string }>('SELECT resources, updated_at FROM sandbox_worlds WHERE project_id = ?', [projectId]);
  return r && { resources: JSON.parse(r.resources) as SandboxWorld['resources'], updatedAt: r.updated_at };
}

export async function setSandboxWorld(q: Sql, projectId: ProjectKey, world: SandboxWorld): Promise<void> {
  await q.run(`INSERT INTO sandbox_worlds (project_id, resources, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (project_id) DO UPDATE SET resources = excluded.resources, updated_at = excluded.updated_at`,
  [projectId, JSON.stringify(world.resources), world.updatedAt]);
}
