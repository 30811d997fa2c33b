import { dbTierShape } from '../../resources/catalogs/index.js';
import type { DatabaseSpec, Provider } from '../../domain/resources.js';
import { component, found, hourly, missing, type Component, type Lookup } from '../components.js';
import { HOURS_PER_MONTH } from '../../domain/money.js';
import { parsePrice, times, type Pico } from '../money.js';
import type { PriceFile, RegionPrices } from '../schema.js';

type Pair = { single?: string; ha?: string };

/** HA rate from the price list (Multi-AZ, regional), else the file's documented multiplier (Azure standby). */
function pick(pair: Pair | undefined, ha: boolean, file: PriceFile, what: string): Lookup<Pico> {
  if (!pair) return missing(`no price for ${what}`);
  if (!ha) return pair.single ? found(parsePrice(pair.single)) : missing(`no single-instance price for ${what}`);
  if (pair.ha) return found(parsePrice(pair.ha));
  if (pair.single && file.database_ha_multiplier) return found(times(parsePrice(pair.single), Number(file.database_ha_multiplier)));
  return missing(`no high-availability price for ${what}`);
}

/** Azure HA is zone-redundant where the region has zones, and same-zone where it has none (westus); both double. */
const haLabel = (provider: Provider, ha: boolean, region: RegionPrices) =>
  (!ha ? 'single instance' : provider === 'aws' ? 'Multi-AZ' : provider === 'gcp' ? 'regional HA' : region.zones?.length === 0 ? 'same-zone HA' : 'zone-redundant HA');

/** The instance lines: they depend only on (provider, region, engine, tier, HA), so callers may cache them. */
export function instanceComponents(provider: Provider, file: PriceFile, region: RegionPrices, spec: Pick<DatabaseSpec, 'engine' | 'tier' | 'region' | 'high_availability'>): Component[] {
  const ha = spec.high_availability;
  const named = region.databases?.[spec.engine]?.[spec.tier] ?? region.databases?.any?.[spec.tier];
  const shape = dbTierShape(provider, spec.tier);
  const family = shape && region.database_families?.[shape.family];
  if (!named && shape && family) {
    const rates = ha ? family.ha : family.single;
    const why = `no ${ha ? 'HA ' : ''}rate for ${shape.family} tiers in ${spec.region}`;
    const label = haLabel(provider, ha, region);
    return [
      component(`vCPUs (${shape.vcpu}, ${label})`, 'vCPU-hour', shape.vcpu * HOURS_PER_MONTH, rates ? found(parsePrice(rates.vcpu_hour)) : missing(why)),
      component(`Memory (${shape.memory_gb} GB, ${label})`, 'GB-hour', shape.memory_gb * HOURS_PER_MONTH, rates ? found(parsePrice(rates.gib_ram_hour)) : missing(why)),
    ];
  }
  const what = `${spec.engine} tier ${spec.tier} in ${spec.region}`;
  return [hourly(`Database instance (${spec.tier}, ${haLabel(provider, ha, region)})`, pick(named, ha, file, what))];
}

/** The storage line's label and per-GB price: they depend only on (engine, HA), so callers may cache them. */
export function storagePrice(file: PriceFile, region: RegionPrices, spec: Pick<DatabaseSpec, 'engine' | 'region' | 'high_availability'>): { label: string; price: Lookup<Pico> } {
  const storagePair = region.database_storage?.[spec.engine] ?? region.database_storage?.any;
  return {
    label: spec.high_availability ? 'Storage (replicated for HA)' : 'Storage (single instance)',
    price: pick(storagePair, spec.high_availability, file, `database storage in ${spec.region}`),
  };
}

export function backupWarnings(region: RegionPrices, spec: Pick<DatabaseSpec, 'backups_enabled'>): string[] {
  if (!spec.backups_enabled) return [];
  const backup = region.database_backup_gb_month;
  return [
    backup
      ? `Backups are usage-based and not included: storage beyond the free allowance is billed at $${backup}/GB-month.`
      : 'Backups are usage-based and their price is not in the price data; they are not included.',
  ];
}
