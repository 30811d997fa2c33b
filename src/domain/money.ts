/**
 * Money: an integer number of micro-dollars (USD × 1e6), from the cost engine through the store to the
 * adapters — exact, never floating-point dollars. Only an adapter turns it into dollars (formatUsd, a JSON
 * field, a chart); the brand keeps a dollar amount from being taken for Money by mistake.
 */
export type Money = number & { readonly __money: unique symbol };

/** Monthly figures are hourly list prices × 730 hours, every provider's convention. */
export const HOURS_PER_MONTH = 730;

/** An integer count of micro-dollars (what the store and the cost engine hold) as Money. */
export const micros = (n: number) => n as Money;
/** Dollars as a user typed them (a budget, a threshold), to the nearest micro-dollar. */
export const fromUsd = (usd: number) => Math.round(usd * 1e6) as Money;
/** Dollars, for an adapter's JSON or chart: the edge, never arithmetic. */
export const toUsd = (amount: Money) => amount / 1e6;

export function sumMoney(amounts: Iterable<Money>): Money {
  let total = 0;
  for (const a of amounts) total += a;
  return total as Money;
}

/** The hourly run-rate of a monthly amount, on the same 730-hour month. */
export const hourlyOf = (monthly: Money) => Math.round(monthly / HOURS_PER_MONTH) as Money;

/** "$1,234.57" — rounding to cents happens here and only here (Intl formatting is ~70 µs a call: too slow). */
export function formatUsd(amount: Money): string {
  const cents = Math.round(Math.abs(amount) / 10_000);
  const whole = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0 && cents > 0 ? '-' : ''}$${whole}.${String(cents % 100).padStart(2, '0')}`;
}
