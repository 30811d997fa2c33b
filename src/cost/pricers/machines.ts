import { machineShape } from '../../resources/catalogs/index.js';
import type { MachineShape, Provider } from '../../domain/resources.js';
import { found, missing, type Lookup } from '../components.js';
import { parsePrice, times, type Pico } from '../money.js';
import type { RegionPrices } from '../schema.js';

/**
 * Hourly list price of a machine type in a region. GCP families are priced from per-vCPU and per-GiB rates
 * and the catalog shape (shared-core E2 bills its fractional vCPU); everything else has a whole-machine price.
 */
/** The family whose rates and commitments apply: GCP's e2/n1/n2… span standard, highmem and highcpu series. */
export function familyOf(provider: Provider, machineType: string, shape: MachineShape): string {
  return provider === 'gcp' && !shape.family.endsWith('-custom') ? machineType.split('-')[0]! : shape.family;
}

export function machineHourly(provider: Provider, region: RegionPrices, machineType: string, cpu?: number, memoryGb?: number): Lookup<Pico> {
  const shape = machineShape(provider, machineType, cpu, memoryGb);
  const rates = shape ? region.machine_families?.[familyOf(provider, machineType, shape)] : undefined;
  if (shape && rates) {
    return found(times(parsePrice(rates.vcpu_hour), shape.billed_vcpu ?? shape.vcpu) + times(parsePrice(rates.gib_ram_hour), shape.memory_gb));
  }
  const whole = region.machines?.[machineType];
  if (whole) return found(parsePrice(whole.hour));
  if (shape?.family.endsWith('-custom')) return missing(`custom machine type ${machineType} is billed on separate custom SKUs that the price data does not have`);
  return missing(`no price for machine type ${machineType} in this region`);
}
