import { z } from 'zod';

/**
 * Field parsers shared by every spec schema. Values arrive as JSON values (CLI files), or as
 * strings (modals, spreadsheet cells), so numbers and booleans accept their plain-text forms —
 * but nothing else: "1e3", "12abc" or "" are refused, never coerced to something surprising.
 */
const show = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

type Ctx = z.core.$RefinementCtx;
const fail = (ctx: Ctx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export const name = (field = 'name') =>
  z.unknown().transform((v, ctx): string => {
    if (typeof v !== 'string' || !NAME_PATTERN.test(v.trim())) {
      return fail(ctx, `${field} '${show(v)}' must be 2-63 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`);
    }
    return v.trim();
  });

export const int = (field: string, min: number, max: number, unit = '') =>
  z.unknown().transform((v, ctx): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d{1,12}\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      return fail(ctx, `${field} must be a whole number from ${min} to ${max}${unit ? ` ${unit}` : ''}, got '${show(v)}'`);
    }
    return n;
  });

export const decimal = (field: string, min: number, max: number, unit = '') =>
  z.unknown().transform((v, ctx): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,9}(\.\d{1,6})?\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < min || n > max) {
      return fail(ctx, `${field} must be a number from ${min} to ${max}${unit ? ` ${unit}` : ''}, got '${show(v)}'`);
    }
    return n;
  });

const TRUE = new Set(['true', 'yes', 'y', '1', 'on', 'enabled']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off', 'disabled']);

export const bool = (field: string) =>
  z.unknown().transform((v, ctx): boolean => {
    if (typeof v === 'boolean') return v;
    const s = typeof v === 'string' ? v.trim().toLowerCase() : typeof v === 'number' ? String(v) : '';
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
    return fail(ctx, `${field} must be true or false (yes/no), got '${show(v)}'`);
  });

/** Closest allowed values first, so the hint points at what the user probably meant. */
export function suggest(value: string, allowed: readonly string[], count = 4): string[] {
  const v = value.toLowerCase();
  const score = (a: string) => {
    const s = a.toLowerCase();
    let common = 0;
    while (common < Math.min(s.length, v.length) && s[common] === v[common]) common++;
    return -common * 10 + Math.abs(s.length - v.length);
  };
  return [...allowed].sort((a, b) => score(a) - score(b)).slice(0, count);
}

export const choice = <T extends string>(field: string, allowed: readonly T[], what: string, popular?: T) =>
  z.unknown().transform((v, ctx): T => {
    const s = typeof v === 'string' ? v.trim() : '';
    const exact = allowed.find((a) => a === s) ?? allowed.find((a) => a.toLowerCase() === s.toLowerCase());
    if (exact) return exact;
    const hint = allowed.length <= 8 ? allowed.join(', ') : `${[...new Set([...(popular ? [popular] : []), ...suggest(s, allowed)])].slice(0, 4).join(', ')}…`;
    return fail(ctx, `${field} '${show(v)}' is not ${what}; ${allowed.length <= 8 ? 'use one of' : 'try'} ${hint}`);
  });

/** Lists arrive as JSON arrays or as comma/newline separated text. */
export const list = (field: string, max: number) =>
  z.unknown().transform((v, ctx): string[] => {
    const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[,\n]/) : null;
    if (!items || !items.every((i) => typeof i === 'string' || typeof i === 'number')) {
      return fail(ctx, `${field} must be a list of values (comma separated), got '${show(v)}'`);
    }
    const out = items.map((i) => String(i).trim()).filter((i) => i !== '');
    if (out.length > max) return fail(ctx, `${field} has ${out.length} entries; at most ${max} are allowed`);
    return out;
  });

/** GCP's label rules, the strictest of the three clouds (AWS and Azure tags take all of these), so one spec is valid on each. */
export const MAX_LABELS = 16;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
/** Keys the generators already put on every resource (GCP's provider default_labels). */
export const RESERVED_LABELS = ['managed_by', 'cloud_engine_project'];

/** `owner=alice, environment=dev` → pairs in order; an entry without `=` is a problem naming it. */
function labelPairs(text: string, problems: string[]): Array<[string, unknown]> {
  return text.split(/[,\n]/).map((e) => e.trim()).filter(Boolean).flatMap((entry): Array<[string, unknown]> => {
    const eq = entry.indexOf('=');
    if (eq < 0) return problems.push(`labels: '${show(entry)}' must be key=value, e.g. owner=alice, environment=dev`), [];
    return [[entry.slice(0, eq).trim(), entry.slice(eq + 1).trim()]];
  });
}

/**
 * Labels arrive as an object (files) or as `key=value, key=value` text (forms, cells). Out come the pairs
 * sorted by key, or undefined for none, so absent, blank and `{}` are the same spec.
 */
export const labels = () =>
  z.unknown().transform((v, ctx): Record<string, string> | undefined => {
    const problems: string[] = [];
    const isObject = typeof v === 'object' && v !== null && !Array.isArray(v);
    if (typeof v !== 'string' && !isObject) return fail(ctx, `labels must be key=value pairs separated by commas (or an object of text values), got '${show(v)}'`);
    const pairs = typeof v === 'string' ? labelPairs(v, problems) : Object.entries(v as object);
    if (pairs.length > MAX_LABELS) return fail(ctx, `labels: ${pairs.length} labels given; at most ${MAX_LABELS} are allowed`);
    const seen = new Set<string>();
    for (const [key, value] of pairs) {
      if (!LABEL_KEY.test(key)) problems.push(`labels: key '${show(key)}' must be 1-63 characters: lowercase letters, digits, _ and -, starting with a letter`);
      else if (RESERVED_LABELS.includes(key)) problems.push(`labels: key '${key}' is set by Cloud Engine on every resource; choose another key`);
      else if (seen.has(key)) problems.push(`labels: key '${key}' is given twice`);
      if (typeof value !== 'string') problems.push(`labels: the value of '${show(key)}' must be text (in quotes), got ${show(value)}`);
      else if (!LABEL_VALUE.test(value)) problems.push(`labels: value '${show(value)}' of '${show(key)}' must be 0-63 characters: lowercase letters, digits, _ and -`);
      seen.add(key);
    }
    if (problems.length) {
      for (const message of problems) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    const sorted = pairs.map(([k, x]): [string, string] => [k, x as string]).sort(([a], [b]) => (a < b ? -1 : 1));
    return sorted.length ? Object.fromEntries(sorted) : undefined;
  });

/** Labels as people write them, the inverse of the text form `labels` reads. */
export const labelsText = (pairs: Record<string, string>): string => Object.entries(pairs).map(([k, v]) => `${k}=${v}`).join(', ');

/** A yes/no whose no is the default: false is left out of the spec, so saying no changes nothing. */
export const flag = (field: string) => bool(field).transform((b): boolean | undefined => (b ? true : undefined));
