import type { Sql } from './sql.js';
import type { ProjectKey } from '../domain/projects.js';
import type { DeploymentStatus, Deployment } from '../domain/runs.js';
import type { Money } from '../domain/money.js';

interface Row {
  id: string; project_id: ProjectKey; session_id: string; plan_id: string; user_id: string; approver_name: string | null; status: DeploymentStatus; resources_count: number;
  to_add: number; to_change: number; to_destroy: number; resource_types: string; monthly_cost_micros: Money | null; state_serial: number | null;
  commit_hash: string | null; error: string | null; started_at: string; finished_at: string | null; duration_ms: number | null; fence: number | null; terraform_exit: number | null; terraform_started_at: string | null;
}

const toDeployment = (r: Row): Deployment => ({
  id: r.id, projectId: r.project_id, sessionId: r.session_id, planId: r.plan_id, userId: r.user_id, approverName: r.approver_name, status: r.status,
  resourcesCount: r.resources_count, toAdd: r.to_add, toChange: r.to_change, toDestroy: r.to_destroy,
  resourceTypes: JSON.parse(r.resource_types) as string[], monthlyCostMicros: r.monthly_cost_micros, stateSerial: r.state_serial,
  commitHash: r.commit_hash, error: r.error, startedAt: r.started_at, finishedAt: r.finished_at, durationMs: r.duration_ms, fence: r.fence, terraformExit: r.terraform_exit, terraformStartedAt: r.terraform_started_at,
});

export async function insertDeployment(q: Sql, d: Deployment): Promise<void> {
  await q.run(`INSERT INTO deployments (id, project_id, session_id, plan_id, user_id, approver_name, status, resources_count, to_add, to_change, to_destroy, resource_types, monthly_cost_micros, state_serial, commit_hash, error, started_at, finished_at, duration_ms, fence)
    VALUES (@id, @projectId, @sessionId, @planId, @userId, @approverName, @status, @resourcesCount, @toAdd, @toChange, @toDestroy, @resourceTypes, @monthlyCostMicros, @stateSerial, @commitHash, @error, @startedAt, @finishedAt, @durationMs, @fence)`,
    { ...d, resourceTypes: JSON.stringify(d.resourceTypes) });
}

export async function finishDeployment(q: Sql, id: string, f: { status: DeploymentStatus; stateSerial: number | null; error: string | null; finishedAt: string; durationMs: number }): Promise<void> {
  await q.run(`UPDATE deployments SET status = ?, state_serial = ?, error = ?, finished_at = ?, duration_ms = ? WHERE id = ? AND status = 'running'`,
    [f.status, f.stateSerial, f.error, f.finishedAt, f.durationMs, id]);
}

/** A single in-place write, so it still fits when the disk is too full for the rest of the recording. */
export async function setTerraformExit(q: Sql, id: string, exitCode: number | null): Promise<void> {
  await q.run("UPDATE deployments SET terraform_exit = ? WHERE id = ? AND status = 'running'", [exitCode, id]);
}

export async function setDeploymentCommit(q: Sql, id: string, commitHash: string): Promise<void> {
  await q.run('UPDATE deployments SET commit_hash = ? WHERE id = ?', [commitHash, id]);
}

export async function getDeploymentBySession(q: Sql, sessionId: string): Promise<Deployment | undefined> {
  const r = await q.get<Row>('SELECT * FROM deployments WHERE session_id = ? ORDER BY started_at DESC LIMIT 1', [sessionId]);
  return r && toDeployment(r);
}

export async function listDeployments(q: Sql, projectId: ProjectKey, limit = 50): Promise<Deployment[]> {
  return (await q.all<Row>('SELECT * FROM deployments WHERE project_id = ? ORDER BY started_at DESC LIMIT ?', [projectId, limit])).map(toDeployment);
}

export async function listRunningDeployments(q: Sql): Promise<Deployment[]> {
  return (await q.all<Row>("SELECT * FROM deployments WHERE status = 'running'")).map(toDeployment);
}

export async function setDeploymentFence(q: Sql, id: string, from: number, to: number): Promise<boolean> {
  return (await q.run("UPDATE deployments SET fence = ? WHERE id = ? AND fence = ? AND status = 'running'", [to, id, from])) === 1;
}

export async function setTerraformStarted(q: Sql, id: string, at: string): Promise<void> {
  await q.run("UPDATE deployments SET terraform_started_at = ? WHERE id = ? AND status = 'running'", [at, id]);
}
