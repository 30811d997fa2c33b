import { formatUsd as formatDollars, microsToUsd } from '../cost/money.js';

/** Money is integer micro-dollars inside; dollars only at the edges. */
export { microsToUsd, usdToMicros } from '../cost/money.js';

/** "$1,234.56" (or "-$5.00") from micro-dollars, for messages. */
export const formatUsd = (micros: number): string => formatDollars(microsToUsd(micros));
