import type { MachineShape, Provider } from '../../domain/resources.js';
import type { RegionOffer } from './regions.js';

export interface ProviderCatalog {
  provider: Provider;
  label: string;
  /** region → its zones (empty when the provider has no zone choice in our specs). From the price data. */
  regions: Record<string, string[]>;
  /** region → its geography and the catalog types not sold there. From the price data. */
  regionOffers: Record<string, RegionOffer>;
  defaultRegion: string;
  machineTypes: Record<string, MachineShape>;
  defaultMachineType: string;
  /** Families that accept custom shapes (`<family>-custom` + cpu + memory_gb). */
  customFamilies: string[];
  diskTypes: string[];
  defaultDiskType: string;
  diskSizeGb: { min: number; max: number };
  /** Friendly image aliases; images matching imagePattern are passed through as provider ids. */
  images: string[];
  imagePattern: RegExp;
  imageHint: string;
  defaultImage: string;
  dbVersions: { postgres: string[]; mysql: string[] };
  dbTiers: Record<string, MachineShape>;
  /** The tiers an engine accepts, where it does not accept them all (Azure MySQL has fewer series than PostgreSQL). */
  dbEngineTiers?: Partial<Record<'postgres' | 'mysql', string[]>>;
  defaultDbTier: string;
  dbStorageGb: { min: number; max: number };
  storageClasses: string[];
  defaultStorageClass: string;
}

/** What a provider's catalog module writes: everything but the regions, which come from pricing/<provider>.json. */
export type CatalogTypes = Omit<ProviderCatalog, 'regions' | 'regionOffers'>;

type Sizes = Array<[suffix: string, vcpu: number, memory_gb: number]>;

/** Expands `family` + size table into machine shapes, e.g. ("t3", ".", [["micro",2,1]]) → t3.micro. */
export function shapes(family: string, sep: string, sizes: Sizes, prefix = ''): Record<string, MachineShape> {
  const out: Record<string, MachineShape> = {};
  for (const [suffix, vcpu, memory_gb] of sizes) out[`${prefix}${family}${sep}${suffix}`] = { family, vcpu, memory_gb };
  return out;
}

/** Same vCPU count, memory = ratio × vCPU: the usual shape of a cloud machine family. */
export const ratioSizes = (counts: number[], ratio: number, name: (n: number) => string = String): Sizes =>
  counts.map((n) => [name(n), n, n * ratio]);
