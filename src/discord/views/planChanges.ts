import type { AttributeChange, PlanValue, ResourceChange } from '../../domain/plans.js';
import { truncate } from './limits.js';

type Action = 'replace' | 'destroy' | 'update' | 'create' | 'read';

const ACTION: Record<Action, { symbol: string; order: number }> = {
  replace: { symbol: '-/+', order: 0 },
  destroy: { symbol: '-', order: 1 },
  update: { symbol: '~', order: 2 },
  create: { symbol: '+', order: 3 },
  read: { symbol: '<=', order: 4 },
};

/** Attributes shown under one resource; the rest are counted. */
const ATTRIBUTES_SHOWN = 5;
/** A value is cut to this many characters: a lobby line is for seeing what moves, the plan message has all of it. */
const VALUE_CHARS = 60;

export function actionOf(c: ResourceChange): Action {
  const a = c.actions;
  if (a.includes('create') && a.includes('delete')) return 'replace';
  if (a.includes('delete')) return 'destroy';
  if (a.includes('update')) return 'update';
  return a.includes('read') ? 'read' : 'create';
}

const valueText = (v: PlanValue): string =>
  v.kind === 'sensitive' ? '(sensitive value)' : v.kind === 'unknown' ? '(known after apply)' : truncate(v.json, VALUE_CHARS);

function attributeLine(a: AttributeChange): string {
  const both = a.before?.kind === 'sensitive' && a.after.kind === 'sensitive';
  const values = both || !a.before ? valueText(a.after) : `${valueText(a.before)} → ${valueText(a.after)}`;
  return `    ${a.path}: ${values}${a.forcesReplacement ? ' (forces replacement)' : ''}`;
}

/** One resource as lines: its action and address, then (updates, replacements) what changes, before → after. */
export function changeBlock(c: ResourceChange): string[] {
  const action = actionOf(c);
  const head = `${ACTION[action].symbol} ${action} ${c.address}`;
  const attributes = c.attributes ?? [];
  const hidden = attributes.length - ATTRIBUTES_SHOWN + (c.moreAttributes ?? 0);
  return [
    head,
    ...attributes.slice(0, ATTRIBUTES_SHOWN).map(attributeLine),
    ...(hidden > 0 ? [`    … ${hidden} more attribute${hidden === 1 ? '' : 's'}`] : []),
  ];
}

/** Destructive changes first (replacements, then destroys), then updates, then creates; Terraform's order within each. */
export const reviewOrder = (changes: ResourceChange[]): ResourceChange[] =>
  changes.map((c, i) => ({ c, i })).sort((x, y) => ACTION[actionOf(x.c)].order - ACTION[actionOf(y.c)].order || x.i - y.i).map(({ c }) => c);

/**
 * Whole blocks while they fit in `max` characters; a block that does not fit whole keeps its first line;
 * once not even that fits, `rest(n)` says how many resources are left out. Every line is cut to fit.
 */
export function blocksWithin(blocks: string[][], max: number, rest: (left: number) => string): string {
  const out: string[] = [];
  const size = () => out.reduce((n, l) => n + l.length + 1, 0);
  for (const [i, block] of blocks.entries()) {
    const left = blocks.length - i - 1;
    const reserve = left ? rest(left).length + 1 : 0;
    const lines = block.map((l) => truncate(l, Math.max(1, max - reserve - 1)));
    const whole = lines.reduce((n, l) => n + l.length + 1, 0);
    if (size() + whole + reserve <= max + 1) out.push(...lines);
    else if (size() + lines[0]!.length + 1 + reserve <= max + 1) out.push(lines[0]!);
    else {
      out.push(rest(blocks.length - i));
      break;
    }
  }
  return truncate(out.join('\n'), max);
}
