import type { MachineShape, Provider } from '../../domain/resources.js';
import { awsCatalog } from './aws.js';
import { azureCatalog } from './azure.js';
import type { CatalogTypes, ProviderCatalog } from './catalog.js';
import { gcpCatalog, parseGcpCustomTier } from './gcp.js';
import { loadRegionOffers, OFFER_KINDS, type OfferKind } from './regions.js';
import { sandboxCatalog } from './sandbox.js';

export type { ProviderCatalog } from './catalog.js';
export type { OfferKind } from './regions.js';
export { parseGcpCustomTier } from './gcp.js';

const namesOf = (c: CatalogTypes, kind: OfferKind): readonly string[] =>
  kind === 'machine_types' ? Object.keys(c.machineTypes) : kind === 'disk_types' ? c.diskTypes : kind === 'db_tiers' ? Object.keys(c.dbTiers) : c.storageClasses;

/**
 * The catalog's types joined with the regions of pricing/<provider>.json. A region table that names a type the
 * catalog does not have, or lacks the default region, is a data bug: loading fails rather than offer half of it.
 */
function withRegions(c: CatalogTypes): ProviderCatalog {
  const regionOffers = loadRegionOffers(c.provider);
  const problems: string[] = [];
  if (!(c.defaultRegion in regionOffers)) problems.push(`default region ${c.defaultRegion} has no entry`);
  for (const [region, offer] of Object.entries(regionOffers)) {
    for (const kind of OFFER_KINDS) for (const name of offer.notSold[kind]) if (!namesOf(c, kind).includes(name)) problems.push(`${region}.not_sold.${kind}: '${name}' is not in the catalog`);
  }
  if (problems.length) throw new Error(`pricing/${c.provider}.json: ${problems.join('; ')}`);
  return { ...c, regionOffers, regions: Object.fromEntries(Object.entries(regionOffers).map(([r, o]) => [r, o.zones])) };
}

/**
 * User input is looked up in these tables (`c.dbTiers[tier]`, `region in c.regions`): without a prototype,
 * 'constructor', '__proto__' or 'toString' are not keys, however a lookup is written.
 */
function ownKeysOnly(c: ProviderCatalog): ProviderCatalog {
  const table = <T>(r: Record<string, T>): Record<string, T> => Object.freeze(Object.assign(Object.create(null) as Record<string, T>, r));
  return {
    ...c, regions: table(c.regions), regionOffers: table(c.regionOffers), machineTypes: table(c.machineTypes), dbTiers: table(c.dbTiers),
    dbVersions: table(c.dbVersions) as ProviderCatalog['dbVersions'], ...(c.dbEngineTiers ? { dbEngineTiers: table(c.dbEngineTiers) } : {}),
  };
}

export const CATALOGS: Record<Provider, ProviderCatalog> = {
  gcp: ownKeysOnly(withRegions(gcpCatalog)),
  aws: ownKeysOnly(withRegions(awsCatalog)),
  azure: ownKeysOnly(withRegions(azureCatalog)),
  sandbox: ownKeysOnly(withRegions(sandboxCatalog)),
};

/** Whether a region sells a type (custom shapes and anything the region does not list as unsold: yes). */
export const soldIn = (provider: Provider, region: string, kind: OfferKind, name: string): boolean =>
  !(CATALOGS[provider].regionOffers[region]?.notSold[kind].has(name) ?? false);

/** The regions that sell a type, for an error that tells the user where to go instead. */
export const regionsSelling = (provider: Provider, kind: OfferKind, name: string): string[] =>
  Object.keys(CATALOGS[provider].regions).filter((r) => soldIn(provider, r, kind, name));

/** The regions grouped by geography (groups in the order the data first names them, regions in data order within). */
export function regionsByArea(provider: Provider): string[] {
  const offers = CATALOGS[provider].regionOffers;
  const areas = [...new Set(Object.values(offers).map((o) => o.geography))];
  return areas.flatMap((area) => Object.keys(offers).filter((r) => offers[r]!.geography === area));
}

/** A catalog list narrowed to what one region sells. */
export const soldHere = (provider: Provider, region: string, kind: OfferKind, names: readonly string[]): string[] =>
  names.filter((n) => soldIn(provider, region, kind, n));

/** The shape of a machine type, or of a GCP custom type given its cpu and memory. */
export function machineShape(provider: Provider, machineType: string, cpu?: number, memoryGb?: number): MachineShape | undefined {
  const known = CATALOGS[provider].machineTypes[machineType];
  if (known) return known;
  const custom = /^([a-z0-9]+)-custom$/.exec(machineType);
  if (custom && cpu !== undefined && memoryGb !== undefined) return { family: `${custom[1]}-custom`, vcpu: cpu, memory_gb: memoryGb };
  return undefined;
}

/** The catalog tiers an engine accepts. */
export const dbTiersFor = (provider: Provider, engine: 'postgres' | 'mysql'): string[] =>
  CATALOGS[provider].dbEngineTiers?.[engine] ?? Object.keys(CATALOGS[provider].dbTiers);

/** The shape of a database tier, including GCP's db-custom-<cpu>-<MiB> tiers. */
export function dbTierShape(provider: Provider, tier: string): MachineShape | undefined {
  const known = CATALOGS[provider].dbTiers[tier];
  if (known) return known;
  if (provider === 'gcp') {
    const custom = parseGcpCustomTier(tier);
    if (custom && typeof custom === 'object') return { family: 'db-custom', ...custom };
  }
  return undefined;
}
