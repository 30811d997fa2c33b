import type { Sql } from './sql.js';
import type { ProjectKey } from '../domain/projects.js';
import type { BudgetAlert } from '../domain/projects.js';
import type { Money } from '../domain/money.js';

interface Row { id: number; project_id: ProjectKey; threshold_micros: Money; created_by: string; created_at: string; above: number; last_triggered_at: string | null; last_value_micros: Money | null }

export async function upsertBudgetAlert(q: Sql, projectId: ProjectKey, thresholdMicros: Money, createdBy: string, createdAt: string): Promise<number> {
  await q.run(`INSERT INTO budget_alerts (project_id, threshold_micros, created_by, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (project_id, threshold_micros) DO NOTHING`, [projectId, thresholdMicros, createdBy, createdAt]);
  return (await q.value<number>('SELECT id FROM budget_alerts WHERE project_id = ? AND threshold_micros = ?', [projectId, thresholdMicros]))!;
}

export async function listBudgetAlerts(q: Sql, projectId: ProjectKey): Promise<BudgetAlert[]> {
  return (await q.all<Row>('SELECT * FROM budget_alerts WHERE project_id = ? ORDER BY threshold_micros', [projectId])).map((r) => ({
    id: r.id, projectId: r.project_id, thresholdMicros: r.threshold_micros, createdBy: r.created_by, createdAt: r.created_at,
    above: r.above === 1, lastTriggeredAt: r.last_triggered_at, lastValueMicros: r.last_value_micros,
  }));
}

/** Records the alert's side of the threshold; a trigger also stamps when and at what value. */
export async function setAlertAbove(q: Sql, id: number, above: boolean, triggeredAt: string | null, valueMicros: Money): Promise<void> {
  if (triggeredAt) await q.run('UPDATE budget_alerts SET above = 1, last_triggered_at = ?, last_value_micros = ? WHERE id = ?', [triggeredAt, valueMicros, id]);
  else await q.run('UPDATE budget_alerts SET above = ?, last_value_micros = ? WHERE id = ?', [above ? 1 : 0, valueMicros, id]);
}
