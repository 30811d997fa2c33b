import type { Money } from '../domain/money.js';

/** The fields that hold Money in what the CLI prints as JSON (estimates, plan costs, budget verdicts). */
const MONEY_FIELDS = new Set(['hourly', 'monthly', 'total_hourly', 'total_monthly', 'before_monthly', 'after_monthly', 'delta_monthly', 'monthly_savings', 'limit', 'projected_monthly', 'remaining', 'overage', 'threshold', 'delta']);

/**
 * JSON for scripts: each Money field `x` (integer micro-dollars) becomes `x_usd` in dollars, the contract the
 * CLI's `--json` has always printed; everything else is copied as it is.
 */
export function withDollars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withDollars);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => (MONEY_FIELDS.has(k) && typeof v === 'number' ? [`${k}_usd`, (v as Money) / 1e6] : [k, withDollars(v)])));
}
