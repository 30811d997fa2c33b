import type { Labels, ResourceSpec, Subnet } from '../domain/resources.js';
import { labelsText } from '../resources/fields.js';
import type { Column } from './columns.js';

export type FieldRead = { value: unknown } | { problem: string };

/**
 * Turns a non-blank cell into what parseSpec expects for its column. Numbers and booleans stay typed
 * where the column is numeric or boolean (parseSpec also accepts their text forms, so "100" typed as
 * text is fine) and become text elsewhere, so a zone typed 1 or a port typed 22 still reads.
 */
export function readField(column: Column, value: string | number | boolean): FieldRead {
  if (typeof value === 'string') {
    const text = value.trim();
    return column.kind === 'subnets' ? parseSubnets(text) : { value: text };
  }
  if (column.kind === 'int' || column.kind === 'decimal' || column.kind === 'bool') return { value };
  return column.kind === 'subnets' ? parseSubnets(String(value)) : { value: String(value) };
}

/** `app:10.0.1.0/24, db:10.0.2.0/24` → [{name, cidr}]; parseSpec then checks names and ranges. */
function parseSubnets(text: string): FieldRead {
  const pairs = text.split(/[,\n]/).map((p) => p.trim()).filter(Boolean);
  const bad = pairs.find((p) => !/^[^:\s]+\s*:\s*[^:\s]+$/.test(p));
  if (bad !== undefined) {
    return { problem: `subnets entry '${bad.length > 40 ? `${bad.slice(0, 40)}…` : bad}' must be name:cidr; write pairs separated by commas, e.g. app:10.0.1.0/24, db:10.0.2.0/24` };
  }
  return { value: pairs.map((p) => ({ name: p.split(':')[0]!.trim(), cidr: p.split(':')[1]!.trim() })) };
}

/** A spec's value as written in a cell: lists as comma-separated text, subnets as name:cidr pairs, labels as key=value pairs. */
export function toCell(spec: ResourceSpec, field: string): string | number | boolean | null {
  const v = (spec as unknown as Record<string, unknown>)[field];
  if (v === undefined || v === null) return null;
  if (field === 'subnets') return (v as Subnet[]).map((s) => `${s.name}:${s.cidr}`).join(', ');
  if (field === 'labels') return labelsText(v as Labels);
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new Error(`sheets: cannot write ${field} of ${spec.name} to a cell`);
}
