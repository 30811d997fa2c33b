import { CATALOGS, type ProviderCatalog } from '../resources/catalogs/index.js';
import { MAX_LABELS } from '../resources/fields.js';
import { allowedFields, specSchema } from '../resources/schemas.js';
import type { FirewallRuleSpec, Provider, ResourceType, StorageBucketSpec } from '../domain/resources.js';

/** How a field is written in a cell, which decides its validation and how a cell is read back. */
export type ColumnKind = 'text' | 'int' | 'decimal' | 'bool' | 'list' | 'subnets' | 'labels';

export interface Column {
  field: string;
  kind: ColumnKind;
  /** The header's note: what the field means, its unit and what is allowed. */
  note: string;
  /** Drop-down values; `open` when the schema also accepts values outside the list (custom tiers, image ids). */
  choices?: string[];
  open?: boolean;
  range?: { min: number; max: number };
}

/** A list the compiler checks against the spec type, so a new enum member cannot be left out of a drop-down. */
const all = <T extends string>() => <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : never)) => [...list];
const DIRECTIONS = all<FirewallRuleSpec['direction']>()(['ingress', 'egress']);
const PROTOCOLS = all<FirewallRuleSpec['protocol']>()(['tcp', 'udp', 'icmp', 'all']);
const REPLICATIONS = all<NonNullable<StorageBucketSpec['replication']>>()(['LRS', 'GRS']);

type Info = Omit<Column, 'field' | 'range'>;

function describe(c: ProviderCatalog, type: ResourceType, field: string): Info {
  const zones = [...new Set(Object.values(c.regions).flat())];
  const zoneless = Object.keys(c.regions).filter((r) => c.regions[r]!.length === 0);
  const versions = Object.entries(c.dbVersions).map(([engine, v]) => `${engine} ${v.join('/')}`).join('; ');
  switch (field) {
    case 'name': return { kind: 'text', note: 'Unique name in the project (across all sheets): 2-63 lowercase letters, digits and hyphens, starting with a letter.' };
    case 'region': return { kind: 'text', note: `${c.label} region the resource runs in. Blank = ${c.defaultRegion}.`, choices: Object.keys(c.regions) };
    case 'zone': return { kind: 'text', note: `Zone inside the row's region. Blank = the region's first zone${zoneless.length ? `; leave it blank in ${zoneless.join(', ')} (no zones)` : ''}.`, choices: zones };
    case 'machine_type': return { kind: 'text', note: `Machine type (vCPUs and memory). Blank = ${c.defaultMachineType}.${c.customFamilies.length ? ' A <family>-custom type needs cpu and memory_gb.' : ''}`, choices: machineTypes(c) };
    case 'disk_size_gb': return { kind: 'int', note: 'Boot disk size, in GB (whole number).' };
    case 'disk_type': return { kind: 'text', note: `Boot disk type. Blank = ${c.defaultDiskType}.`, choices: c.diskTypes };
    case 'image': return { kind: 'text', note: `OS image: one of the list, or ${c.imageHint}. Blank = ${c.defaultImage}.`, choices: c.images, open: true };
    case 'cpu': return { kind: 'int', note: 'vCPUs, for a <family>-custom machine type (on a listed type: the vCPUs you need, for a sizing tip). Blank = none.' };
    case 'memory_gb': return { kind: 'decimal', note: 'Memory in GB (steps of 0.25), for a <family>-custom machine type. Blank = none.' };
    case 'boot_seconds': return { kind: 'int', note: 'Seconds the fictional sandbox VM takes to boot, to see a slow apply. Blank = instant.' };
    case 'engine': return { kind: 'text', note: 'Database engine. Blank = postgres.', choices: Object.keys(c.dbVersions) };
    case 'version': return { kind: 'text', note: `Engine version (${versions}). Blank = the newest for the engine.`, choices: [...new Set(Object.values(c.dbVersions).flat())] };
    case 'tier': return { kind: 'text', note: `Instance class (vCPUs and memory). Blank = ${c.defaultDbTier}.${c.provider === 'gcp' ? ' Custom: db-custom-<vCPUs>-<MiB>.' : ''}`, choices: Object.keys(c.dbTiers), open: c.provider === 'gcp' };
    case 'storage_gb': return type === 'database'
      ? { kind: 'int', note: 'Database storage, in GB (whole number).' }
      : { kind: 'int', note: 'Expected stored data, in GB (whole number); used only for the cost estimate. Blank = 0.' };
    case 'backups_enabled': return { kind: 'bool', note: 'Automated backups: TRUE or FALSE. Blank = TRUE.' };
    case 'high_availability': return { kind: 'bool', note: 'A standby replica in another zone: TRUE or FALSE. Blank = FALSE.' };
    case 'cidr': return { kind: 'text', note: "The network's IPv4 range, a.b.c.d/nn with a prefix /8 to /28. Blank = 10.0.0.0/16." };
    case 'subnets': return { kind: 'subnets', note: 'Subnets as name:cidr pairs separated by commas, each inside the network, e.g. app:10.0.1.0/24, db:10.0.2.0/24. Blank = none.' };
    case 'dns_enabled': return { kind: 'bool', note: 'Private DNS for the network: TRUE or FALSE. Blank = TRUE.' };
    case 'storage_class': return { kind: 'text', note: `Storage class. Blank = ${c.defaultStorageClass}.`, choices: c.storageClasses };
    case 'versioning': return { kind: 'bool', note: 'Keep old versions of objects: TRUE or FALSE. Blank = FALSE.' };
    case 'lifecycle_days': return { kind: 'int', note: 'Days after which objects move to a colder class (or are deleted on the coldest). Blank = no rule.' };
    case 'replication': return { kind: 'text', note: 'Azure replication: LRS (one datacenter) or GRS (a second region). Blank = LRS.', choices: REPLICATIONS };
    case 'network': return { kind: 'text', note: 'Name of a VPC network on the "VPC Network" sheet, or default.' };
    case 'direction': return { kind: 'text', note: 'Traffic direction. Blank = ingress.', choices: DIRECTIONS };
    case 'protocol': return { kind: 'text', note: 'Protocol. Blank = tcp.', choices: PROTOCOLS };
    case 'ports': return { kind: 'list', note: 'Ports or ranges separated by commas, e.g. 22, 443, 8000-8080; blank for icmp and all.' };
    case 'source_ranges': return { kind: 'list', note: 'Source IPv4 ranges (CIDR) separated by commas; 0.0.0.0/0 means anywhere.' };
    case 'priority': return { kind: 'int', note: 'Rule priority: lower numbers are evaluated first. Blank = 1000.' };
    case 'public_access': return { kind: 'bool', note: 'Anyone on the internet may read its objects (not list or change them): TRUE or FALSE. Blank = FALSE (private).' };
    case 'labels': return { kind: 'labels', note: `Labels (tags on AWS and Azure) as key=value pairs separated by commas, e.g. owner=alice, environment=prod; at most ${MAX_LABELS}. Keys and values: lowercase letters, digits, _ and -, at most 63 characters; keys start with a letter. Blank = none.` };
    default: throw new Error(`sheets: no column description for ${type}.${field}; add it to columns.ts`);
  }
}

const machineTypes = (c: ProviderCatalog) => [...Object.keys(c.machineTypes), ...c.customFamilies.map((f) => `${f}-custom`)];

/**
 * The numbers a field's schema accepts, found by asking the schema itself (a binary search on a
 * 0.01 grid), so the spreadsheet's range validation cannot drift from what import accepts.
 */
function acceptedRange(accepts: (n: number) => boolean, decimals: boolean): { min: number; max: number } {
  const scale = decimals ? 100 : 1;
  const ok = (k: number) => accepts(k / scale);
  const seed = [1, 0, 100, 1000].map((n) => n * scale).find(ok);
  if (seed === undefined) throw new Error('sheets: numeric field accepts none of 0, 1, 100, 1000');
  const edge = (inside: number, outside: number) => {
    while (Math.abs(outside - inside) > 1) {
      const mid = Math.trunc((inside + outside) / 2);
      if (ok(mid)) inside = mid;
      else outside = mid;
    }
    return inside / scale;
  };
  return { min: edge(seed, -(2 ** 40)), max: edge(seed, 2 ** 40) };
}

/** The sheet's columns for a provider and type: the schema's fields (minus `type`), described. */
export function columnsFor(provider: Provider, type: ResourceType): Column[] {
  const c = CATALOGS[provider];
  const shape = specSchema(c, type).shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  return allowedFields(c, type).filter((f) => f !== 'type').map((field) => {
    const info = describe(c, type, field);
    if (info.kind !== 'int' && info.kind !== 'decimal') return { field, ...info };
    const range = acceptedRange((n) => shape[field]!.safeParse(n).success, info.kind === 'decimal');
    return { field, ...info, range };
  });
}
