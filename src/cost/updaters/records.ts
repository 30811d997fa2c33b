import type { Provider } from '../../domain/resources.js';

/** One price, normalized from any cloud's official format; `merge` writes records into a price file. */
export type PriceRecord = { provider: Provider; region: string } & (
  | { kind: 'machine'; sku: string; hourly: string; attributes?: Record<string, string> }
  | { kind: 'machine_rate'; family: string; part: 'vcpu' | 'ram'; hourly: string }
  | { kind: 'disk'; sku: string; gb_month: string }
  | { kind: 'disk_tier'; disk_type: string; tier: string; max_gb: number; month: string }
  | { kind: 'storage'; sku: string; tiers: Array<{ from_gb: number; gb_month: string }> }
  | { kind: 'database'; engine: string; tier: string; deployment: 'single' | 'ha'; hourly: string }
  | { kind: 'database_rate'; family: string; deployment: 'single' | 'ha'; part: 'vcpu' | 'ram'; hourly: string }
  | { kind: 'database_storage'; engine: string; deployment: 'single' | 'ha'; gb_month: string }
  | { kind: 'commitment'; sku: string; program: string; term: '1y' | '3y'; hourly: string }
);

const PLACES = 12;

/** "0.0416000000" → "0.0416"; numbers go through their shortest decimal form. */
export function normDecimal(v: string | number): string {
  const s = typeof v === 'number' ? (Number.isFinite(v) && v >= 0 ? v.toFixed(PLACES) : 'x') : v.trim();
  if (!/^\d+(\.\d+)?$/.test(s)) throw new Error(`not a price: ${String(v)}`);
  const [int, frac = ''] = s.split('.');
  const f = frac.slice(0, PLACES).replace(/0+$/, '');
  return `${BigInt(int!).toString()}${f ? `.${f}` : ''}`;
}

const scaled = (s: string, places: number) => {
  const [i, f = ''] = normDecimal(s).split('.');
  return BigInt(i!) * 10n ** BigInt(places) + BigInt(f.padEnd(places, '0').slice(0, places));
};

/** a / b rounded half-up to `places` decimals, exactly (reservation term ÷ hours, IDR ÷ conversion rate). */
export function divideDecimal(a: string, b: string, places: number): string {
  const num = scaled(a, PLACES) * 10n ** BigInt(places);
  const den = scaled(b, PLACES);
  const q = (num * 2n + den) / (den * 2n);
  const s = q.toString().padStart(places + 1, '0');
  return normDecimal(`${s.slice(0, -places)}.${s.slice(-places)}`);
}

/** a × n for a whole number n, exactly (a per-vCore rate × the tier's vCores). */
export function multiplyDecimal(a: string, n: number): string {
  const [int, frac = ''] = normDecimal(a).split('.');
  const digits = (BigInt(`${int}${frac}`) * BigInt(n)).toString().padStart(frac.length + 1, '0');
  return normDecimal(frac ? `${digits.slice(0, -frac.length)}.${digits.slice(-frac.length)}` : digits);
}
