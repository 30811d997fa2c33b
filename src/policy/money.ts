/** Money is integer micro-dollars inside; dollars only at the edges. */
export const MICROS = 1_000_000;

export const usdToMicros = (usd: number): number => Math.round(usd * MICROS);
export const microsToUsd = (micros: number): number => micros / MICROS;

export function formatUsd(micros: number): string {
  const usd = micros / MICROS;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
