import { CostEstimator, loadPriceBook } from '../../../src/cost/index.js';
import type { Provider, ResourceSpec } from '../../../src/domain/resources.js';

export const PRICING_DIR = new URL('../../../pricing/', import.meta.url).pathname;
export const FIXTURES = new URL('../../fixtures/pricing/', import.meta.url).pathname;
export const estimator = new CostEstimator(loadPriceBook(PRICING_DIR));

export const vm = (region: string, machine_type: string, extra: Partial<ResourceSpec> = {}): ResourceSpec =>
  ({ type: 'compute_vm', name: 'vm-1', region, zone: '', machine_type, disk_size_gb: 0, disk_type: '', image: 'img', ...extra }) as ResourceSpec;

export const db = (region: string, tier: string, extra: Record<string, unknown> = {}): ResourceSpec =>
  ({ type: 'database', name: 'db-1', region, engine: 'postgres', version: '16', tier, storage_gb: 0, backups_enabled: false, high_availability: false, ...extra }) as ResourceSpec;

export const bucket = (region: string, storage_class: string, storage_gb: number, extra: Record<string, unknown> = {}): ResourceSpec =>
  ({ type: 'storage_bucket', name: 'bucket-1', region, storage_class, versioning: false, lifecycle_days: null, storage_gb, ...extra }) as ResourceSpec;

/** Hourly list price of a bare VM (no disk), as the breakdown states it. */
export const hourlyOf = (provider: Provider, region: string, machineType: string) =>
  estimator.estimateResource(provider, vm(region, machineType)).breakdown[0]!.unit_price_usd;
