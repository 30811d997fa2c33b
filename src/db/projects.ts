import type { Db } from './database.js';
import type { Provider } from '../resources/types.js';

export interface ProjectSettings {
  allow_self_approval: boolean;
  auto_tag: boolean;
  git_remote_url?: string;
  git_auto_push?: boolean;
  alert_channel_id?: string;
  /** Which cloud identity runs deploy as (a reference, never a secret); core/identity.ts validates it. */
  cloud_identity?: Record<string, string>;
}

export interface Project {
  id: string;
  guildId: string;
  description: string;
  defaultProvider: Provider;
  budgetLimitMicros: number;
  settings: ProjectSettings;
  createdBy: string;
  createdAt: string;
}

interface Row {
  id: string; guild_id: string; description: string; default_provider: Provider; budget_limit_micros: number;
  settings: string; created_by: string; created_at: string;
}

export const DEFAULT_SETTINGS: ProjectSettings = { allow_self_approval: false, auto_tag: false };

const toProject = (r: Row): Project => ({
  id: r.id, guildId: r.guild_id, description: r.description, defaultProvider: r.default_provider,
  budgetLimitMicros: r.budget_limit_micros, settings: { ...DEFAULT_SETTINGS, ...(JSON.parse(r.settings) as Partial<ProjectSettings>) },
  createdBy: r.created_by, createdAt: r.created_at,
});

export function insertProject(db: Db, p: Project): void {
  db.prepare(`INSERT INTO projects (id, guild_id, description, default_provider, budget_limit_micros, settings, created_by, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(p.id, p.guildId, p.description, p.defaultProvider, p.budgetLimitMicros, JSON.stringify(p.settings), p.createdBy, p.createdAt);
}

export function getProject(db: Db, id: string): Project | undefined {
  const r = db.prepare('SELECT * FROM projects WHERE id = ?').get(id) as Row | undefined;
  return r && toProject(r);
}

export function listProjects(db: Db, guildId?: string): Project[] {
  const rows = guildId === undefined
    ? (db.prepare('SELECT * FROM projects ORDER BY id').all() as Row[])
    : (db.prepare('SELECT * FROM projects WHERE guild_id = ? ORDER BY id').all(guildId) as Row[]);
  return rows.map(toProject);
}

export function updateProjectSettings(db: Db, id: string, settings: ProjectSettings): void {
  db.prepare('UPDATE projects SET settings = ? WHERE id = ?').run(JSON.stringify(settings), id);
}

export function updateBudgetLimit(db: Db, id: string, micros: number): void {
  db.prepare('UPDATE projects SET budget_limit_micros = ? WHERE id = ?').run(micros, id);
}
