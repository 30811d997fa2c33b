import { microsToUsd } from '../cost/money.js';

/** Money is integer micro-dollars inside; dollars only at the edges. */
export { microsToUsd, usdToMicros } from '../cost/money.js';

/** "$1,234.56" from micro-dollars, for messages. */
export function formatUsd(micros: number): string {
  return `$${microsToUsd(micros).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
