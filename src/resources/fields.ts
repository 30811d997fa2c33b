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
