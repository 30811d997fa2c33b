import type { Sql } from './sql.js';
import type { Provider } from '../domain/resources.js';
import { DEFAULT_SETTINGS, type Project, type ProjectKey, type ProjectSettings } from '../domain/projects.js';
import type { Money } from '../domain/money.js';

interface Row {
  id: ProjectKey; name: string; cloud_name: string; guild_id: string; description: string; default_provider: Provider; budget_limit_micros: Money;
  settings: string; created_by: string; created_at: string;
}

const toProject = (r: Row): Project => ({
  id: r.id, name: r.name, cloudName: r.cloud_name, guildId: r.guild_id, description: r.description, defaultProvider: r.default_provider,
  budgetLimitMicros: r.budget_limit_micros, settings: { ...DEFAULT_SETTINGS, ...(JSON.parse(r.settings) as Partial<ProjectSettings>) },
  createdBy: r.created_by, createdAt: r.created_at,
});

export async function insertProject(q: Sql, p: Project): Promise<void> {
  await q.run(`INSERT INTO projects (id, name, cloud_name, guild_id, description, default_provider, budget_limit_micros, settings, created_by, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [p.id, p.name, p.cloudName, p.guildId, p.description, p.defaultProvider, p.budgetLimitMicros, JSON.stringify(p.settings), p.createdBy, p.createdAt]);
}

export async function getProject(q: Sql, id: ProjectKey): Promise<Project | undefined> {
  const r = await q.get<Row>('SELECT * FROM projects WHERE id = ?', [id]);
  return r && toProject(r);
}

export async function listProjects(q: Sql, guildId?: string): Promise<Project[]> {
  const rows = guildId === undefined
    ? await q.all<Row>('SELECT * FROM projects ORDER BY guild_id, name')
    : await q.all<Row>('SELECT * FROM projects WHERE guild_id = ? ORDER BY name', [guildId]);
  return rows.map(toProject);
}

export async function updateProjectSettings(q: Sql, id: ProjectKey, settings: ProjectSettings): Promise<void> {
  await q.run('UPDATE projects SET settings = ? WHERE id = ?', [JSON.stringify(settings), id]);
}

export async function updateBudgetLimit(q: Sql, id: ProjectKey, micros: Money): Promise<void> {
  await q.run('UPDATE projects SET budget_limit_micros = ? WHERE id = ?', [micros, id]);
}
