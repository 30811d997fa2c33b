import type { ComputeVmSpec, Provider } from '../../domain/resources.js';
import { component, hourly, priceOf, type Component } from '../components.js';
import type { PriceFile, RegionPrices } from '../schema.js';
import { machineHourly } from './machines.js';

/** Azure managed-disk size tiers (GiB), as documented; prices come from the data. */
const AZURE_TIER_SIZES: Array<[number, number]> = [[4, 32], [6, 64], [10, 128], [15, 256], [20, 512], [30, 1024], [40, 2048], [50, 4096], [60, 8192], [70, 16384], [80, 32767]];
const AZURE_TIER_LETTER: Record<string, string> = { Standard_LRS: 'S', StandardSSD_LRS: 'E', Premium_LRS: 'P' };

function azureDisk(region: RegionPrices, spec: ComputeVmSpec): Component {
  const letter = AZURE_TIER_LETTER[spec.disk_type];
  const size = AZURE_TIER_SIZES.find(([, gb]) => gb >= spec.disk_size_gb);
  const name = letter && size ? `${letter}${size[0]}` : undefined;
  const label = `Managed disk (${spec.disk_type}${name ? ` ${name}, ${size![1]} GiB` : ''}, ${spec.disk_size_gb} GB requested)`;
  const tier = name ? region.disk_tiers?.[spec.disk_type]?.[name] : undefined;
  return component(label, 'month', 1, priceOf(tier?.month, `no price for ${spec.disk_type} tier ${name ?? '(size out of range)'} in ${spec.region}`));
}

/** The instance line alone: it depends only on (provider, region, machine type, cpu, memory), so callers may cache it. */
export const instanceComponent = (provider: Provider, region: RegionPrices, spec: Pick<ComputeVmSpec, 'machine_type' | 'cpu' | 'memory_gb'>): Component =>
  hourly(`Instance usage (${spec.machine_type}, on-demand, Linux)`, machineHourly(provider, region, spec.machine_type, spec.cpu, spec.memory_gb));

/** The boot/managed disk line, or undefined for a VM without a disk. */
export function diskComponent(file: PriceFile, region: RegionPrices, spec: ComputeVmSpec): Component | undefined {
  if (spec.disk_size_gb <= 0) return undefined;
  return file.provider === 'azure'
    ? azureDisk(region, spec)
    : component(`Boot disk (${spec.disk_type})`, 'GB-month', spec.disk_size_gb, priceOf(region.disks?.[spec.disk_type]?.gb_month, `no price for disk type ${spec.disk_type} in ${spec.region}`));
}
