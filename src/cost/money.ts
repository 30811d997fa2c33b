/**
 * Exact money. Unit prices are parsed from decimal strings into pico-dollars (1e-12 USD, enough for the
 * 10-decimal AWS and 9-decimal GCP price lists); amounts are rounded once, to integer micro-dollars, when a
 * cost component is priced. Floats appear only at the JSON/display edge.
 */
export type Pico = bigint;
/** Integer micro-dollars while the engine adds them up; what leaves the engine is Money (src/domain/money.ts). */
export type Micros = number;

const PICO_DIGITS = 12;
const QTY_SCALE = 1_000_000n;
const PICO_PER_MICRO = 1_000_000n;
const DECIMAL = /^(\d{1,9})(?:\.(\d{1,12}))?$/;
const cache = new Map<string, Pico>();

/** "0.13402284" → 134022840000n pico-dollars. Throws on anything that is not a plain non-negative decimal. */
export function parsePrice(text: string): Pico {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const m = DECIMAL.exec(text);
  if (!m) throw new Error(`not a decimal price: '${text}'`);
  const value = BigInt(m[1]!) * 10n ** BigInt(PICO_DIGITS) + BigInt((m[2] ?? '').padEnd(PICO_DIGITS, '0'));
  cache.set(text, value);
  return value;
}

/** Quantities (hours, GB, vCPUs) come as JS numbers with at most 6 meaningful decimals (0.25 vCPU, 3.75 GiB). */
function scaledQuantity(quantity: number): bigint {
  if (!Number.isFinite(quantity) || quantity < 0) throw new Error(`invalid quantity ${quantity}`);
  return BigInt(Math.round(quantity * Number(QTY_SCALE)));
}

const divRound = (n: bigint, d: bigint): bigint => (n >= 0n ? (n + d / 2n) / d : -((-n + d / 2n) / d));

/** price × quantity, exact in pico-dollars (rounded half-up only below a pico-dollar). */
export const times = (price: Pico, quantity: number): Pico => divRound(price * scaledQuantity(quantity), QTY_SCALE);

/** The one place a pico amount becomes integer micro-dollars. */
export const toMicros = (amount: Pico): Micros => Number(divRound(amount, PICO_PER_MICRO));

const MICRO = 1_000_000;

/** round-half-up(n / 1e6) for a non-negative safe integer n, exactly. */
function roundMillionths(n: number): number {
  const q = microPart(n);
  return (n - q * MICRO) * 2 >= MICRO ? q + 1 : q;
}

/**
 * toMicros(times(price, quantity)) — the monthly amount of a component — with the same exact result, computed in
 * plain integers when that is exact: a whole quantity (hours, GB) and a price below 2^53 pico-dollars (~$9,007 a
 * unit). Then price × quantity / 1e6 = micro-part × quantity + remainder × quantity / 1e6, both terms safe
 * integers, and only the second needs rounding. Anything else takes the BigInt path.
 */
export function amountMicros(price: Pico, quantity: number): Micros {
  const p = Number(price);
  if (Number.isSafeInteger(p) && Number.isSafeInteger(quantity) && quantity >= 0) {
    const whole = microPart(p);
    const hi = whole * quantity;
    const lo = (p - whole * MICRO) * quantity;
    if (hi <= Number.MAX_SAFE_INTEGER && lo <= Number.MAX_SAFE_INTEGER) {
      const total = hi + roundMillionths(lo);
      if (total <= Number.MAX_SAFE_INTEGER) return total;
    }
  }
  return toMicros(times(price, quantity));
}

/** floor(p / 1e6) for a non-negative safe integer, exactly. */
function microPart(p: number): number {
  const q = Math.floor(p / MICRO);
  const r = p - q * MICRO;
  return r < 0 ? q - 1 : r >= MICRO ? q + 1 : q;
}

/**
 * Σ price_i × quantity_i rounded once to micro-dollars, in plain integers: each term is split into its whole
 * micro-dollars (hi) and the sub-micro remainder in pico-dollars (lo); both sums stay exact while below 2^53.
 * add() returns false when a term is not eligible (fractional quantity, huge price) and the caller must use BigInts.
 */
export class Accumulator {
  private hi = 0;
  private lo = 0;

  add(price: Pico, quantity: number): boolean {
    const p = Number(price);
    if (!Number.isSafeInteger(p) || !Number.isSafeInteger(quantity) || quantity < 0) return false;
    const whole = microPart(p);
    this.hi += whole * quantity;
    this.lo += (p - whole * MICRO) * quantity;
    return this.hi <= Number.MAX_SAFE_INTEGER && this.lo <= Number.MAX_SAFE_INTEGER;
  }

  /** The rounded total, or undefined if it would not be exact as a Number. */
  micros(): Micros | undefined {
    const total = this.hi + roundMillionths(this.lo);
    return total <= Number.MAX_SAFE_INTEGER ? total : undefined;
  }
}

export const picoToUsd = (p: Pico): number => Number(p) / 1e12;

/** micros × pct / 100 for a percentage string ("37", "40.15"), rounded once to a micro-dollar. */
export const percentOf = (amount: Micros, pct: string): Micros => Number(divRound(BigInt(amount) * parsePrice(pct), 100n * 10n ** BigInt(PICO_DIGITS)));
