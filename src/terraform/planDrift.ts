import type { DriftedAttribute, DriftedResource } from '../domain/drift.js';

interface DriftEntry {
  address?: string;
  mode?: string;
  type?: string;
  name?: string;
  change?: { actions?: string[]; before?: unknown; after?: unknown; before_sensitive?: unknown; after_sensitive?: unknown };
}

const SENSITIVE = '(sensitive)';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Key order never matters: two values are the same when their JSON with sorted keys is. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/** A value as a drift report may show it: never one Terraform marks sensitive. */
const visible = (value: unknown, sensitive: unknown, key: string) => (sensitive === true || (isRecord(sensitive) && sensitive[key] !== undefined && sensitive[key] !== false) ? SENSITIVE : value);

/**
 * Drift from a cloud's refresh-only plan (`show -json`): its `resource_drift`, before (the last applied state)
 * and after (what the cloud holds), grouped by the spec each Terraform resource belongs to — generators label a
 * spec's resources with its name, or `<name>_<part>`. A spec whose own resource is gone is missing; the rest
 * list each top-level attribute that differs (a part's prefixed with its label). Sensitive values are never shown.
 */
export function resourceDrift(showJson: string, specs: Array<{ name: string; type: string }>): DriftedResource[] {
  const plan = JSON.parse(showJson) as { resource_drift?: DriftEntry[] };
  const bySpec = new Map<string, DriftedResource>();
  for (const entry of plan.resource_drift ?? []) {
    if (entry.mode === 'data' || !entry.name || !entry.change) continue;
    const label = entry.name;
    const spec = specs.find((s) => label === s.name || label.startsWith(`${s.name}_`));
    if (!spec) continue;
    const drifted = bySpec.get(spec.name) ?? { name: spec.name, type: spec.type, kind: 'changed' as const, attributes: [] };
    bySpec.set(spec.name, drifted);
    const { before, after, before_sensitive: beforeSensitive, after_sensitive: afterSensitive } = entry.change;
    if (after === null || after === undefined) {
      if (label === spec.name) Object.assign(drifted, { kind: 'missing', attributes: [] });
      else drifted.attributes.push({ attribute: label, deployed: 'exists', observed: undefined });
      continue;
    }
    if (drifted.kind === 'missing') continue;
    const was = isRecord(before) ? before : {};
    const now = isRecord(after) ? after : {};
    const prefix = label === spec.name ? '' : `${label}.`;
    const attributes: DriftedAttribute[] = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()
      .filter((k) => canonicalJson(was[k]) !== canonicalJson(now[k]))
      .map((k) => ({ attribute: `${prefix}${k}`, deployed: visible(was[k], beforeSensitive, k), observed: visible(now[k], afterSensitive, k) }));
    drifted.attributes.push(...attributes);
  }
  return [...bySpec.values()].filter((d) => d.kind === 'missing' || d.attributes.length);
}
