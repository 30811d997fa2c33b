import type { Db } from './database.js';
import type { ProjectKey } from '../domain/projects.js';
import type { BudgetAlert } from '../domain/projects.js';
import type { Money } from '../domain/money.js';

interface Row { id: number; project_id: ProjectKey; threshold_micros: Money; created_by: string; created_at: string; above: number; last_triggered_at: string | null; last_value_micros: Money | null }

export function upsertBudgetAlert(db: Db, projectId: ProjectKey, thresholdMicros: Money, createdBy: string, createdAt: string): number {
  db.prepare(`INSERT INTO budget_alerts (project_id, threshold_micros, created_by, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (project_id, threshold_micros) DO NOTHING`).run(projectId, thresholdMicros, createdBy, createdAt);
  return db.prepare('SELECT id FROM budget_alerts WHERE project_id = ? AND threshold_micros = ?').pluck().get(projectId, thresholdMicros) as number;
}

export function listBudgetAlerts(db: Db, projectId: ProjectKey): BudgetAlert[] {
  return (db.prepare('SELECT * FROM budget_alerts WHERE project_id = ? ORDER BY threshold_micros').all(projectId) as Row[]).map((r) => ({
    id: r.id, projectId: r.project_id, thresholdMicros: r.threshold_micros, createdBy: r.created_by, createdAt: r.created_at,
    above: r.above === 1, lastTriggeredAt: r.last_triggered_at, lastValueMicros: r.last_value_micros,
  }));
}

/** Records the alert's side of the threshold; a trigger also stamps when and at what value. */
export function setAlertAbove(db: Db, id: number, above: boolean, triggeredAt: string | null, valueMicros: Money): void {
  if (triggeredAt) db.prepare('UPDATE budget_alerts SET above = 1, last_triggered_at = ?, last_value_micros = ? WHERE id = ?').run(triggeredAt, valueMicros, id);
  else db.prepare('UPDATE budget_alerts SET above = ?, last_value_micros = ? WHERE id = ?').run(above ? 1 : 0, valueMicros, id);
}
