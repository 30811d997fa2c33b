import { CoreError, validationError, type Problem } from '../domain/errors.js';
import { configurationProblems, parseProvider, parseSpec } from '../resources/validate.js';
import { PROVIDER_LABELS, type Provider, type ResourceSpec } from '../domain/resources.js';
import { MAX_RESOURCES } from './limits.js';
import { fileError, plural } from './problems.js';

/** Where a resource came from in a file: a sheet row (xlsx) or a record (csv), numbered as Excel numbers rows. */
export interface RowSource {
  file: string;
  sheet?: string;
  row: number;
}

/**
 * Items carry their source under a symbol: invisible to parseSpec, JSON and Object.entries, so an
 * item is still exactly a spec input, yet errors can point at the row the user has to fix.
 */
export const SOURCE: unique symbol = Symbol('cloud-engine.resource-file-row');
export type FileItem = Record<string, unknown> & { [SOURCE]?: RowSource };

const sourceOf = (item: unknown): RowSource | undefined =>
  typeof item === 'object' && item !== null ? (item as FileItem)[SOURCE] : undefined;

export function where(s: { sheet?: string; row: number }, column?: string): string {
  const at = s.sheet ? `Sheet "${s.sheet}", row ${s.row}` : `Row ${s.row}`;
  return column ? `${at}, column ${column}` : at;
}

function label(item: unknown, i: number): string {
  const s = sourceOf(item);
  if (s) return where(s);
  const name = typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? `resources[${i}] (${name.slice(0, 40)})` : `resources[${i}]`;
}

/** The column a problem points at: its field, when the row came from a sheet and has that column. */
function columnOf(item: unknown, problem: Problem): string | undefined {
  return problem.field !== undefined && sourceOf(item) && problem.field in (item as object) ? problem.field : undefined;
}

/**
 * The provider a file declares (the template's, or a CSV provider column), or undefined when it
 * declares none. Rows must agree, and the value must be a provider.
 */
export function declaredProvider(items: unknown[]): Provider | undefined {
  const found = new Map<string, unknown>();
  items.forEach((item, i) => {
    const p = typeof item === 'object' && item !== null ? (item as { provider?: unknown }).provider : undefined;
    if (p !== undefined && !found.has(String(p))) found.set(String(p), item ?? i);
  });
  if (found.size === 0) return undefined;
  if (found.size > 1) throw itemsError(items, [`the file mixes providers (${[...found.keys()].map((p) => p.slice(0, 20)).join(', ')}); one file is for one provider`]);
  const [value, item] = [...found][0]!;
  try {
    return parseProvider(value);
  } catch (e) {
    const s = sourceOf(item);
    throw itemsError(items, [`${s ? `${where(s, 'provider')}: ` : ''}${(e as CoreError).message}`]);
  }
}

export const providerMismatch = (declared: Provider, used: Provider, why: string) =>
  `this file is for ${PROVIDER_LABELS[declared]} but ${why} uses ${PROVIDER_LABELS[used]}; download the ${PROVIDER_LABELS[used]} template and copy the rows over`;

/**
 * Validates every item with parseSpec, then names unique across the file and the configuration's
 * cross checks. Returns every spec, or throws one error listing every problem where it is.
 */
export function validateItems(provider: Provider, items: unknown[]): ResourceSpec[] {
  if (items.length > MAX_RESOURCES) throw itemsError(items, [`it has ${plural(items.length, 'resource')}; at most ${plural(MAX_RESOURCES, 'resource')} can be imported at once`]);
  const problems: string[] = [];
  const specs: ResourceSpec[] = [];
  const firstUse = new Map<string, string>();
  items.forEach((item, i) => {
    try {
      const spec = parseSpec(provider, item);
      const earlier = firstUse.get(spec.name);
      const s = sourceOf(item);
      if (earlier) return void problems.push(`${s ? where(s, 'name') : label(item, i)}: name '${spec.name}' is already used by ${earlier}; names must be unique in a project`);
      firstUse.set(spec.name, label(item, i));
      specs.push(spec);
    } catch (e) {
      if (!(e instanceof CoreError)) throw e;
      for (const p of e.problems.length ? e.problems : [{ message: e.message }]) {
        const column = columnOf(item, p);
        problems.push(`${column ? where(sourceOf(item)!, column) : label(item, i)}: ${p.message}`);
      }
    }
  });
  if (!problems.length) for (const p of configurationProblems(specs)) problems.push(p);
  if (problems.length) throw itemsError(items, problems);
  return specs;
}

/** One error for problems found in `items`, naming their file when they came from one. */
export function itemsError(items: unknown[], problems: string[]): CoreError {
  const file = items.map(sourceOf).find(Boolean)?.file;
  return file ? fileError(file, problems) : validationError(problems);
}
