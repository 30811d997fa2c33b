import { CoreError } from '../domain/errors.js';
import type { ResourceSpec } from '../domain/resources.js';

/** Above any size a cloud sells as one disk, bucket estimate or database (10 PB). */
export const MAX_GB = 10_000_000;

const badGb = (v: unknown): boolean => typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_GB;
const badCount = (v: number | undefined): boolean => v !== undefined && (!Number.isFinite(v) || v <= 0 || v > 100_000);

function gbProblem(field: string, v: unknown): string {
  return `${field} must be a number of GB from 0 to ${MAX_GB.toLocaleString('en-US')}, got ${String(v)}`;
}

/** Sizes feed exact arithmetic: reject what would make NaN or absurd money instead of pricing it. */
export function assertPriceable(spec: ResourceSpec): void {
  // Checked without allocating on the (usual) valid path; problems are collected only once something is wrong.
  let problems: string[] | undefined;
  if (spec.type === 'compute_vm') {
    if (badGb(spec.disk_size_gb)) (problems ??= []).push(gbProblem('disk_size_gb', spec.disk_size_gb));
    if (badCount(spec.cpu)) (problems ??= []).push(`cpu must be a positive number, got ${String(spec.cpu)}`);
    if (badCount(spec.memory_gb)) (problems ??= []).push(`memory_gb must be a positive number, got ${String(spec.memory_gb)}`);
  } else if (spec.type === 'database' || spec.type === 'storage_bucket') {
    if (badGb(spec.storage_gb)) (problems ??= []).push(gbProblem('storage_gb', spec.storage_gb));
  }
  if (problems) throw new CoreError('validation', `${spec.name}: ${problems.join('; ')}`, problems);
}
