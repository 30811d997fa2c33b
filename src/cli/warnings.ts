import type { PlanWarning } from '../domain/plans.js';
import { formatUsd } from '../domain/money.js';

/** A plan warning as a terminal line: a word for its weight instead of an emoji. */
export function warningLine(w: PlanWarning): string {
  switch (w.kind) {
    case 'over_budget': return `over budget: ${formatUsd(w.projectedMicros)}/month is ${formatUsd(w.overageMicros)} above the budget of ${formatUsd(w.limitMicros)}; apply needs --budget-override by a project admin`;
    case 'alert_crossed': return `budget alert: ${formatUsd(w.projectedMicros)}/month crosses the alert at ${formatUsd(w.thresholdMicros)}`;
    case 'prices_unknown': return 'incomplete: some prices are unknown, so the totals leave them out';
    case 'quota': return `quota: ${w.problem}`;
    case 'recommendation': return `recommendation: ${w.resource}: ${w.message}`;
    case 'resource': return `warning: ${w.resource}: ${w.message}`;
    case 'legacy': return w.text;
  }
}
