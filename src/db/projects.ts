import type { Db } from './database.js';
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

export function insertProject(db: Db, p: Project): void {
  db.prepare(`INSERT INTO projects (id, name, cloud_name, guild_id, description, default_provider, budget_limit_micros, settings, created_by, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(p.id, p.name, p.cloudName, p.guildId, p.description, p.defaultProvider, p.budgetLimitMicros, JSON.stringify(p.settings), p.createdBy, p.createdAt);
}

export function getProject(db: Db, id: ProjectKey): Project | undefined {
  const r = db.prepare('SELECT * FROM projects WHERE id = ?').get(id) as Row | undefined;
  return r && toProject(r);
}

export function listProjects(db: Db, guildId?: string): Project[] {
  const rows = guildId === undefined
    ? (db.prepare('SELECT * FROM projects ORDER BY guild_id, name').all() as Row[])
    : (db.prepare('SELECT * FROM projects WHERE guild_id = ? ORDER BY name').all(guildId) as Row[]);
  return rows.map(toProject);
}

export function updateProjectSettings(db: Db, id: ProjectKey, settings: ProjectSettings): void {
  db.prepare('UPDATE projects SET settings = ? WHERE id = ?').run(JSON.stringify(settings), id);
}

export function updateBudgetLimit(db: Db, id: ProjectKey, micros: Money): void {
  db.prepare('UPDATE projects SET budget_limit_micros = ? WHERE id = ?').run(micros, id);
}
