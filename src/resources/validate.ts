import { CoreError, validationError, type Problem } from '../domain/errors.js';
import { CATALOGS, parseGcpCustomTier, regionsSelling, soldIn, type OfferKind, type ProviderCatalog } from './catalogs/index.js';
import { contains, overlaps, parseCidr, type Cidr } from './cidr.js';
import { suggest } from './fields.js';
import { allowedFields, defaultsFor, specSchema } from './schemas.js';
import { DEFAULT_NETWORK, PROVIDERS, RESOURCE_TYPES, type Provider, type ResourceSpec, type ResourceType } from '../domain/resources.js';

export const MAX_FIELD_LENGTH = 1024;
/** Labels written as text: sixteen pairs of 63-character keys and values, with room for separators. */
export const MAX_LABELS_TEXT = 4000;
const maxLength = (field: string) => (field === 'labels' ? MAX_LABELS_TEXT : MAX_FIELD_LENGTH);

/** Credentials never belong in a spec: it is committed to git, shown in Discord and audited. */
const SECRET_SHAPES = [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, /\b(password|passwd|secret|token|api[_-]?key)\s*[:=]/i, /\b(ghp|gho|xox[bp])_?[A-Za-z0-9-]{16,}/];
/** No field nests deeper than a list of objects holding lists (subnets → ports); JSON allows any depth. */
const MAX_FIELD_DEPTH = 8;

/** Walks a field's value without recursion: a hostile file may nest it a million levels deep. */
function valueProblem(v: unknown): 'secret' | 'deep' | undefined {
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string' && SECRET_SHAPES.some((re) => re.test(value))) return 'secret';
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_FIELD_DEPTH) return 'deep';
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/** A value named in a message: strings as given (cut), anything else by its kind — String() of a deep array recurses. */
export const shown = (v: unknown): string => (typeof v === 'string' ? `'${v.slice(0, 40)}'` : v === undefined ? 'missing' : Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `'${String(v)}'`);

/** A problem about one field: spreadsheet imports point at its column. */
const at = (field: string, message: string): Problem => ({ field, message });

export function parseProvider(v: unknown): Provider {
  if (typeof v === 'string' && (PROVIDERS as readonly string[]).includes(v)) return v as Provider;
  throw validationError([at('provider', `provider ${shown(v)} is not supported; use one of ${PROVIDERS.join(', ')}`)]);
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The spec's own problems, each naming its field; empty when the spec is valid. */
function fieldProblems(c: ProviderCatalog, type: ResourceType, raw: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const allowed = new Set([...allowedFields(c, type), 'provider']);
  for (const [k, v] of Object.entries(raw)) {
    if (!allowed.has(k)) problems.push(at(k, `unknown field '${k.slice(0, 40)}' for a ${c.label} ${type}; allowed: ${[...allowed].filter((f) => f !== 'provider').join(', ')}`));
    else if (typeof v === 'string' && v.length > maxLength(k)) problems.push(at(k, `${k} is ${v.length} characters long; at most ${maxLength(k)} are allowed`));
    else {
      const problem = valueProblem(v);
      if (problem === 'secret') problems.push(at(k, `${k} looks like it contains a credential; specs are committed to git and shown in chat, so pass secrets through the environment instead`));
      if (problem === 'deep') problems.push(at(k, `${k} is nested more than ${MAX_FIELD_DEPTH} levels deep; no field holds more than a list of objects`));
    }
  }
  return problems;
}

/**
 * Validates one resource spec for a provider and returns it normalized, with defaults filled.
 * Throws a CoreError('validation') listing every problem, each naming its field.
 */
export function parseSpec(provider: Provider, raw: unknown): ResourceSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw validationError(['a resource must be an object with type, name and its fields']);
  const input = raw as Record<string, unknown>;
  const type = input.type;
  if (typeof type !== 'string' || !(RESOURCE_TYPES as readonly string[]).includes(type)) {
    throw validationError([at('type', `type ${shown(type)} is not a resource type; use one of ${RESOURCE_TYPES.join(', ')}`)]);
  }
  const c = CATALOGS[provider];
  const rtype = type as ResourceType;
  const early = fieldProblems(c, rtype, input);
  if (early.length) throw validationError(early);

  const merged: Record<string, unknown> = { ...defaultsFor(c, rtype) };
  for (const [k, v] of Object.entries(input)) if (k !== 'provider' && !isBlank(v)) merged[k] = v;
  if (rtype === 'storage_bucket' && isBlank(input.lifecycle_days)) merged.lifecycle_days = null;

  const parsed = specSchema(c, rtype).safeParse(merged);
  if (!parsed.success) throw validationError(parsed.error.issues.map((i) => ({ ...(typeof i.path[0] === 'string' ? { field: i.path[0] } : {}), message: issueText(i.path, i.message) })));
  // An optional field that parsed to nothing (labels {}, public_access false) is left out, as if never given.
  const spec = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as unknown as ResourceSpec;
  const problems = crossFieldProblems(c, spec, input);
  if (problems.length) throw validationError(problems);
  return spec;
}

function issueText(path: PropertyKey[], message: string): string {
  const field = path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
  return field && !message.startsWith(field.split(/[.[]/)[0]!) ? `${field}: ${message}` : message;
}

function crossFieldProblems(c: ProviderCatalog, spec: ResourceSpec, input: Record<string, unknown>): Problem[] {
  switch (spec.type) {
    case 'compute_vm': return [...notSold(c, spec.region, 'machine_type', 'machine_types', spec.machine_type), ...notSold(c, spec.region, 'disk_type', 'disk_types', spec.disk_type), ...vmProblems(c, spec, input)];
    case 'database': return [...notSold(c, spec.region, 'tier', 'db_tiers', spec.tier), ...dbProblems(c, spec, input)];
    case 'vpc_network': return vpcProblems(spec);
    case 'storage_bucket': return notSold(c, spec.region, 'storage_class', 'storage_classes', spec.storage_class);
    case 'firewall_rule': return firewallProblems(spec);
  }
}

/** A catalog type the region does not sell, with the regions that do: the price data says what each region sells. */
function notSold(c: ProviderCatalog, region: string, field: string, kind: OfferKind, name: string): Problem[] {
  if (soldIn(c.provider, region, kind, name)) return [];
  const elsewhere = regionsSelling(c.provider, kind, name);
  return [at(field, `${field} ${name} is not sold in ${c.label} region ${region}; regions that have it: ${elsewhere.join(', ')}`)];
}

function vmProblems(c: ProviderCatalog, spec: Extract<ResourceSpec, { type: 'compute_vm' }>, input: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const zones = c.regions[spec.region] ?? [];
  // A region without zones keeps its own name as the zone (what a blank gives it), so an exported row reads back.
  if (isBlank(input.zone)) spec.zone = zones[0] ?? spec.region;
  else if (!zones.length && spec.zone !== spec.region) problems.push(at('zone', `region ${spec.region} has no availability zones; leave zone blank`));
  else if (zones.length && !zones.includes(spec.zone)) problems.push(at('zone', `zone '${spec.zone.slice(0, 40)}' is not in region ${spec.region}; use one of ${zones.join(', ')}`));
  const custom = spec.machine_type.endsWith('-custom');
  if (custom && (spec.cpu === undefined || spec.memory_gb === undefined)) {
    problems.push(at('machine_type', `machine_type ${spec.machine_type} needs cpu and memory_gb (a custom shape)`));
  } else if (custom && spec.cpu !== undefined && spec.memory_gb !== undefined) {
    const perCpu = spec.memory_gb / spec.cpu;
    if (spec.cpu > 1 && spec.cpu % 2 !== 0) problems.push(at('cpu', `cpu must be 1 or an even number for ${spec.machine_type}, got ${spec.cpu}`));
    if (perCpu < 0.5 || perCpu > 8) problems.push(at('memory_gb', `memory_gb must be 0.5–8 GB per vCPU for ${spec.machine_type} (${spec.cpu * 0.5}–${spec.cpu * 8} GB for ${spec.cpu} vCPU)`));
    if (!Number.isInteger(spec.memory_gb * 4)) problems.push(at('memory_gb', 'memory_gb must be a multiple of 0.25 GB'));
  } else if (!custom && (spec.cpu !== undefined || spec.memory_gb !== undefined)) {
    // cpu/memory on a predefined type are a sizing request: the estimator uses them to suggest a smaller type.
    const shape = c.machineTypes[spec.machine_type]!;
    if ((spec.cpu ?? 0) > shape.vcpu || (spec.memory_gb ?? 0) > shape.memory_gb) {
      problems.push(at('machine_type', `machine_type ${spec.machine_type} has ${shape.vcpu} vCPU and ${shape.memory_gb} GB; it cannot provide cpu ${spec.cpu ?? '-'} / memory_gb ${spec.memory_gb ?? '-'}`));
    }
  }
  if (!c.images.includes(spec.image) && !c.imagePattern.test(spec.image)) {
    problems.push(at('image', `image '${spec.image.slice(0, 60)}' is not a known ${c.label} image; use one of ${c.images.join(', ')} or ${c.imageHint}`));
  }
  return problems;
}

function dbProblems(c: ProviderCatalog, spec: Extract<ResourceSpec, { type: 'database' }>, input: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const versions = c.dbVersions[spec.engine];
  if (isBlank(input.version)) spec.version = versions[versions.length - 1]!;
  else if (!versions.includes(spec.version)) problems.push(at('version', `version '${spec.version.slice(0, 20)}' is not a supported ${c.label} ${spec.engine} version; use one of ${versions.join(', ')}`));
  if (!c.dbTiers[spec.tier]) {
    const custom = c.provider === 'gcp' ? parseGcpCustomTier(spec.tier) : undefined;
    if (typeof custom === 'string') problems.push(at('tier', custom));
    else if (!custom) {
      const extra = c.provider === 'gcp' ? ' or db-custom-<vCPUs>-<MiB>' : '';
      problems.push(at('tier', `tier '${spec.tier.slice(0, 40)}' is not a known ${c.label} database tier; try ${suggest(spec.tier, Object.keys(c.dbTiers)).join(', ')}${extra}`));
    }
  } else {
    const allowed = c.dbEngineTiers?.[spec.engine];
    if (allowed && !allowed.includes(spec.tier)) {
      problems.push(at('tier', `tier '${spec.tier}' is not offered for ${c.label} ${spec.engine === 'mysql' ? 'MySQL' : 'PostgreSQL'}; use one of ${allowed.join(', ')}`));
    }
  }
  return problems;
}

function vpcProblems(spec: Extract<ResourceSpec, { type: 'vpc_network' }>): Problem[] {
  const problems: Problem[] = [];
  // A rule's network "default" is the provider's own network: a VPC of that name would guard nothing its rules say.
  if (spec.name === DEFAULT_NETWORK) problems.push(at('name', `name '${DEFAULT_NETWORK}' is what firewall rules call the provider's own default network; give this network another name`));
  const vpc = parseCidr(spec.cidr);
  if (typeof vpc === 'string') return [...problems, at('cidr', `cidr: ${vpc}`)];
  if (vpc.prefix < 8 || vpc.prefix > 28) problems.push(at('cidr', `cidr ${spec.cidr} must have a prefix from /8 to /28`));
  const seen: Array<{ name: string; cidr: Cidr }> = [];
  spec.subnets.forEach((s, i) => {
    const sub = parseCidr(s.cidr);
    if (typeof sub === 'string') return void problems.push(at('subnets', `subnets[${i}].cidr: ${sub}`));
    if (!contains(vpc, sub)) problems.push(at('subnets', `subnets[${i}].cidr ${s.cidr} is not inside the network's ${spec.cidr}`));
    if (sub.prefix > 29) problems.push(at('subnets', `subnets[${i}].cidr ${s.cidr} is too small; use /29 or larger`));
    const clash = seen.find((o) => overlaps(o.cidr, sub));
    if (clash) problems.push(at('subnets', `subnets[${i}].cidr ${s.cidr} overlaps subnet ${clash.name} (${clash.cidr.text})`));
    if (seen.some((o) => o.name === s.name)) problems.push(at('subnets', `subnets[${i}].name ${s.name} is used twice`));
    seen.push({ name: s.name, cidr: sub });
  });
  return problems;
}

function firewallProblems(spec: Extract<ResourceSpec, { type: 'firewall_rule' }>): Problem[] {
  const problems: Problem[] = [];
  if (spec.network !== 'default' && !/^[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(spec.network)) {
    problems.push(at('network', `network '${spec.network.slice(0, 40)}' must be "default" or the name of a vpc_network in this project`));
  }
  const portless = spec.protocol === 'icmp' || spec.protocol === 'all';
  if (portless && spec.ports.length) problems.push(at('ports', `ports must be empty for protocol ${spec.protocol}`));
  if (!portless && !spec.ports.length) problems.push(at('ports', `ports: list at least one port or range (e.g. 22, 8000-8080) for protocol ${spec.protocol}`));
  for (const p of spec.ports) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(p);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m?.[2] ? Number(m[2]) : lo;
    if (!m || lo < 1 || hi > 65535 || lo > hi) problems.push(at('ports', `ports: '${p.slice(0, 20)}' is not a port (1-65535) or a range like 8000-8080`));
  }
  if (!spec.source_ranges.length) problems.push(at('source_ranges', `source_ranges: list at least one CIDR (e.g. 203.0.113.0/24; 0.0.0.0/0 means anywhere)`));
  for (const r of spec.source_ranges) {
    const parsed = parseCidr(r);
    if (typeof parsed === 'string') problems.push(at('source_ranges', `source_ranges: ${parsed}`));
  }
  return problems;
}

/** Checks across a whole configuration: unique names, and firewall rules pointing at real networks. */
export function configurationProblems(specs: ResourceSpec[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const s of specs) {
    if (names.has(s.name)) problems.push(`name '${s.name}' is used by more than one resource; names must be unique in a project`);
    names.add(s.name);
  }
  const networks = new Set(specs.filter((s) => s.type === 'vpc_network').map((s) => s.name));
  for (const s of specs) {
    if (s.type === 'firewall_rule' && s.network !== 'default' && !networks.has(s.network)) {
      problems.push(`firewall_rule ${s.name}: network '${s.network}' is not a vpc_network in this project; add it or use "default"`);
    }
  }
  return problems;
}

export function assertConfiguration(specs: ResourceSpec[]): void {
  const problems = configurationProblems(specs);
  if (problems.length) throw new CoreError('validation', problems.length === 1 ? problems[0]! : `${problems.length} problems in the configuration`, problems.length === 1 ? [] : problems);
}
