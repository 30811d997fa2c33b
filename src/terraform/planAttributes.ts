import type { AttributeChange, PlanValue } from '../domain/plans.js';

/** What `terraform show -json` says of one resource's change, beyond its actions. */
export interface ChangeDetail {
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
  replace_paths?: Array<Array<string | number>>;
}

/** Bounds on what a plan record keeps: a hostile or huge plan stays a small row. */
export const ATTRIBUTE_LIMITS = { perResource: 20, valueChars: 200, depth: 12, detailedResources: 200 } as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A sensitivity or unknown mark: `true`, or an object/list of marks mirroring the value, true somewhere within. */
function marked(mark: unknown, depth = 0): boolean {
  if (mark === true) return true;
  if (typeof mark !== 'object' || mark === null) return false;
  // Marks nested deeper than we walk: assume something in there is sensitive rather than print it.
  if (depth > ATTRIBUTE_LIMITS.depth) return true;
  return Object.values(mark).some((m) => marked(m, depth + 1));
}

const child = (mark: unknown, key: string): unknown => (isObject(mark) ? mark[key] : mark === true ? true : undefined);

/** The value cut below `depth` levels, so comparing and printing it never recurses without bound. */
function capped(v: unknown, depth = 0): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (depth >= ATTRIBUTE_LIMITS.depth * 4) return '…';
  return Array.isArray(v) ? v.map((x) => capped(x, depth + 1)) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, capped(x, depth + 1)]));
}

const json = (v: unknown) => JSON.stringify(capped(v ?? null));

/** Deep equality with a stack instead of recursion: a plan may nest deeper than the call stack. */
function same(a: unknown, b: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[a ?? null, b ?? null]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null) {
      if (x !== y) return false;
      continue;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const [kx, ky] = [Object.keys(x), Object.keys(y)];
    if (kx.length !== ky.length || kx.some((k, i) => k !== ky[i])) return false;
    for (const k of kx) stack.push([(x as Record<string, unknown>)[k] ?? null, (y as Record<string, unknown>)[k] ?? null]);
  }
  return true;
}

const segment = (key: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

function shown(v: unknown): PlanValue {
  const text = json(v);
  return { kind: 'value', json: text.length > ATTRIBUTE_LIMITS.valueChars ? `${text.slice(0, ATTRIBUTE_LIMITS.valueChars - 1)}…` : text };
}

interface Marks {
  beforeSensitive: unknown;
  afterSensitive: unknown;
  afterUnknown: unknown;
}

/**
 * Walks before and after together: objects by key (so `input.storage_gb` is one line, not the whole
 * `input`), anything else as one value. A sensitive value is compared but never copied out; a value
 * not known until apply is shown without its before.
 */
function walk(before: unknown, after: unknown, marks: Marks, path: string, depth: number, out: AttributeChange[]): void {
  const sensitive = marks.beforeSensitive === true || marks.afterSensitive === true;
  const whollyUnknown = marks.afterUnknown === true;
  if (!sensitive && !whollyUnknown && depth < ATTRIBUTE_LIMITS.depth && (isObject(before) || isObject(after)) && (isObject(before) || before == null) && (isObject(after) || after == null)) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const sub = { beforeSensitive: child(marks.beforeSensitive, key), afterSensitive: child(marks.afterSensitive, key), afterUnknown: child(marks.afterUnknown, key) };
      walk(b[key], a[key], sub, `${path}${path ? segment(key) : key}`, depth + 1, out);
    }
    return;
  }
  const unknown = marked(marks.afterUnknown);
  if (!unknown && same(before, after)) return;
  const hidden = (mark: unknown) => sensitive || marked(mark);
  out.push({
    path: path || '(all)',
    ...(unknown ? {} : { before: hidden(marks.beforeSensitive) ? { kind: 'sensitive' } : shown(before) }),
    after: unknown ? { kind: 'unknown' } : hidden(marks.afterSensitive) ? { kind: 'sensitive' } : shown(after),
  });
}

/**
 * The attributes an update or a replacement changes: known values first, then hidden ones; those that
 * force a replacement are marked and come first among their kind. At most `ATTRIBUTE_LIMITS.perResource`; `more` counts the rest.
 */
export function attributeChanges(detail: ChangeDetail): { attributes: AttributeChange[]; more: number } {
  const all: AttributeChange[] = [];
  walk(detail.before, detail.after, { beforeSensitive: detail.before_sensitive, afterSensitive: detail.after_sensitive, afterUnknown: detail.after_unknown }, '', 0, all);
  const forcing = (detail.replace_paths ?? []).map((p) => p.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : `${acc}${acc ? segment(s) : s}`), ''));
  const forces = (path: string) => forcing.some((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`) || f.startsWith(`${path}.`) || f.startsWith(`${path}[`));
  // Known values first, then hidden ones, then those known after apply; within each, what forces a replacement first.
  const rank = (c: AttributeChange) => (c.after.kind === 'value' ? 0 : c.after.kind === 'sensitive' ? 2 : 4) + (c.forcesReplacement ? 0 : 1);
  const ordered = all.map((c) => (forces(c.path) ? { ...c, forcesReplacement: true } : c)).sort((x, y) => rank(x) - rank(y));
  return { attributes: ordered.slice(0, ATTRIBUTE_LIMITS.perResource), more: Math.max(0, ordered.length - ATTRIBUTE_LIMITS.perResource) };
}
