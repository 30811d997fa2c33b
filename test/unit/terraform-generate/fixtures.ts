/**
 * Representative, valid specs per provider: one case per resource type, a combined config, every type
 * labelled (where each cloud takes labels, and where it has none) and a public bucket.
 */
import type { Provider, ResourceSpec, ResourceType } from '../../../src/domain/resources.js';

type Cases = Record<ResourceType | 'combined' | 'labelled' | 'public_bucket', ResourceSpec[]>;

/** Sorted by key, as parseSpec leaves them; the quoted key checks `terraform fmt` alignment. */
const labels = { 'cost-center': '4711', environment: 'dev', owner: 'alice' };

const vpc = (region: string, cidr = '10.10.0.0/16'): ResourceSpec => ({
  type: 'vpc_network', name: 'core', region, cidr, dns_enabled: true,
  subnets: [{ name: 'app', cidr: cidr.replace(/\.0\.0\/16$/, '.1.0/24') }, { name: 'data', cidr: cidr.replace(/\.0\.0\/16$/, '.2.0/24') }],
});

const firewall = (region: string, network: string): ResourceSpec[] => [
  { type: 'firewall_rule', name: 'allow-ssh', region, network, direction: 'ingress', protocol: 'tcp', ports: ['22', '8000-8080'], source_ranges: ['203.0.113.0/24', '198.51.100.7/32'], priority: 1000 },
  { type: 'firewall_rule', name: 'allow-ping', region, network, direction: 'ingress', protocol: 'icmp', ports: [], source_ranges: ['0.0.0.0/0'], priority: 1100 },
  { type: 'firewall_rule', name: 'egress-all', region, network, direction: 'egress', protocol: 'all', ports: [], source_ranges: ['0.0.0.0/0'], priority: 4000 },
];

function cases(p: {
  region: string; zone: string; vm: object; customVm?: object; db: object; mysql: object; bucket: object; coldBucket: object;
}): Cases {
  const base = { region: p.region };
  const vm = { type: 'compute_vm', name: 'web', ...base, zone: p.zone, ...p.vm } as ResourceSpec;
  const vms = [vm, ...(p.customVm ? [{ type: 'compute_vm', name: 'worker', ...base, zone: p.zone, ...p.customVm } as ResourceSpec] : [])];
  const dbs = [
    { type: 'database', name: 'orders', ...base, engine: 'postgres', high_availability: false, backups_enabled: true, ...p.db } as ResourceSpec,
    { type: 'database', name: 'legacy', ...base, engine: 'mysql', high_availability: true, backups_enabled: false, ...p.mysql } as ResourceSpec,
  ];
  const buckets = [
    { type: 'storage_bucket', name: 'assets', ...base, versioning: true, lifecycle_days: 30, storage_gb: 100, ...p.bucket } as ResourceSpec,
    { type: 'storage_bucket', name: 'archive', ...base, versioning: false, lifecycle_days: 365, storage_gb: 1000, ...p.coldBucket } as ResourceSpec,
  ];
  return {
    compute_vm: vms,
    database: dbs,
    vpc_network: [vpc(p.region)],
    storage_bucket: buckets,
    firewall_rule: firewall(p.region, 'default'),
    // Input order is deliberately not type order: the generator sorts by type, then input order.
    combined: [buckets[0]!, vm, firewall(p.region, 'core')[0]!, vpc(p.region), dbs[0]!, firewall(p.region, 'core')[2]!],
    labelled: [vm, dbs[0]!, buckets[0]!, vpc(p.region), firewall(p.region, 'core')[0]!].map((s) => ({ ...s, labels })),
    public_bucket: [{ ...buckets[0]!, public_access: true } as ResourceSpec],
  };
}

export const FIXTURES: Record<Exclude<Provider, 'sandbox'>, Cases> & { sandbox: Cases } = {
  gcp: cases({
    region: 'us-central1', zone: 'us-central1-a',
    vm: { machine_type: 'e2-medium', disk_size_gb: 20, disk_type: 'pd-balanced', image: 'debian-cloud/debian-12' },
    customVm: { machine_type: 'n2-custom', cpu: 4, memory_gb: 12.5, disk_size_gb: 50, disk_type: 'pd-ssd', image: 'ubuntu-os-cloud/ubuntu-2404-lts-amd64' },
    db: { version: '16', tier: 'db-custom-2-7680', storage_gb: 20 },
    mysql: { version: '8.0', tier: 'db-f1-micro', storage_gb: 10 },
    bucket: { storage_class: 'STANDARD' },
    coldBucket: { storage_class: 'ARCHIVE' },
  }),
  aws: cases({
    region: 'us-east-1', zone: 'us-east-1a',
    vm: { machine_type: 't3.medium', disk_size_gb: 20, disk_type: 'gp3', image: 'ubuntu-24.04' },
    customVm: { machine_type: 't4g.small', disk_size_gb: 30, disk_type: 'gp3', image: 'amazon-linux-2023' },
    db: { version: '16', tier: 'db.t3.micro', storage_gb: 20 },
    mysql: { version: '8.0', tier: 'db.m6i.large', storage_gb: 100 },
    bucket: { storage_class: 'STANDARD' },
    coldBucket: { storage_class: 'STANDARD_IA' },
  }),
  azure: cases({
    region: 'eastus', zone: '1',
    vm: { machine_type: 'Standard_B2s', disk_size_gb: 30, disk_type: 'StandardSSD_LRS', image: 'ubuntu-24.04' },
    customVm: { machine_type: 'Standard_D2s_v5', disk_size_gb: 64, disk_type: 'Premium_LRS', image: 'debian-12' },
    db: { version: '16', tier: 'B_Standard_B1ms', storage_gb: 32 },
    mysql: { version: '8.0.21', tier: 'GP_Standard_D2ds_v4', storage_gb: 100 },
    bucket: { storage_class: 'Hot', replication: 'LRS' },
    coldBucket: { storage_class: 'Archive', replication: 'GRS' },
  }),
  sandbox: cases({
    region: 'local', zone: 'local-a',
    vm: { machine_type: 'small', disk_size_gb: 10, disk_type: 'standard', image: 'debian-12' },
    customVm: { machine_type: 'medium', disk_size_gb: 20, disk_type: 'ssd', image: 'ubuntu-24.04', boot_seconds: 2 },
    db: { version: '16', tier: 'small', storage_gb: 10 },
    mysql: { version: '8.4', tier: 'medium', storage_gb: 20 },
    bucket: { storage_class: 'standard' },
    coldBucket: { storage_class: 'cold' },
  }),
};

/**
 * Azure westus has no availability zones: a VM there, a PostgreSQL server and an HA MySQL server as the lobby
 * writes them (a blank zone leaves the region's name in `zone`).
 */
export const AZURE_ZONELESS: ResourceSpec[] = (() => {
  const at = (s: ResourceSpec): ResourceSpec => ({ ...s, region: 'westus', ...(s.type === 'compute_vm' ? { zone: 'westus' } : {}) } as ResourceSpec);
  return [...FIXTURES.azure.compute_vm.slice(0, 1), ...FIXTURES.azure.database].map(at);
})();

/** A project's labels (ProjectSettings.labels); the VM of PROJECT_LABELLED gives its own `owner`, which must win. */
export const PROJECT_LABELS = { environment: 'prod', owner: 'web' };

/** Per provider, the combined configuration of a project with labels: its VM labelled too, everything else not. */
export const PROJECT_LABELLED = Object.fromEntries(Object.entries(FIXTURES).map(([p, c]) => [p, c.combined.map((s) =>
  (s.type === 'compute_vm' ? { ...s, labels: { owner: 'alice', tier: 'frontend' } } : s))])) as Record<Provider, ResourceSpec[]>;
