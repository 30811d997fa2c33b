import { z } from 'zod';
import type { ProviderCatalog } from './catalogs/index.js';
import { bool, choice, decimal, flag, int, labels, list, name } from './fields.js';
import type { ComputeVmSpec, DatabaseSpec, FirewallRuleSpec, ResourceType, StorageBucketSpec, VpcNetworkSpec } from '../domain/resources.js';

/** "an AWS", "a GCP": the article for a provider label. */
const an = (label: string) => (/^[AEIOU]/.test(label) ? `an ${label}` : `a ${label}`);

/** Lifecycle rules and bucket sizes: a day to ten years, and up to 10 PB of expected data. */
const LIFECYCLE_MAX_DAYS = 3650;
const BUCKET_MAX_GB = 10_000_000;

const vmShape = (c: ProviderCatalog) => {
  const types = [...Object.keys(c.machineTypes), ...c.customFamilies.map((f) => `${f}-custom`)];
  return {
    type: z.literal('compute_vm'),
    name: name(),
    region: choice('region', Object.keys(c.regions), `${an(c.label)} region`),
    zone: z.string(),
    machine_type: choice('machine_type', types, `${an(c.label)} machine type`, c.defaultMachineType),
    disk_size_gb: int('disk_size_gb', c.diskSizeGb.min, c.diskSizeGb.max, 'GB'),
    disk_type: choice('disk_type', c.diskTypes, `${an(c.label)} disk type`),
    image: z.string(),
    ...(c.customFamilies.length ? { cpu: int('cpu', 1, 224, 'vCPUs').optional(), memory_gb: decimal('memory_gb', 0.5, 896, 'GB').optional() } : {}),
    ...(c.provider === 'sandbox' ? { boot_seconds: int('boot_seconds', 0, 600, 'seconds').optional() } : {}),
    labels: labels().optional(),
  };
};

const dbShape = (c: ProviderCatalog) => ({
  type: z.literal('database'),
  name: name(),
  region: choice('region', Object.keys(c.regions), `${an(c.label)} region`),
  engine: choice('engine', ['postgres', 'mysql'] as const, 'a supported database engine'),
  version: z.string(),
  tier: z.string(),
  storage_gb: int('storage_gb', c.dbStorageGb.min, c.dbStorageGb.max, 'GB'),
  backups_enabled: bool('backups_enabled'),
  high_availability: bool('high_availability'),
  labels: labels().optional(),
});

const subnet = z.object({ name: name('subnets[].name'), cidr: z.string() });

const vpcShape = (c: ProviderCatalog) => ({
  type: z.literal('vpc_network'),
  name: name(),
  region: choice('region', Object.keys(c.regions), `${an(c.label)} region`),
  cidr: z.string(),
  subnets: z.array(subnet, { error: 'subnets must be a list of {name, cidr}' }).max(16, 'subnets: at most 16 subnets per network'),
  dns_enabled: bool('dns_enabled'),
  labels: labels().optional(),
});

const bucketShape = (c: ProviderCatalog) => ({
  type: z.literal('storage_bucket'),
  name: name(),
  region: choice('region', Object.keys(c.regions), `${an(c.label)} region`),
  storage_class: choice('storage_class', c.storageClasses, `${an(c.label)} storage class`),
  versioning: bool('versioning'),
  lifecycle_days: int('lifecycle_days', 1, LIFECYCLE_MAX_DAYS, 'days').nullable(),
  storage_gb: int('storage_gb', 0, BUCKET_MAX_GB, 'GB'),
  ...(c.provider === 'azure' ? { replication: choice('replication', ['LRS', 'GRS'] as const, 'an Azure replication type') } : {}),
  public_access: flag('public_access').optional(),
  labels: labels().optional(),
});

const firewallShape = (c: ProviderCatalog) => ({
  type: z.literal('firewall_rule'),
  name: name(),
  region: choice('region', Object.keys(c.regions), `${an(c.label)} region`),
  network: z.string(),
  direction: choice('direction', ['ingress', 'egress'] as const, 'a traffic direction'),
  protocol: choice('protocol', ['tcp', 'udp', 'icmp', 'all'] as const, 'a protocol'),
  ports: list('ports', 20),
  source_ranges: list('source_ranges', 50),
  priority: int('priority', 100, 4096),
  labels: labels().optional(),
});

/**
 * The domain's spec types (src/domain/resources.ts imports nothing, so it cannot import zod) are exactly
 * what these schemas output: checked both ways, so a field added to one and not the other does not build.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Keys spread in for some providers only (custom CPU, sandbox boot time, Azure replication): optional in the output. */
type SpreadKeys<S> = { [K in keyof S]-?: undefined extends S[K] ? K : never }[keyof S];
type Output<F extends (c: ProviderCatalog) => z.ZodRawShape, S = ReturnType<F>> =
  z.output<z.ZodObject<{ [K in Exclude<keyof S, SpreadKeys<S>>]: S[K] & z.ZodType }>> & { [K in SpreadKeys<S>]?: z.output<Exclude<S[K], undefined> & z.ZodType> };
type Holds<T extends true[]> = T;
export type SchemasMatchDomainTypes = Holds<[
  Same<Output<typeof vmShape>, ComputeVmSpec>, Same<Output<typeof dbShape>, DatabaseSpec>, Same<Output<typeof vpcShape>, VpcNetworkSpec>,
  Same<Output<typeof bucketShape>, StorageBucketSpec>, Same<Output<typeof firewallShape>, FirewallRuleSpec>,
]>;

export function specSchema(c: ProviderCatalog, type: ResourceType) {
  switch (type) {
    case 'compute_vm': return z.object(vmShape(c));
    case 'database': return z.object(dbShape(c));
    case 'vpc_network': return z.object(vpcShape(c));
    case 'storage_bucket': return z.object(bucketShape(c));
    case 'firewall_rule': return z.object(firewallShape(c));
  }
}

/** Defaults for what a user leaves out; region-dependent ones are filled after region is known. */
export function defaultsFor(c: ProviderCatalog, type: ResourceType): Record<string, unknown> {
  const region = c.defaultRegion;
  switch (type) {
    case 'compute_vm':
      return { region, zone: '', machine_type: c.defaultMachineType, disk_size_gb: Math.max(c.diskSizeGb.min, 20), disk_type: c.defaultDiskType, image: c.defaultImage };
    case 'database':
      return { region, engine: 'postgres', version: '', tier: c.defaultDbTier, storage_gb: Math.max(c.dbStorageGb.min, 20), backups_enabled: true, high_availability: false };
    case 'vpc_network':
      return { region, cidr: '10.0.0.0/16', subnets: [], dns_enabled: true };
    case 'storage_bucket':
      return { region, storage_class: c.defaultStorageClass, versioning: false, lifecycle_days: null, storage_gb: 0, ...(c.provider === 'azure' ? { replication: 'LRS' } : {}) };
    case 'firewall_rule':
      return { region, network: 'default', direction: 'ingress', protocol: 'tcp', ports: [], source_ranges: [], priority: 1000 };
  }
}

export const allowedFields = (c: ProviderCatalog, type: ResourceType): string[] => Object.keys(specSchema(c, type).shape);
