import type { Sql } from './sql.js';
import type { ProjectKey } from '../domain/projects.js';
import type { Quota } from '../domain/projects.js';
import type { Money } from '../domain/money.js';

interface Row {
  project_id: ProjectKey; max_resources: number | null; max_monthly_cost_micros: Money | null;
  allowed_regions: string | null; allowed_machine_types: string | null; updated_by: string; updated_at: string;
}

export async function getQuota(q: Sql, projectId: ProjectKey): Promise<Quota | undefined> {
  const r = await q.get<Row>('SELECT * FROM quotas WHERE project_id = ?', [projectId]);
  if (!r) return undefined;
  return {
    projectId: r.project_id, maxResources: r.max_resources, maxMonthlyCostMicros: r.max_monthly_cost_micros,
    allowedRegions: r.allowed_regions ? (JSON.parse(r.allowed_regions) as string[]) : null,
    allowedMachineTypes: r.allowed_machine_types ? (JSON.parse(r.allowed_machine_types) as string[]) : null,
    updatedBy: r.updated_by, updatedAt: r.updated_at,
  };
}

export async function upsertQuota(q: Sql, quota: Quota): Promise<void> {
  await q.run(`INSERT INTO quotas (project_id, max_resources, max_monthly_cost_micros, allowed_regions, allowed_machine_types, updated_by, updated_at)
    VALUES (@projectId, @maxResources, @maxMonthlyCostMicros, @regions, @types, @updatedBy, @updatedAt)
    ON CONFLICT (project_id) DO UPDATE SET max_resources = excluded.max_resources, max_monthly_cost_micros = excluded.max_monthly_cost_micros,
      allowed_regions = excluded.allowed_regions, allowed_machine_types = excluded.allowed_machine_types,
      updated_by = excluded.updated_by, updated_at = excluded.updated_at`, {
    projectId: quota.projectId, maxResources: quota.maxResources, maxMonthlyCostMicros: quota.maxMonthlyCostMicros,
    regions: quota.allowedRegions ? JSON.stringify(quota.allowedRegions) : null, types: quota.allowedMachineTypes ? JSON.stringify(quota.allowedMachineTypes) : null,
    updatedBy: quota.updatedBy, updatedAt: quota.updatedAt,
  });
}
