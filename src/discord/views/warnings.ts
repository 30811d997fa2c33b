import type { PlanWarning } from '../../domain/plans.js';
import { formatUsd } from '../../domain/money.js';

/** One line of the lobby's Warnings field; recommendations have a field of their own. */
export function warningLine(w: PlanWarning): string {
  switch (w.kind) {
    case 'over_budget': return `🚫 Projected ${formatUsd(w.projectedMicros)}/month exceeds the budget of ${formatUsd(w.limitMicros)} by ${formatUsd(w.overageMicros)}; only a project admin can approve with an override.`;
    case 'alert_crossed': return `⚠️ Projected ${formatUsd(w.projectedMicros)}/month crosses the budget alert at ${formatUsd(w.thresholdMicros)}.`;
    case 'prices_unknown': return '❔ Some prices are unknown; the totals are incomplete.';
    case 'quota': return `🚫 ${w.problem}`;
    case 'recommendation': return `💡 ${w.resource}: ${w.message}`;
    case 'resource': return `⚠️ ${w.resource}: ${w.message}`;
    case 'legacy': return w.text;
  }
}
