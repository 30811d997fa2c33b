import { cipherOf } from './cipher.js';
import type { Db } from './database.js';
import type { PlanArtifact, PlanRecord, PlanStatus, PlanWarning, ResourceChange } from '../domain/plans.js';

interface Row {
  id: string; session_id: string; status: PlanStatus; config_hash: string; state_serial: number | null; state_checksum: string | null;
  plan_file_hash: string | null; to_add: number; to_change: number; to_destroy: number;
  changes: string; cost: string | null; warnings: string; output: string | Buffer; error: string | null; budget_override_by: string | null; created_at: string;
}

/** Every column but the plan file's bytes, which only apply reads (getPlanArtifact). */
const COLUMNS = `id, session_id, status, config_hash, state_serial, state_checksum, plan_file_hash, to_add, to_change, to_destroy, changes, cost, warnings, output, error, budget_override_by, created_at`;

/**
 * Terraform's plan text shows attribute values the state holds: sealed at rest like the state. Text no
 * configured key opens is shown as such instead of failing the lobby that displays it.
 */
function openOutput(db: Db, r: Row): string {
  try {
    return cipherOf(db).open(r.output, `the output of plan ${r.id}`).toString('utf8');
  } catch (e) {
    return `[${(e as Error).message}]`;
  }
}

const toPlan = (db: Db, r: Row): PlanRecord => ({
  id: r.id, sessionId: r.session_id, status: r.status, configHash: r.config_hash, stateSerial: r.state_serial, stateChecksum: r.state_checksum,
  planFileHash: r.plan_file_hash, toAdd: r.to_add, toChange: r.to_change, toDestroy: r.to_destroy,
  changes: JSON.parse(r.changes) as ResourceChange[], cost: r.cost ? (JSON.parse(r.cost) as unknown) : null,
  warnings: (JSON.parse(r.warnings) as Array<PlanWarning | string>).map((w) => (typeof w === 'string' ? { kind: 'legacy', text: w } : w)), output: openOutput(db, r), error: r.error, budgetOverrideBy: r.budget_override_by, createdAt: r.created_at,
});

export function insertPlan(db: Db, p: PlanRecord): void {
  db.prepare(`INSERT INTO plans (id, session_id, status, config_hash, state_serial, state_checksum, plan_file_hash, to_add, to_change, to_destroy, changes, cost, warnings, output, error, budget_override_by, created_at)
    VALUES (@id, @sessionId, @status, @configHash, @stateSerial, @stateChecksum, @planFileHash, @toAdd, @toChange, @toDestroy, @changes, @cost, @warnings, @output, @error, @budgetOverrideBy, @createdAt)`)
    .run({ ...p, changes: JSON.stringify(p.changes), cost: p.cost === null ? null : JSON.stringify(p.cost), warnings: JSON.stringify(p.warnings), output: cipherOf(db).seal(p.output) });
}

export function updatePlanResult(db: Db, p: PlanRecord): void {
  db.prepare(`UPDATE plans SET status = @status, state_serial = @stateSerial, state_checksum = @stateChecksum, plan_file_hash = @planFileHash, to_add = @toAdd, to_change = @toChange, to_destroy = @toDestroy,
    changes = @changes, cost = @cost, warnings = @warnings, output = @output, error = @error WHERE id = @id`)
    .run({ ...p, changes: JSON.stringify(p.changes), cost: p.cost === null ? null : JSON.stringify(p.cost), warnings: JSON.stringify(p.warnings), output: cipherOf(db).seal(p.output) });
}

export function getPlan(db: Db, id: string): PlanRecord | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM plans WHERE id = ?`).get(id) as Row | undefined;
  return r && toPlan(db, r);
}

export function latestPlan(db: Db, sessionId: string): PlanRecord | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM plans WHERE session_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`).get(sessionId) as Row | undefined;
  return r && toPlan(db, r);
}

export function setPlanStatus(db: Db, id: string, from: PlanStatus, to: PlanStatus): boolean {
  return db.prepare('UPDATE plans SET status = ? WHERE id = ? AND status = ?').run(to, id, from).changes === 1;
}

export function supersedePlans(db: Db, sessionId: string): void {
  db.prepare("UPDATE plans SET status = 'superseded' WHERE session_id = ? AND status IN ('succeeded','running')").run(sessionId);
}

export function setBudgetOverride(db: Db, id: string, userId: string): void {
  db.prepare('UPDATE plans SET budget_override_by = ? WHERE id = ?').run(userId, id);
}

export function savePlanArtifact(db: Db, planId: string, a: PlanArtifact): void {
  db.prepare('UPDATE plans SET plan_bytes = ?, lock_file = ? WHERE id = ?').run(cipherOf(db).seal(a.planBytes), a.lockFile, planId);
}

export function getPlanArtifact(db: Db, planId: string): PlanArtifact | undefined {
  const r = db.prepare('SELECT plan_bytes, lock_file FROM plans WHERE id = ? AND plan_bytes IS NOT NULL').get(planId) as { plan_bytes: Buffer; lock_file: string | null } | undefined;
  // A plan file is bytes even in clear; its sha256 is checked against the reviewed plan before apply.
  return r && { planBytes: cipherOf(db).open(r.plan_bytes, `the plan file of plan ${planId}`, 'bytes'), lockFile: r.lock_file };
}
