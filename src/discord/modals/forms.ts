import { validationError } from '../../domain/errors.js';
import { CATALOGS, soldHere, type ProviderCatalog } from '../../resources/index.js';
import { PROVIDER_LABELS, type Provider, type ResourceSpec, type ResourceType } from '../../domain/resources.js';
import { MAX_MODAL_COMPONENTS } from './build.js';
import { many, one, pair, select, selectOrText, text, MAX_SELECT_OPTIONS, type FieldDef, type FieldValues } from './fields.js';
import { prefilled } from './prefill.js';

/** What a form needs to know: the session it adds to and what the steps before the modal chose. */
export interface FormContext {
  provider: Provider;
  /** The region picked before the modal (forms have no region input: a modal cannot make the zone follow it). */
  region: string;
  /** A VM's zone, picked after the region; blank means the region's first. */
  zone?: string;
  /** A firewall rule's direction, picked after the region: it decides whether its addresses are sources or destinations. */
  direction?: Direction;
  /** vpc_network names in the session, offered to firewall rules. */
  networks: string[];
}

export const DIRECTIONS = ['ingress', 'egress'] as const;
export type Direction = (typeof DIRECTIONS)[number];


export interface ResourceForm {
  title: string;
  fields: FieldDef[];
  /** Modal values → the raw spec parseSpec validates (strings are fine; blanks take defaults). */
  toRaw(values: FieldValues): Record<string, unknown>;
}

const NAME = text('name', 'Name', 'lowercase letters, digits and hyphens, e.g. web-1', true, { maxLength: 63 });
const LABELS = text('labels', 'Labels (key=value, comma separated)', 'owner=alice, environment=dev (optional)');

/** A catalog list narrowed to what the picked region sells, and its default (the region's first if it lacks the catalog's). */
function sold(c: ProviderCatalog, ctx: FormContext, kind: Parameters<typeof soldHere>[2], names: readonly string[], usual: string): [string[], string] {
  const here = soldHere(c.provider, ctx.region, kind, names);
  return [here, here.includes(usual) ? usual : (here[0] ?? usual)];
}

/** Only the inputs that were filled: a field this provider's spec lacks must not appear at all. */
const given = (v: FieldValues, ...ids: string[]) => Object.fromEntries(ids.map((id) => [id, one(v, id)]).filter(([, value]) => value !== ''));

/** A fifth input where the provider has more: custom shapes (GCP), the boot delay (sandbox). */
function vmExtraFields(c: ProviderCatalog): FieldDef[] {
  if (c.customFamilies.length) return [text('shape', 'CPU and memory (custom types only)', '4, 16 (vCPUs, GB)')];
  if (c.provider === 'sandbox') return [text('boot_seconds', 'Boot time in seconds (sandbox)', '0 (a slow create, to watch the apply stream)')];
  return [];
}

function vmForm(c: ProviderCatalog, ctx: FormContext): ResourceForm {
  const [machines, machine] = sold(c, ctx, 'machine_types', Object.keys(c.machineTypes), c.defaultMachineType);
  const [disks, usualDisk] = sold(c, ctx, 'disk_types', c.diskTypes, c.defaultDiskType);
  const machineHint = c.customFamilies.length ? `${machine}, or ${c.customFamilies[0]}-custom with CPU and memory below` : undefined;
  return {
    title: 'Virtual Machine',
    fields: [
      NAME,
      selectOrText('machine_type', 'Machine type', machines, machine, machineHint),
      text('disk', 'Disk: size GB, type', `20, ${usualDisk} (types: ${disks.join(', ')})`),
      text('image', 'Image', `${c.defaultImage} (or ${c.imageHint})`),
      ...vmExtraFields(c),
    ],
    toRaw: (v) => {
      const shape = pair(one(v, 'shape'), 'cpu and memory', '4, 16');
      const disk = one(v, 'disk').split(/[\s,]+/).filter(Boolean);
      if (disk.length > 2) throw validationError([`disk: write the size and optionally the type, like '50, ${c.defaultDiskType}'`]);
      return {
        type: 'compute_vm', name: one(v, 'name'), machine_type: one(v, 'machine_type'), region: ctx.region, ...(ctx.zone ? { zone: ctx.zone } : {}),
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
  const [tiers, tier] = sold(c, ctx, 'db_tiers', Object.keys(c.dbTiers), c.defaultDbTier);
  const tierHint = c.provider === 'gcp' ? `${tier}, db-g1-small or db-custom-<vCPUs>-<MiB>` : undefined;
  return {
    title: 'Database',
    fields: [
      NAME,
      { kind: 'select', id: 'engine', label: 'Engine and version', options: engines.map((o) => ({ ...o, ...(o.value === latest ? { default: true } : {}) })) },
      selectOrText('tier', 'Tier', tiers, tier, tierHint),
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

function vpcForm(ctx: FormContext): ResourceForm {
  return {
    title: 'VPC Network',
    fields: [
      NAME,
      text('cidr', 'Address range (CIDR)', '10.0.0.0/16'),
      text('subnets', 'Subnets (name=cidr, comma separated)', 'web=10.0.1.0/24, db=10.0.2.0/24', false, { paragraph: true }),
      select('dns', 'Private DNS', ['enabled', 'disabled'], 'enabled'),
    ],
    toRaw: (v) => ({
      type: 'vpc_network', name: one(v, 'name'), region: ctx.region, cidr: one(v, 'cidr'),
      subnets: parseSubnets(one(v, 'subnets')), dns_enabled: one(v, 'dns') !== 'disabled',
    }),
  };
}

function bucketForm(c: ProviderCatalog, ctx: FormContext): ResourceForm {
  const [classes, usual] = sold(c, ctx, 'storage_classes', c.storageClasses, c.defaultStorageClass);
  return {
    title: 'Storage Bucket',
    fields: [
      NAME,
      selectOrText('storage_class', 'Storage class', classes, usual),
      {
        kind: 'select', id: 'options', label: 'Options', minValues: 0, maxValues: c.provider === 'azure' ? 3 : 2,
        options: [
          { label: 'Object versioning', value: 'versioning' },
          ...(c.provider === 'azure' ? [{ label: 'Geo-redundant (GRS; otherwise LRS)', value: 'grs' }] : []),
          { label: 'Public: anyone can read its objects', value: 'public', description: 'Anyone on the internet can download objects by their address; not list or change them' },
        ],
      },
      text('lifecycle_days', 'Lifecycle rule (days)', 'e.g. 30: objects move to a colder class; empty = no rule'),
      text('storage_gb', 'Expected size (GB)', '100 (only used for the cost estimate)'),
    ],
    toRaw: (v) => ({
      type: 'storage_bucket', name: one(v, 'name'), region: ctx.region, storage_class: one(v, 'storage_class'),
      versioning: many(v, 'options').includes('versioning'), lifecycle_days: one(v, 'lifecycle_days'), storage_gb: one(v, 'storage_gb'),
      public_access: many(v, 'options').includes('public'),
      ...(c.provider === 'azure' ? { replication: many(v, 'options').includes('grs') ? 'GRS' : 'LRS' } : {}),
    }),
  };
}

/** "tcp 22, 443" / "udp: 53" / "icmp" / "22, 443" (TCP) → protocol and ports; an unknown protocol is left for the validator to name. */
export function parseProtocolPorts(raw: string): { protocol?: string; ports?: string } {
  const [first, ...rest] = raw.split(/[\s,:]+/).filter(Boolean);
  if (first === undefined) return {};
  // A leading word is the protocol (the validator names one it does not know); bare ports are TCP.
  return /^[a-z]/i.test(first) ? { protocol: first.toLowerCase(), ports: rest.join(', ') } : { protocol: 'tcp', ports: [first, ...rest].join(', ') };
}

function firewallForm(ctx: FormContext): ResourceForm {
  // A VPC may itself be named "default": one option per name, or Discord refuses the select.
  const networks = [...new Set(['default', ...ctx.networks])].slice(0, MAX_SELECT_OPTIONS);
  const inbound = (ctx.direction ?? 'ingress') === 'ingress';
  return {
    title: inbound ? 'Inbound Firewall Rule' : 'Outbound Firewall Rule',
    fields: [
      NAME,
      text('protocol_ports', 'Protocol and ports', 'tcp 22, 443, 8000-8080 (or udp 53, icmp, all)', true),
      text('source_ranges', inbound ? 'Allowed sources (CIDRs)' : 'Allowed destinations (CIDRs)', '203.0.113.0/24 (0.0.0.0/0 means anywhere)', true),
      select('network', 'Network', networks, ctx.networks[0] ?? 'default'),
      text('priority', 'Priority', '1000 (100-4096; lower wins)'),
    ],
    toRaw: (v) => ({
      type: 'firewall_rule', name: one(v, 'name'), region: ctx.region, network: one(v, 'network'), direction: ctx.direction ?? 'ingress',
      ...parseProtocolPorts(one(v, 'protocol_ports')), source_ranges: one(v, 'source_ranges'), priority: one(v, 'priority'),
    }),
  };
}

/** A new resource's form, or an edit's; either may open with values (the resource as it is, or what was typed). */
export interface FormOptions {
  verb?: 'Add' | 'Edit';
  values?: FieldValues;
  /** The resource an edit replaces: what the form has no input for is kept from it. */
  editing?: ResourceSpec;
}

/**
 * Labels take the last input where a form has room for one (Discord allows five). A full form cannot show
 * them, so an edit through it keeps the resource's labels as they are instead of dropping them.
 */
function withLabels(form: ResourceForm, editing: ResourceSpec | undefined): ResourceForm {
  if (form.fields.length < MAX_MODAL_COMPONENTS) return { ...form, fields: [...form.fields, LABELS], toRaw: (v) => ({ ...form.toRaw(v), labels: one(v, 'labels') }) };
  const kept = editing?.labels;
  return kept ? { ...form, toRaw: (v) => ({ ...form.toRaw(v), labels: kept }) } : form;
}

/** The modal for one resource type on the session's provider. */
export function resourceForm(type: ResourceType, ctx: FormContext, opts: FormOptions = {}): ResourceForm {
  const c = CATALOGS[ctx.provider];
  const form = withLabels({
    compute_vm: () => vmForm(c, ctx),
    database: () => databaseForm(c, ctx),
    vpc_network: () => vpcForm(ctx),
    storage_bucket: () => bucketForm(c, ctx),
    firewall_rule: () => firewallForm(ctx),
  }[type](), opts.editing);
  return {
    ...form, title: `${opts.verb ?? 'Add'} ${form.title} · ${PROVIDER_LABELS[ctx.provider]}`.slice(0, 45),
    ...(opts.values ? { fields: prefilled(form.fields, opts.values) } : {}),
  };
}
