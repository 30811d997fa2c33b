import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { CostEstimator, loadPriceBook } from '../../src/cost/index.js';
import { CATALOGS } from '../../src/resources/catalogs/index.js';
import type { Provider, ResourceSpec } from '../../src/domain/resources.js';

const PRICING = new URL('../../pricing/', import.meta.url).pathname;

type Input = Array<{ provider: Provider; spec: ResourceSpec }>;

/** 10,000 mixed specs: VMs, databases, buckets and free resources across the four providers. */
function specs(): Input {
  const base: Input = [
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

/**
 * 10,000 specs that are all different where it matters for price: machine types cycle through each catalog and
 * every disk, database and bucket has its own size, so the estimator's result memo almost never hits.
 */
function variedSpecs(offset = 0): Input {
  const types = (p: Provider) => Object.keys(CATALOGS[p].machineTypes);
  const [gcp, aws, azure] = [types('gcp'), types('aws'), types('azure')];
  return Array.from({ length: 10_000 }, (_, n): Input[number] => {
    const i = n + offset;
    switch (n % 6) {
      case 0:
        return { provider: 'gcp', spec: { type: 'compute_vm', name: `vm-${i}`, region: 'us-central1', zone: 'us-central1-a', machine_type: gcp[i % gcp.length]!, disk_size_gb: 10 + i, disk_type: 'pd-balanced', image: 'debian-cloud/debian-12' } };
      case 1:
        return { provider: 'aws', spec: { type: 'compute_vm', name: `vm-${i}`, region: 'us-east-1', zone: 'us-east-1a', machine_type: aws[i % aws.length]!, disk_size_gb: 8 + i, disk_type: 'gp2', image: 'ubuntu-24.04' } };
      case 2:
        return { provider: 'azure', spec: { type: 'compute_vm', name: `vm-${i}`, region: 'eastus', zone: '1', machine_type: azure[i % azure.length]!, disk_size_gb: 30 + i, disk_type: 'StandardSSD_LRS', image: 'ubuntu-24.04' } };
      case 3:
        return { provider: 'gcp', spec: { type: 'database', name: `db-${i}-prod`, region: 'us-central1', engine: 'postgres', version: '16', tier: `db-custom-${2 + 2 * (i % 8)}-${(2 + 2 * (i % 8)) * 3840 + 256 * (i % 4)}`, storage_gb: 10 + i, backups_enabled: true, high_availability: i % 12 === 3 } };
      case 4:
        return { provider: 'aws', spec: { type: 'storage_bucket', name: `bk-${i}`, region: 'us-east-1', storage_class: 'STANDARD', versioning: false, lifecycle_days: 30, storage_gb: 50_000 + 7 * i } };
      default:
        return { provider: 'sandbox', spec: { type: 'vpc_network', name: `net-${i}`, region: 'local', cidr: '10.0.0.0/16', subnets: [], dns_enabled: true } };
    }
  });
}

const time = (fn: () => void): number => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

const round = (v: number) => Math.round(v * 100) / 100;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const estimateAll = (estimator: CostEstimator, input: Input) =>
  time(() => {
    for (const { provider, spec } of input) estimator.estimateResource(provider, spec);
  });

/**
 * A long-running bot or CLI batch: the process has already estimated other resources (JIT warm), but every
 * pass uses a fresh estimator, so none of the measured specs are in its caches. Median of 5 passes, each
 * against a JSON-clone of the same input as the floor.
 */
function measureWarm(input: Input, warmUp: Input): { estimate: number; clone: number } {
  estimateAll(new CostEstimator(loadPriceBook(PRICING)), warmUp);
  const estimates: number[] = [];
  const clones: number[] = [];
  for (let i = 0; i < 5; i++) {
    clones.push(time(() => void JSON.parse(JSON.stringify(input))));
    estimates.push(estimateAll(new CostEstimator(loadPriceBook(PRICING)), input));
  }
  return { estimate: median(estimates), clone: median(clones) };
}

/** The very first pass of a new process (JIT cold too), measured in a child so nothing here has warmed it. */
function firstPassInFreshProcess(): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--first-pass'], { encoding: 'utf8' });
  return Number(out.trim());
}

export async function benchCost(): Promise<Array<{ name: string; value: number; unit: string; reference?: number; ratio?: number; note?: string }>> {
  const mixed = measureWarm(specs(), variedSpecs(20_000));
  const varied = measureWarm(variedSpecs(), variedSpecs(20_000));
  const first = firstPassInFreshProcess();
  return [
    { name: 'estimate 10,000 mixed resources', value: round(mixed.estimate), unit: 'ms', reference: round(mixed.clone), ratio: round(mixed.estimate / mixed.clone), note: 'fresh estimator in a warm process, median of 5; reference = JSON-clone of the same specs (a floor); target < 100 ms on one core' },
    { name: 'estimate 10,000 all-different resources', value: round(varied.estimate), unit: 'ms', reference: round(varied.clone), ratio: round(varied.estimate / varied.clone), note: 'every size and machine type differs, so the result memo misses: the uncached path; fresh estimator, warm process, median of 5' },
    { name: 'estimate 10,000 all-different resources, first pass of a new process', value: round(first), unit: 'ms', note: 'includes JIT warm-up: what a one-shot `cloud-engine estimate` of 10,000 resources pays' },
  ];
}

if (process.argv.includes('--first-pass')) {
  const input = variedSpecs();
  console.log(estimateAll(new CostEstimator(loadPriceBook(PRICING)), input));
  process.exit(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(JSON.stringify(await benchCost(), null, 2));
