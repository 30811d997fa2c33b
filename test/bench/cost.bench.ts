import { CostEstimator, loadPriceBook } from '../../src/cost/index.js';
import type { Provider, ResourceSpec } from '../../src/resources/types.js';

const PRICING = new URL('../../pricing/', import.meta.url).pathname;

/** 10,000 mixed specs: VMs, databases, buckets and free resources across the four providers. */
function specs(): Array<{ provider: Provider; spec: ResourceSpec }> {
  const base: Array<{ provider: Provider; spec: ResourceSpec }> = [
    { provider: 'gcp', spec: { type: 'compute_vm', name: 'vm', region: 'us-central1', zone: 'us-central1-a', machine_type: 'e2-standard-4', disk_size_gb: 200, disk_type: 'pd-balanced', image: 'debian-cloud/debian-12' } },
    { provider: 'aws', spec: { type: 'compute_vm', name: 'vm', region: 'us-east-1', zone: 'us-east-1a', machine_type: 't3.medium', disk_size_gb: 50, disk_type: 'gp2', image: 'ubuntu-24.04' } },
    { provider: 'azure', spec: { type: 'compute_vm', name: 'vm', region: 'eastus', zone: '1', machine_type: 'Standard_B2s', disk_size_gb: 30, disk_type: 'StandardSSD_LRS', image: 'ubuntu-24.04' } },
    { provider: 'gcp', spec: { type: 'database', name: 'db-prod', region: 'us-central1', engine: 'postgres', version: '16', tier: 'db-custom-2-7680', storage_gb: 100, backups_enabled: true, high_availability: true } },
    { provider: 'aws', spec: { type: 'storage_bucket', name: 'bk', region: 'us-east-1', storage_class: 'STANDARD', versioning: false, lifecycle_days: 30, storage_gb: 60000 } },
    { provider: 'sandbox', spec: { type: 'vpc_network', name: 'net', region: 'local', cidr: '10.0.0.0/16', subnets: [], dns_enabled: true } },
  ];
  return Array.from({ length: 10_000 }, (_, i) => {
    const b = base[i % base.length]!;
    return { provider: b.provider, spec: { ...b.spec, name: `${b.spec.name}-${i}` } as ResourceSpec };
  });
}

const time = (fn: () => void): number => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

export async function benchCost(): Promise<Array<{ name: string; value: number; unit: string; reference?: number; ratio?: number; note?: string }>> {
  const input = specs();
  const estimator = new CostEstimator(loadPriceBook(PRICING));
  estimator.estimateResource(input[0]!.provider, input[0]!.spec); // warm the JIT and per-region caches once
  const clone = time(() => void JSON.parse(JSON.stringify(input)));
  const estimate = time(() => {
    for (const { provider, spec } of input) estimator.estimateResource(provider, spec);
  });
  return [
    { name: 'estimate 10,000 mixed resources', value: Math.round(estimate * 100) / 100, unit: 'ms', reference: Math.round(clone * 100) / 100, ratio: Math.round((estimate / clone) * 100) / 100, note: 'reference = JSON-clone of the same 10,000 specs (a floor); target < 100 ms on one core' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchCost(), null, 2));
