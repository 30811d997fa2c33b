import { validationError } from '../../core/errors.js';
import { CATALOGS, type ProviderCatalog } from '../../resources/index.js';
import { PROVIDER_LABELS, RESOURCE_TYPE_LABELS, type Provider, type ResourceType } from '../../resources/types.js';
import { many, one, pair, select, selectOrText, text, MAX_SELECT_OPTIONS, type FieldDef, type FieldValues } from './fields.js';

/** What a form needs to know about the session it adds to. */
export interface FormContext {
  provider: Provider;
  /** Region for types whose modal has no region input: the session's, else the provider default. */
  region: string;
  /** vpc_network names in the session, offered to firewall rules. */
  networks: string[];
}

export interface ResourceForm {
  title: string;
  fields: FieldDef[];
  /** Modal values → the raw spec parseSpec validates (strings are fine; blanks take defaults). */
  toRaw(values: FieldValues): Record<string, unknown>;
}

const NAME = text('name', 'Name', 'lowercase letters, digits and hyphens, e.g. web-1', true, { maxLength: 63 });

function regionOf(c: ProviderCatalog, location: string): { region: string; zone?: string } {
  if (location in c.regions) return { region: location };
  const region = Object.keys(c.regions).find((r) => c.regions[r]!.includes(location));
  return region ? { region, zone: location } : { region: location };
}

function locationField(c: ProviderCatalog, region: string): FieldDef {
  const zones = Object.entries(c.regions).flatMap(([r, zs]) => (zs.length ? zs : [r]));
  const chosen = c.regions[region]?.[0] ?? region;
  if (zones.length > MAX_SELECT_OPTIONS) return text('location', 'Region or zone', `${chosen} (a ${c.label} region or zone)`);
  return select('location', 'Zone', zones, chosen);
}

/** Only the inputs that were filled: a field this provider's spec lacks must not appear at all. */
const given = (v: FieldValues, ...ids: string[]) => Object.fromEntries(ids.map((id) => [id, one(v, id)]).filter(([, value]) => value !== ''));

/** The fifth input differs: custom shapes where the provider has them, the boot delay on sandbox, else the image. */
function vmExtraField(c: ProviderCatalog): FieldDef {
  if (c.customFamilies.length) return text('shape', 'CPU and memory (custom types only)', '4, 16 (vCPUs, GB)');
  if (c.provider === 'sandbox') return text('boot_seconds', 'Boot time in seconds (sandbox)', '0 (a slow create, to watch the apply stream)');
  return text('image', 'Image', `${c.defaultImage} (or ${c.imageHint})`);
}

function vmForm(c: ProviderCatalog, ctx: FormContext): ResourceForm {
  const machineHint = c.customFamilies.length ? `${c.defaultMachineType}, or ${c.customFamilies[0]}-custom with CPU and memory below` : undefined;
  return {
    title: 'Virtual Machine',
    fields: [
      NAME,
      selectOrText('machine_type', 'Machine type', Object.keys(c.machineTypes), c.defaultMachineType, machineHint),
      text('disk', 'Disk: size GB, type', `20, ${c.defaultDiskType} (types: ${c.diskTypes.join(', ')})`),
      locationField(c, ctx.region),
      vmExtraField(c),
    ],
    toRaw: (v) => {
      const shape = pair(one(v, 'shape'), 'cpu and memory', '4, 16');
      const disk = one(v, 'disk').split(/[\s,]+/).filter(Boolean);
      if (disk.length > 2) throw validationError([`disk: write the size and optionally the type, like '50, ${c.defaultDiskType}'`]);
      return {
        type: 'compute_vm', name: one(v, 'name'), machine_type: one(v, 'machine_type'), ...regionOf(c, one(v, 'location')),
        disk_size_gb: disk[0] ?? '', disk_type: disk[1] ?? '', ...given(v, 'image', 'boot_seconds'),
        ...(shape ? { cpu: shape[0], memory_gb: shape[1] } : {}),
      };
    },
  };
}

const ENGINE_LABEL = { postgres: 'PostgreSQL', mysql: 'MySQL' } as const;

function databaseForm(c: ProviderCatalog, ctx: FormContext): ResourceForm {
  const engines = (['postgres', 'mysql'] as const).flatMap((e) => c.dbVersions[e].map((v) => ({ label: `${ENGINE_LABEL[e]} ${v}`, value: `${e}:${v}` })));
  const latest = `postgres:${c.dbVersions.postgres.at(-1)}`;
  const tierHint = c.provider === 'gcp' ? `${c.defaultDbTier}, db-g1-small or db-custom-<vCPUs>-<MiB>` : undefined;
  return {
    title: 'Database',
    fields: [
      NAME,
      { kind: 'select', id: 'engine', label: 'Engine and version', options: engines.map((o) => ({ ...o, ...(o.value === latest ? { default: true } : {}) })) },
      selectOrText('tier', 'Tier', Object.keys(c.dbTiers), c.defaultDbTier, tierHint),
      text('storage_gb', 'Storage (GB)', `20 (${c.dbStorageGb.min}–${c.dbStorageGb.max})`),
      {
        kind: 'select', id: 'options', label: 'Backups and availability', minValues: 0, maxValues: 2,
        options: [
          { label: 'Automated backups', value: 'backups', default: true },
          { label: 'High availability (standby replica)', value: 'ha' },
        ],
      },
    ],
    toRaw: (v) => {
      const [engine = '', version = ''] = one(v, 'engine').split(':');
      const options = many(v, 'options');
      return {
        type: 'database', name: one(v, 'name'), region: ctx.region, engine, version, tier: one(v, 'tier'), storage_gb: one(v, 'storage_gb'),
        backups_enabled: options.includes('backups'), high_availability: options.includes('ha'),
      };
    },
  };
}

/** "web=10.0.1.0/24, db 10.0.2.0/24" → [{name, cidr}]; each bad entry is named. */
export function parseSubnets(raw: string): Array<{ name: string; cidr: string }> {
  const entries = raw.split(/[,\n]/).map((e) => e.trim()).filter(Boolean);
  const problems: string[] = [];
  const subnets = entries.flatMap((entry) => {
    const m = /^([^=\s:]+)\s*[=:\s]\s*(\S+)$/.exec(entry);
    if (!m) return problems.push(`subnets: '${entry.slice(0, 40)}' must be name=cidr, like web=10.0.1.0/24`), [];
    return [{ name: m[1]!, cidr: m[2]! }];
  });
  if (problems.length) throw validationError(problems);
  return subnets;
}

function vpcForm(c: ProviderCatalog, ctx: FormContext): ResourceForm {
  return {
    title: 'VPC Network',
    fields: [
      NAME,
      text('cidr', 'Address range (CIDR)', '10.0.0.0/16'),
      text('subnets', 'Subnets (name=cidr, comma separated)', 'web=10.0.1.0/24, db=10.0.2.0/24', false, { paragraph: true }),
      select('dns', 'Private DNS', ['enabled', 'disabled'], 'enabled'),
      selectOrText('region', 'Region', Object.keys(c.regions), ctx.region),
    ],
    toRaw: (v) => ({
      type: 'vpc_network', name: one(v, 'name'), region: one(v, 'region'), cidr: one(v, 'cidr'),
      subnets: parseSubnets(one(v, 'subnets')), dns_enabled: one(v, 'dns') !== 'disabled',
    }),
  };
}

function bucketForm(c: ProviderCatalog, ctx: FormContext): ResourceForm {
  return {
    title: 'Storage Bucket',
    fields: [
      NAME,
      selectOrText('storage_class', 'Storage class', c.storageClasses, c.defaultStorageClass),
      select('versioning', 'Object versioning', ['off', 'on'], 'off'),
      text('lifecycle_days', 'Lifecycle rule (days)', 'e.g. 30: objects move to a colder class; empty = no rule'),
      text('storage_gb', 'Expected size (GB)', '100 (only used for the cost estimate)'),
    ],
    toRaw: (v) => ({
      type: 'storage_bucket', name: one(v, 'name'), region: ctx.region, storage_class: one(v, 'storage_class'),
      versioning: one(v, 'versioning') === 'on', lifecycle_days: one(v, 'lifecycle_days'), storage_gb: one(v, 'storage_gb'),
    }),
  };
}

function firewallForm(ctx: FormContext): ResourceForm {
  const networks = ['default', ...ctx.networks].slice(0, MAX_SELECT_OPTIONS);
  return {
    title: 'Firewall Rule',
    fields: [
      NAME,
      select('protocol', 'Protocol', ['tcp', 'udp', 'icmp', 'all'], 'tcp'),
      text('ports', 'Ports (comma separated)', '22, 443, 8000-8080 (leave empty for icmp/all)'),
      text('source_ranges', 'Allowed sources (CIDRs)', '203.0.113.0/24 (0.0.0.0/0 means anywhere)', true),
      select('network', 'Network', networks, ctx.networks[0] ?? 'default'),
    ],
    toRaw: (v) => ({
      type: 'firewall_rule', name: one(v, 'name'), region: ctx.region, network: one(v, 'network'), protocol: one(v, 'protocol'),
      ports: one(v, 'ports'), source_ranges: one(v, 'source_ranges'),
    }),
  };
}

/** The modal for one resource type on the session's provider. */
export function resourceForm(type: ResourceType, ctx: FormContext): ResourceForm {
  const c = CATALOGS[ctx.provider];
  const form = {
    compute_vm: () => vmForm(c, ctx),
    database: () => databaseForm(c, ctx),
    vpc_network: () => vpcForm(c, ctx),
    storage_bucket: () => bucketForm(c, ctx),
    firewall_rule: () => firewallForm(ctx),
  }[type]();
  return { ...form, title: `Add ${RESOURCE_TYPE_LABELS[type]} · ${PROVIDER_LABELS[ctx.provider]}`.slice(0, 45) };
}
