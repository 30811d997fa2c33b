import { validationError } from '../../domain/errors.js';

/** One input of a resource modal, as data; build.ts turns it into a Discord Label component. */
export interface TextField {
  kind: 'text';
  id: string;
  label: string;
  description?: string;
  placeholder?: string;
  required: boolean;
  paragraph?: boolean;
  maxLength?: number;
  /** What the input opens with (an edit's current value, or what was typed into a refused form). */
  value?: string;
}

/**
 * How much a text input holds: what Discord is told, and what a prefilled value is cut to. By default
 * Discord's own limit (4,000): a resource from a file may hold more than a person would type (50 source
 * ranges, 20 port ranges), and its edit form must open with all of it.
 */
export const maxLengthOf = (f: TextField): number => f.maxLength ?? 4000;

export interface SelectOption {
  label: string;
  value: string;
  description?: string;
  default?: boolean;
}

export interface SelectField {
  kind: 'select';
  id: string;
  label: string;
  description?: string;
  options: SelectOption[];
  minValues?: number;
  maxValues?: number;
}

export type FieldDef = TextField | SelectField;

/** What a submitted modal carries: text inputs as strings, selects as the chosen values. */
export type FieldValues = Record<string, string | string[]>;

export const MAX_SELECT_OPTIONS = 25;

export const text = (id: string, label: string, placeholder: string, required = false, extra: Partial<TextField> = {}): TextField =>
  ({ kind: 'text', id, label, placeholder: placeholder.slice(0, 100), required, ...extra });

export const select = (id: string, label: string, values: readonly string[], chosen: string | undefined, extra: Partial<SelectField> = {}): SelectField =>
  ({ kind: 'select', id, label, options: values.map((v) => ({ label: v, value: v, ...(v === chosen ? { default: true } : {}) })), ...extra });

/**
 * A select when the catalog is small enough to list (Discord allows 25 options), otherwise a
 * text input whose placeholder names the usual choices; the spec validator names the rest.
 */
export function selectOrText(id: string, label: string, values: readonly string[], chosen: string, hint?: string): FieldDef {
  if (values.length <= MAX_SELECT_OPTIONS && !hint) return select(id, label, values, chosen);
  return text(id, label, hint ?? `${chosen} (or e.g. ${values.filter((v) => v !== chosen).slice(0, 3).join(', ')})`);
}

/** The value of a text input or the single choice of a select; '' when left empty. */
export function one(values: FieldValues, id: string): string {
  const v = values[id];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
}

export function many(values: FieldValues, id: string): string[] {
  const v = values[id];
  return Array.isArray(v) ? v : v ? [v] : [];
}

/** "4, 16" / "4 16" / "4/16" → two parts; anything else names the field and the expected form. */
export function pair(raw: string, field: string, example: string): [string, string] | undefined {
  if (!raw) return undefined;
  const parts = raw.split(/[\s,/]+/).filter(Boolean);
  if (parts.length !== 2) throw validationError([`${field}: write two values like '${example}', got '${raw.slice(0, 40)}'`]);
  return [parts[0]!, parts[1]!];
}
