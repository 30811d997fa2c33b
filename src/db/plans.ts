import type { Sql } from './sql.js';
import type { PlanArtifact, PlanRecord, PlanRef, PlanStatus, PlanWarning, ResourceChange } from '../domain/plans.js';
import type { ProjectKey } from '../domain/projects.js';
import type { PolicyVerdict } from '../domain/policy.js';

interface Row {
  id: string; session_id: string; status: PlanStatus; config_hash: string; state_serial: number | null; state_checksum: string | null;
  plan_file_hash: string | null; to_add: number; to_change: number; to_destroy: number;
  changes: string; cost: string | null; warnings: string; output: unknown; error: string | null; budget_override_by: string | null; created_at: string; policy: string | null;
}

/** Every column but the plan file's bytes, which only apply reads (getPlanArtifact). */
const COLUMNS = `id, session_id, status, config_hash, state_serial, state_checksum, plan_file_hash, to_add, to_change, to_destroy, changes, cost, warnings, output, error, budget_override_by, created_at, policy`;

/**
 * Terraform's plan text shows attribute values the state holds: sealed at rest like the state. Text no
 * configured key opens is shown as such instead of failing the lobby that displays it.
 */
function openOutput(q: Sql, r: Row): string {
  try {
    return q.cipher.open(q.unbody(r.output), `the output of plan ${r.id}`).toString('utf8');
  } catch (e) {
    return `[${(e as Error).message}]`;
  }
}

const toPlan = (q: Sql, r: Row): PlanRecord => ({
  id: r.id, sessionId: r.session_id, status: r.status, configHash: r.config_hash, stateSerial: r.state_serial, stateChecksum: r.state_checksum,
  planFileHash: r.plan_file_hash, toAdd: r.to_add, toChange: r.to_change, toDestroy: r.to_destroy,
  changes: JSON.parse(r.changes) as ResourceChange[], cost: r.cost ? (JSON.parse(r.cost) as unknown) : null,
  warnings: (JSON.parse(r.warnings) as Array<PlanWarning | string>).map((w) => (typeof w === 'string' ? { kind: 'legacy', text: w } : w)), output: openOutput(q, r), error: r.error, budgetOverrideBy: r.budget_override_by, createdAt: r.created_at,
  policy: r.policy ? (JSON.parse(r.policy) as PolicyVerdict) : null,
});

const stored = (q: Sql, p: PlanRecord) => ({
  ...p, changes: JSON.stringify(p.changes), cost: p.cost === null ? null : JSON.stringify(p.cost), warnings: JSON.stringify(p.warnings), output: q.body(q.cipher.seal(p.output)),
  policy: p.policy ? JSON.stringify(p.policy) : null,
});

export async function insertPlan(q: Sql, p: PlanRecord): Promise<void> {
  await q.run(`INSERT INTO plans (id, session_id, status, config_hash, state_serial, state_checksum, plan_file_hash, to_add, to_change, to_destroy, changes, cost, warnings, output, error, budget_override_by, created_at, policy)
    VALUES (@id, @sessionId, @status, @configHash, @stateSerial, @stateChecksum, @planFileHash, @toAdd, @toChange, @toDestroy, @changes, @cost, @warnings, @output, @error, @budgetOverrideBy, @createdAt, @policy)`, stored(q, p));
}

export async function updatePlanResult(q: Sql, p: PlanRecord): Promise<void> {
  await q.run(`UPDATE plans SET status = @status, state_serial = @stateSerial, state_checksum = @stateChecksum, plan_file_hash = @planFileHash, to_add = @toAdd, to_change = @toChange, to_destroy = @toDestroy,
    changes = @changes, cost = @cost, warnings = @warnings, output = @output, error = @error, policy = @policy WHERE id = @id`, stored(q, p));
}

export async function getPlan(q: Sql, id: string): Promise<PlanRecord | undefined> {
  const r = await q.get<Row>(`SELECT ${COLUMNS} FROM plans WHERE id = ?`, [id]);
  return r && toPlan(q, r);
}

export async function latestPlan(q: Sql, sessionId: string): Promise<PlanRecord | undefined> {
  const r = await q.get<Row>(`SELECT ${COLUMNS} FROM plans WHERE session_id = ? ORDER BY created_at DESC, ${q.insertionOrder} DESC LIMIT 1`, [sessionId]);
  return r && toPlan(q, r);
}

export async function setPlanStatus(q: Sql, id: string, from: PlanStatus, to: PlanStatus): Promise<boolean> {
  return (await q.run('UPDATE plans SET status = ? WHERE id = ? AND status = ?', [to, id, from])) === 1;
}

export async function supersedePlans(q: Sql, sessionId: string): Promise<void> {
  await q.run("UPDATE plans SET status = 'superseded' WHERE session_id = ? AND status IN ('succeeded','running')", [sessionId]);
}

export async function setBudgetOverride(q: Sql, id: string, userId: string): Promise<void> {
  await q.run('UPDATE plans SET budget_override_by = ? WHERE id = ?', [userId, id]);
}

export async function savePlanArtifact(q: Sql, planId: string, a: PlanArtifact): Promise<void> {
  await q.run('UPDATE plans SET plan_bytes = ?, lock_file = ? WHERE id = ?', [q.body(q.cipher.seal(a.planBytes)), a.lockFile, planId]);
}

export async function getPlanArtifact(q: Sql, planId: string): Promise<PlanArtifact | undefined> {
  const r = await q.get<{ plan_bytes: unknown; lock_file: string | null }>('SELECT plan_bytes, lock_file FROM plans WHERE id = ? AND plan_bytes IS NOT NULL', [planId]);
  // A plan file is bytes even in clear; its sha256 is checked against the reviewed plan before apply.
  return r && { planBytes: q.cipher.open(q.unbody(r.plan_bytes), `the plan file of plan ${planId}`, 'bytes'), lockFile: r.lock_file };
}

/** The document a plan's policies read: sealed at rest like plan text (it holds the plan's attribute values). */
export async function savePolicyInput(q: Sql, planId: string, json: string): Promise<void> {
  await q.run('UPDATE plans SET policy_input = ? WHERE id = ?', [q.body(q.cipher.seal(json)), planId]);
}

export async function getPolicyInput(q: Sql, planId: string): Promise<string | undefined> {
  const r = await q.get<{ policy_input: unknown }>('SELECT policy_input FROM plans WHERE id = ? AND policy_input IS NOT NULL', [planId]);
  return r && q.cipher.open(q.unbody(r.policy_input), `the policy input of plan ${planId}`).toString('utf8');
}

export async function findProjectPlans(q: Sql, projectId: ProjectKey, query: { idPrefix?: string; limit: number }): Promise<PlanRef[]> {
  const rows = await q.all<{ id: string; session_id: string; status: PlanStatus; created_at: string; has_input: number | boolean }>(
    `SELECT p.id, p.session_id, p.status, p.created_at, CASE WHEN p.policy_input IS NULL THEN 0 ELSE 1 END AS has_input
     FROM plans p JOIN sessions s ON s.id = p.session_id
     WHERE s.project_id = ? AND ${query.idPrefix === undefined ? 'p.policy_input IS NOT NULL' : 'p.id LIKE ?'}
     ORDER BY p.created_at DESC, p.${q.insertionOrder} DESC LIMIT ?`,
    [projectId, ...(query.idPrefix === undefined ? [] : [`${query.idPrefix}%`]), query.limit],
  );
  return rows.map((r) => ({ id: r.id, sessionId: r.session_id, status: r.status, createdAt: r.created_at, hasPolicyInput: Number(r.has_input) === 1 }));
}
