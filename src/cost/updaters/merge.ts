import { CATALOGS } from '../../resources/catalogs/index.js';
import type { PriceFile, RegionPrices } from '../schema.js';
import type { PriceRecord } from './records.js';

export interface SourceNote {
  id: string;
  title: string;
  url: string;
  covers: string;
}

type Rates = { vcpu_hour?: string; gib_ram_hour?: string };
const rateKey = (part: 'vcpu' | 'ram') => (part === 'vcpu' ? 'vcpu_hour' : 'gib_ram_hour');

function apply(reg: RegionPrices, r: PriceRecord, src: string): void {
  switch (r.kind) {
    case 'machine':
      (reg.machines ??= {})[r.sku] = { hour: r.hourly, source: src };
      return;
    case 'machine_rate': {
      const fam = ((reg.machine_families ??= {})[r.family] ??= { vcpu_hour: '', gib_ram_hour: '', source: src }) as Rates & { source: string };
      fam[rateKey(r.part)] = r.hourly;
      fam.source = src;
      return;
    }
    case 'disk':
      (reg.disks ??= {})[r.sku] = { gb_month: r.gb_month, source: src };
      return;
    case 'disk_tier':
      ((reg.disk_tiers ??= {})[r.disk_type] ??= {})[r.tier] = { max_gb: r.max_gb, month: r.month, source: src };
      return;
    case 'storage':
      (reg.storage ??= {})[r.sku] = { tiers: r.tiers, source: src };
      return;
    case 'database': {
      const pair = ((reg.databases ??= {})[r.engine] ??= {})[r.tier] ??= {};
      pair[r.deployment] = r.hourly;
      pair.source = src;
      return;
    }
    case 'database_rate': {
      const fam = ((reg.database_families ??= {})[r.family] ??= { single: { vcpu_hour: '', gib_ram_hour: '' }, source: src });
      const rates = (fam[r.deployment] ??= { vcpu_hour: '', gib_ram_hour: '' }) as Rates;
      rates[rateKey(r.part)] = r.hourly;
      fam.source = src;
      return;
    }
    case 'database_storage': {
      const pair = ((reg.database_storage ??= {})[r.engine] ??= {});
      pair[r.deployment] = r.gb_month;
      pair.source = src;
      return;
    }
    case 'commitment': {
      const c = ((reg.commitments ??= {})[r.sku] ??= { program: r.program, source: src });
      c[r.term === '1y' ? 'one_year_hourly' : 'three_year_hourly'] = r.hourly;
      c.source = src;
      return;
    }
  }
}

/** Only what our catalog can ask for: the official lists carry every region and thousands of SKUs. */
function wanted(file: PriceFile, r: PriceRecord): boolean {
  const catalog = CATALOGS[file.provider];
  if (!(r.region in catalog.regions)) return false;
  return r.kind !== 'machine' && r.kind !== 'commitment' ? true : r.sku in catalog.machineTypes;
}

const incomplete = (r: Rates | undefined) => r !== undefined && (r.vcpu_hour === '' || r.gib_ram_hour === '');

/** A family whose source had only its vCPU or only its RAM SKU is not priceable: keep what was there before. */
function dropHalfFamilies(next: PriceFile, before: PriceFile): void {
  for (const [name, reg] of Object.entries(next.regions)) {
    for (const [fam, rates] of Object.entries(reg.machine_families ?? {})) {
      if (!incomplete(rates)) continue;
      const old = before.regions[name]?.machine_families?.[fam];
      if (old) reg.machine_families![fam] = old;
      else delete reg.machine_families![fam];
    }
    for (const [fam, rates] of Object.entries(reg.database_families ?? {})) {
      if (!incomplete(rates.single) && !incomplete(rates.ha)) continue;
      const old = before.regions[name]?.database_families?.[fam];
      if (old) reg.database_families![fam] = old;
      else delete reg.database_families![fam];
    }
  }
}

/** Updates what the source covers, keeps the rest, moves as_of and appends the source. */
export function mergeRecords(file: PriceFile, records: PriceRecord[], source: SourceNote, asOf: string): { file: PriceFile; applied: number } {
  const next: PriceFile = structuredClone(file);
  let applied = 0;
  for (const r of records) {
    if (r.provider !== file.provider || !wanted(next, r)) continue;
    apply((next.regions[r.region] ??= {}), r, source.id);
    applied++;
  }
  dropHalfFamilies(next, file);
  next.as_of = asOf;
  next.sources = [...next.sources.filter((s) => s.id !== source.id), { ...source, retrieved: asOf }];
  return { file: next, applied };
}
