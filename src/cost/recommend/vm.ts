import { machineShape } from '../../resources/catalogs/index.js';
import type { ComputeVmSpec, Provider } from '../../domain/resources.js';
import { formatUsd, HOURS_PER_MONTH, micros } from '../../domain/money.js';
import { parsePrice, percentOf, times, toMicros, type Micros } from '../money.js';
import { familyOf } from '../pricers/machines.js';
import type { PriceFile, RegionPrices } from '../schema.js';
import { seriesOf, type PricedMachine } from './machines.js';
import type { Recommendation } from './types.js';

const pctOf = (part: Micros, whole: Micros) => Math.round((part / whole) * 100);

/**
 * A cheaper type in the same family: with cpu/memory_gb, the cheapest one that still has them; otherwise the
 * next size down in the same series (for a machine that turns out under-used).
 */
export function rightsize(provider: Provider, spec: ComputeVmSpec, current: Micros, machines: PricedMachine[]): Recommendation[] {
  const shape = machineShape(provider, spec.machine_type, spec.cpu, spec.memory_gb);
  if (!shape || shape.family.endsWith('-custom')) return [];
  const wants = spec.cpu !== undefined || spec.memory_gb !== undefined;
  const cheaper = machines.filter((m) => m.monthly < current && m.type !== spec.machine_type);
  let pick: PricedMachine | undefined;
  let why: string;
  if (wants) {
    const cpu = spec.cpu ?? 0;
    const mem = spec.memory_gb ?? 0;
    const family = familyOf(provider, spec.machine_type, shape);
    pick = cheaper.find((m) => m.family === family && m.shape.vcpu >= cpu && m.shape.memory_gb >= mem);
    why = `it still has the ${cpu} vCPU / ${mem} GB you asked for`;
  } else {
    const series = seriesOf(provider, spec.machine_type, shape);
    pick = cheaper.filter((m) => m.series === series && m.shape.vcpu <= shape.vcpu && m.shape.memory_gb <= shape.memory_gb).at(-1);
    why = `the next size down in ${series}, if this machine turns out under-used`;
  }
  if (!pick) return [];
  const saving = current - pick.monthly;
  return [{ message: `Consider ${pick.type} to save ${formatUsd(micros(saving))}/month (~${pctOf(saving, current)}%): ${why}.`, monthly_savings: micros(saving) }];
}

/** Committed-use / reserved-instance savings for the terms the price data has. */
export function commitments(provider: Provider, region: RegionPrices, spec: ComputeVmSpec, current: Micros): Recommendation[] {
  const shape = machineShape(provider, spec.machine_type, spec.cpu, spec.memory_gb);
  const c = region.commitments?.[spec.machine_type] ?? (shape ? region.commitments?.[familyOf(provider, spec.machine_type, shape)] : undefined);
  if (!c) return [];
  const terms: Array<[string, string | undefined, string | undefined]> = [
    ['1-year', c.one_year_pct, c.one_year_hourly],
    ['3-year', c.three_year_pct, c.three_year_hourly],
  ];
  const out: Recommendation[] = [];
  for (const [term, pct, hourly] of terms) {
    const saving = pct !== undefined ? percentOf(current, pct) : hourly !== undefined ? current - toMicros(times(parsePrice(hourly), HOURS_PER_MONTH)) : 0;
    if (saving <= 0) continue;
    out.push({
      message: `A ${term} ${c.program} (${pct ?? pctOf(saving, current)}% off list) would save ${formatUsd(micros(saving))}/month on ${spec.machine_type}.`,
      monthly_savings: micros(saving),
    });
  }
  return out;
}

/** GCP list price vs sustained-use discount: the estimate stays list price; this says what SUD does. */
export function sustainedUseNote(file: PriceFile, spec: ComputeVmSpec, current: Micros): string[] {
  const family = spec.machine_type.split('-')[0]!;
  const sud = file.sustained_use?.[family];
  if (!sud) return [];
  const after = current - percentOf(current, sud.max_pct);
  return [`Estimate is the list price. GCP applies a sustained-use discount automatically to ${family} machines running the whole month (up to ${sud.max_pct}%): about ${formatUsd(micros(after))}/month instead.`];
}
