import { CoreError } from '../core/errors.js';
import type { ResourceSpec } from '../resources/types.js';

/** Above any size a cloud sells as one disk, bucket estimate or database (10 PB). */
export const MAX_GB = 10_000_000;

function checkGb(field: string, v: unknown, problems: string[]) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_GB) {
    problems.push(`${field} must be a number of GB from 0 to ${MAX_GB.toLocaleString('en-US')}, got ${String(v)}`);
  }
}

/** Sizes feed exact arithmetic: reject what would make NaN or absurd money instead of pricing it. */
export function assertPriceable(spec: ResourceSpec): void {
  const problems: string[] = [];
  if (spec.type === 'compute_vm') checkGb('disk_size_gb', spec.disk_size_gb, problems);
  if (spec.type === 'database') checkGb('storage_gb', spec.storage_gb, problems);
  if (spec.type === 'storage_bucket') checkGb('storage_gb', spec.storage_gb, problems);
  if (spec.type === 'compute_vm') {
    for (const f of ['cpu', 'memory_gb'] as const) {
      const v = spec[f];
      if (v !== undefined && (!Number.isFinite(v) || v <= 0 || v > 100_000)) problems.push(`${f} must be a positive number, got ${String(v)}`);
    }
  }
  if (problems.length) throw new CoreError('validation', `${spec.name}: ${problems.join('; ')}`, problems);
}
