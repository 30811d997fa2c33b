import { CATALOGS, machineShape } from '../../resources/catalogs/index.js';
import type { MachineShape, Provider } from '../../domain/resources.js';
import { HOURS_PER_MONTH } from '../../domain/money.js';
import { times, toMicros, type Micros } from '../money.js';
import { familyOf, machineHourly } from '../pricers/machines.js';
import type { RegionPrices } from '../schema.js';

export interface PricedMachine {
  type: string;
  shape: MachineShape;
  family: string;
  series: string;
  monthly: Micros;
}

/** The size ladder a machine type belongs to: e2-standard, e2 shared-core, t3, Dsv5… */
export function seriesOf(provider: Provider, machineType: string, shape: MachineShape): string {
  if (provider === 'gcp') return /^(.*)-\d+$/.exec(machineType)?.[1] ?? `${shape.family}-shared`;
  if (provider === 'aws') return machineType.split('.')[0]!;
  return shape.family;
}

/** Every catalog machine type priced in a region, cheapest first; built once per (provider, region). */
export function pricedMachines(provider: Provider, region: RegionPrices): PricedMachine[] {
  const out: PricedMachine[] = [];
  for (const type of Object.keys(CATALOGS[provider].machineTypes)) {
    const shape = machineShape(provider, type)!;
    const price = machineHourly(provider, region, type);
    if (price.ok) out.push({ type, shape, family: familyOf(provider, type, shape), series: seriesOf(provider, type, shape), monthly: toMicros(times(price.value, HOURS_PER_MONTH)) });
  }
  return out.sort((a, b) => a.monthly - b.monthly);
}
