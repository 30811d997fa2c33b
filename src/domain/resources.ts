export const PROVIDERS = ['gcp', 'aws', 'azure', 'sandbox'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** What a firewall rule's `network` says for the provider's own default network (no vpc_network of ours). */
export const DEFAULT_NETWORK = 'default';

export const RESOURCE_TYPES = ['compute_vm', 'database', 'vpc_network', 'storage_bucket', 'firewall_rule'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const RESOURCE_TYPE_LABELS: Record<ResourceType, string> = {
  compute_vm: 'Virtual Machine',
  database: 'Database',
  vpc_network: 'VPC Network',
  storage_bucket: 'Storage Bucket',
  firewall_rule: 'Firewall Rule',
};

/** A type's label, or the type itself for one this version does not know (an old row, a newer writer). */
export const resourceTypeLabel = (type: string): string => RESOURCE_TYPE_LABELS[type as ResourceType] ?? type;

export const PROVIDER_LABELS: Record<Provider, string> = { gcp: 'GCP', aws: 'AWS', azure: 'Azure', sandbox: 'Sandbox' };

/** A machine (or database instance class) shape; shared-core types bill a fraction of a vCPU. */
export interface MachineShape {
  family: string;
  vcpu: number;
  memory_gb: number;
  /** Fraction of a vCPU billed for shared-core types (GCP e2-micro = 0.25), when it differs from vcpu. */
  billed_vcpu?: number;
}

/**
 * Key/value labels a resource carries into its cloud (GCP labels, AWS and Azure tags), on every type. Keys are
 * sorted and no labels is absent, never `{}`, so equal label sets are equal specs.
 */
export type Labels = Record<string, string>;

export interface ComputeVmSpec {
  type: 'compute_vm';
  name: string;
  region: string;
  zone: string;
  machine_type: string;
  disk_size_gb: number;
  disk_type: string;
  image: string;
  cpu?: number;
  memory_gb?: number;
  /** Sandbox only: seconds the fictional VM takes to boot, so demos and tests see a slow apply. */
  boot_seconds?: number;
  labels?: Labels;
}

export interface DatabaseSpec {
  type: 'database';
  name: string;
  region: string;
  engine: 'postgres' | 'mysql';
  version: string;
  tier: string;
  storage_gb: number;
  backups_enabled: boolean;
  high_availability: boolean;
  labels?: Labels;
}

export interface Subnet {
  name: string;
  cidr: string;
}

export interface VpcNetworkSpec {
  type: 'vpc_network';
  name: string;
  region: string;
  cidr: string;
  subnets: Subnet[];
  dns_enabled: boolean;
  labels?: Labels;
}

export interface StorageBucketSpec {
  type: 'storage_bucket';
  name: string;
  region: string;
  storage_class: string;
  versioning: boolean;
  /** Days after which objects move to a colder class (or are deleted on the coldest); null = no rule. */
  lifecycle_days: number | null;
  /** Expected stored data, used only for the cost estimate. */
  storage_gb: number;
  /** Azure only: LRS or GRS. */
  replication?: 'LRS' | 'GRS';
  labels?: Labels;
  /** Anyone on the internet may read its objects. Absent means private: a parsed spec never holds false. */
  public_access?: boolean;
}

export interface FirewallRuleSpec {
  type: 'firewall_rule';
  name: string;
  region: string;
  /** Name of a vpc_network in the same configuration, or "default". */
  network: string;
  direction: 'ingress' | 'egress';
  protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  /** Single ports or ranges ("22", "8000-8080"); empty for icmp/all. */
  ports: string[];
  source_ranges: string[];
  priority: number;
  labels?: Labels;
}

export type ResourceSpec = ComputeVmSpec | DatabaseSpec | VpcNetworkSpec | StorageBucketSpec | FirewallRuleSpec;
export type SpecOf<T extends ResourceType> = Extract<ResourceSpec, { type: T }>;
