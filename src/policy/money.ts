/** Money is integer micro-dollars inside; dollars only at the edges. One formatter, taking micro-dollars. */
export { formatUsd, microsToUsd, usdToMicros } from '../cost/money.js';
