import type { ResourceSpec } from '../../domain/resources.js';
import { labelsText } from '../../resources/fields.js';
import { maxLengthOf, MAX_SELECT_OPTIONS, type FieldDef, type FieldValues } from './fields.js';

/** A spec as its form's inputs hold it: what Edit Resource opens with (each form's toRaw read backwards). */
export function specValues(spec: ResourceSpec): FieldValues {
  const values = typeValues(spec);
  return spec.labels ? { ...values, labels: labelsText(spec.labels) } : values;
}

function typeValues(spec: ResourceSpec): FieldValues {
  switch (spec.type) {
    case 'compute_vm':
      return {
        name: spec.name, machine_type: spec.machine_type, disk: `${spec.disk_size_gb}, ${spec.disk_type}`, image: spec.image,
        ...(spec.cpu !== undefined && spec.memory_gb !== undefined ? { shape: `${spec.cpu}, ${spec.memory_gb}` } : {}),
        ...(spec.boot_seconds !== undefined ? { boot_seconds: String(spec.boot_seconds) } : {}),
      };
    case 'database':
      return {
        name: spec.name, engine: `${spec.engine}:${spec.version}`, tier: spec.tier, storage_gb: String(spec.storage_gb),
        options: [...(spec.backups_enabled ? ['backups'] : []), ...(spec.high_availability ? ['ha'] : [])],
      };
    case 'vpc_network':
      return { name: spec.name, cidr: spec.cidr, subnets: spec.subnets.map((s) => `${s.name}=${s.cidr}`).join(', '), dns: spec.dns_enabled ? 'enabled' : 'disabled' };
    case 'storage_bucket':
      return {
        name: spec.name, storage_class: spec.storage_class, lifecycle_days: spec.lifecycle_days === null ? '' : String(spec.lifecycle_days), storage_gb: String(spec.storage_gb),
        options: [...(spec.versioning ? ['versioning'] : []), ...(spec.replication === 'GRS' ? ['grs'] : []), ...(spec.public_access ? ['public'] : [])],
      };
    case 'firewall_rule':
      return {
        name: spec.name, protocol_ports: [spec.protocol, spec.ports.join(', ')].filter(Boolean).join(' '), source_ranges: spec.source_ranges.join(', '),
        network: spec.network, priority: String(spec.priority),
      };
  }
}

const asList = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/**
 * Only the form's own inputs, each within what it holds (a text cut to its length, a select's choices
 * among those it offers, up to its maximum): typed values are hostile, and a prefilled modal beyond any
 * of Discord's limits would be refused as a whole.
 */
export function withinForm(values: FieldValues, fields: FieldDef[]): FieldValues {
  const out: FieldValues = {};
  for (const f of fields) {
    const v = values[f.id];
    if (v === undefined) continue;
    if (f.kind === 'text') out[f.id] = asList(v).join(', ').slice(0, maxLengthOf(f));
    else {
      const offered = new Set(f.options.slice(0, MAX_SELECT_OPTIONS).map((o) => o.value));
      out[f.id] = [...new Set(asList(v))].filter((c) => offered.has(c)).slice(0, f.maxValues ?? 1);
    }
  }
  return out;
}

/** The fields opening with `values`: texts as given, selects with exactly the given choices (the rest keep their defaults). */
export function prefilled(fields: FieldDef[], values: FieldValues): FieldDef[] {
  const kept = withinForm(values, fields);
  return fields.map((f): FieldDef => {
    const v = kept[f.id];
    if (v === undefined) return f;
    if (f.kind === 'text') return { ...f, value: asList(v)[0] ?? '' };
    const chosen = new Set(asList(v));
    return { ...f, options: f.options.map(({ default: _was, ...o }) => ({ ...o, ...(chosen.has(o.value) ? { default: true } : {}) })) };
  });
}

/** Spec fields fed by an input of another name. */
const FED_BY: Record<string, string> = {
  disk_size_gb: 'disk', disk_type: 'disk', cpu: 'shape', memory_gb: 'shape', version: 'engine', backups_enabled: 'options', high_availability: 'options',
  versioning: 'options', replication: 'options', public_access: 'options', dns_enabled: 'dns', protocol: 'protocol_ports', ports: 'protocol_ports',
};

/** The label of the input a spec field's value came from, so a refusal points at the box to fix; undefined for one chosen in the steps (region, zone). */
export function inputLabel(fields: FieldDef[], specField: string | undefined): string | undefined {
  if (specField === undefined) return undefined;
  const id = FED_BY[specField] ?? specField;
  return fields.find((f) => f.id === id)?.label;
}
