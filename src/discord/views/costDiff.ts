import type { APIEmbedField } from 'discord.js';
import type { CostDiff, CostDiffLine } from '../../cost/index.js';
import { formatUsd, micros, type Money } from '../../domain/money.js';
import { typeLabel } from './format.js';
import { LIMITS, linesWithin } from './limits.js';

const SYMBOL: Record<Exclude<CostDiffLine['change'], 'unchanged'>, string> = { added: '+', changed: '~', removed: '-' };

/** "+$7.50" / "-$2.00" / "±$0.00": a change always shows its sign. */
export const signedUsd = (delta: Money): string => (delta > 0 ? `+${formatUsd(delta)}` : delta < 0 ? formatUsd(delta) : `±${formatUsd(micros(0))}`);

function resourceLine(l: CostDiffLine): string {
  const head = `${SYMBOL[l.change as keyof typeof SYMBOL]} **${l.name}** · ${typeLabel(l.type)}`;
  if (l.price_unknown) return `${head}: price unknown`;
  if (l.change === 'changed') return `${head}: ${formatUsd(l.before_monthly)} → ${formatUsd(l.after_monthly)} (${signedUsd(l.delta_monthly)})`;
  return `${head}: ${signedUsd(l.delta_monthly)}`;
}

/**
 * The session's change to the project's monthly run-rate, as the CLI prints it after a plan: before →
 * after, then each added, changed or removed resource, largest change first (what fits; the rest counted).
 */
export function costDiffField(diff: CostDiff | undefined): APIEmbedField | undefined {
  const moved = diff?.resources.filter((l) => l.change !== 'unchanged') ?? [];
  if (!diff || !moved.length) return undefined;
  const unchanged = diff.resources.length - moved.length;
  const head = [
    `${formatUsd(diff.before_monthly)} → **${formatUsd(diff.after_monthly)}/month** (${signedUsd(diff.delta_monthly)})${diff.complete ? '' : ' — incomplete: some prices unknown'}`,
    ...(unchanged ? [`${unchanged} resource${unchanged === 1 ? '' : 's'} unchanged`] : []),
  ].join('\n');
  const lines = [...moved].sort((a, b) => Math.abs(b.delta_monthly) - Math.abs(a.delta_monthly)).map(resourceLine);
  return { name: '📊 Run-rate change', value: `${head}\n${linesWithin(lines, LIMITS.fieldValue - head.length - 1)}` };
}
