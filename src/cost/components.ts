import { HOURS_PER_MONTH, micros } from '../domain/money.js';
import { Accumulator, amountMicros, parsePrice, picoToUsd, times, toMicros, type Micros, type Pico } from './money.js';

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
  return { component: name, unit, quantity, unitPrice: price.value, monthly: amountMicros(price.value, quantity) };
}

export const hourly = (name: string, price: Lookup<Pico>, hours = HOURS_PER_MONTH): Component => component(name, 'hour', hours, price);

export const priceOf = (text: string | undefined, reason: string): Lookup<Pico> => (text === undefined ? missing(reason) : found(parsePrice(text)));

type Tiers = Array<{ from_gb: number; gb_month: string }>;
type ParsedTier = { from: number; upTo: number; price: Pico };

/** Price-file tier arrays are immutable once loaded: each is parsed once, not on every estimate. */
const parsedTiers = new WeakMap<Tiers, ParsedTier[]>();

function parseTiers(tiers: Tiers): ParsedTier[] {
  let parsed = parsedTiers.get(tiers);
  if (!parsed) {
    parsed = tiers.map((t, i) => ({ from: t.from_gb, upTo: tiers[i + 1]?.from_gb ?? Infinity, price: parsePrice(t.gb_month) }));
    parsedTiers.set(tiers, parsed);
  }
  return parsed;
}

/** Sums a tiered GB-month price (S3 Standard 0.023 / 0.022 / 0.021 at 0 / 50 TB / 500 TB), rounded once. */
export function tieredMonthly(tiers: Tiers, gb: number): Micros {
  const parsed = parseTiers(tiers);
  if (parsed.length === 1) return amountMicros(parsed[0]!.price, gb);
  const fast = new Accumulator();
  let exact = true;
  for (let i = 0; i < parsed.length && exact; i++) {
    const t = parsed[i]!;
    const inTier = Math.max(0, Math.min(gb, t.upTo) - t.from);
    if (inTier > 0) exact = fast.add(t.price, inTier);
  }
  const micros = exact ? fast.micros() : undefined;
  if (micros !== undefined) return micros;
  let total = 0n;
  for (const t of parsed) {
    const inTier = Math.max(0, Math.min(gb, t.upTo) - t.from);
    if (inTier > 0) total += times(t.price, inTier);
  }
  return toMicros(total);
}

/** The JSON contract's breakdown line. */
export function breakdownLine(c: Component) {
  return {
    component: c.component,
    unit: c.unit,
    quantity: c.quantity,
    unit_price_usd: 'unknown' in c ? 0 : picoToUsd(c.unitPrice),
    monthly: micros('unknown' in c ? 0 : c.monthly),
  };
}
