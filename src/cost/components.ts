import { HOURS_PER_MONTH, parsePrice, picoToUsd, times, toMicros, type Micros, type Pico } from './money.js';

export type Unit = 'hour' | 'GB-month' | 'month' | 'vCPU-hour' | 'GB-hour' | 'request';

/** A named cost component (Infracost's second layer): either priced exactly, or marked unknown with a reason. */
export type Component =
  | { component: string; unit: Unit; quantity: number; unitPrice: Pico; monthly: Micros }
  | { component: string; unit: Unit; quantity: number; unknown: string };

export type Lookup<T> = { ok: true; value: T } | { ok: false; reason: string };
export const found = <T>(value: T): Lookup<T> => ({ ok: true, value });
export const missing = <T>(reason: string): Lookup<T> => ({ ok: false, reason });

/** quantity is the monthly quantity in `unit` (730 for an always-on hour-priced thing). */
export function component(name: string, unit: Unit, quantity: number, price: Lookup<Pico>): Component {
  if (!price.ok) return { component: name, unit, quantity, unknown: price.reason };
  return { component: name, unit, quantity, unitPrice: price.value, monthly: toMicros(times(price.value, quantity)) };
}

export const hourly = (name: string, price: Lookup<Pico>, hours = HOURS_PER_MONTH): Component => component(name, 'hour', hours, price);

export const priceOf = (text: string | undefined, reason: string): Lookup<Pico> => (text === undefined ? missing(reason) : found(parsePrice(text)));

/** Sums a tiered GB-month price (S3 Standard 0.023 / 0.022 / 0.021 at 0 / 50 TB / 500 TB). */
export function tieredMonthly(tiers: Array<{ from_gb: number; gb_month: string }>, gb: number): Micros {
  let total = 0n;
  tiers.forEach((t, i) => {
    const upper = tiers[i + 1]?.from_gb ?? Infinity;
    const inTier = Math.max(0, Math.min(gb, upper) - t.from_gb);
    if (inTier > 0) total += times(parsePrice(t.gb_month), inTier);
  });
  return toMicros(total);
}

/** The JSON contract's breakdown line. */
export function breakdownLine(c: Component) {
  return {
    component: c.component,
    unit: c.unit,
    quantity: c.quantity,
    unit_price_usd: 'unknown' in c ? 0 : picoToUsd(c.unitPrice),
    monthly_usd: 'unknown' in c ? 0 : c.monthly / 1e6,
  };
}
