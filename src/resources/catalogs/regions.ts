import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Provider } from '../../domain/resources.js';

/**
 * Where a provider sells and what: kept in pricing/<provider>.json next to each region's prices, so the regions
 * the lobby offers and the regions the estimator prices are one table. Adding a region is adding data.
 */
const names = z.array(z.string().min(1)).optional();

/** The fields a region carries besides its prices (the price-file schema extends these). */
export const regionOfferFields = {
  /** The region's zones, in the order the lobby lists them; empty when specs have no zone choice. */
  zones: z.array(z.string().min(1)),
  /** The continent or area the lobby groups regions by, e.g. "Asia Pacific". */
  geography: z.string().min(1),
  /** Catalog types the cloud does not sell in this region, with where that was read. */
  not_sold: z.object({ machine_types: names, disk_types: names, db_tiers: names, storage_classes: names, source: z.string().min(1) }).strict().optional(),
};

const offerFile = z.object({ regions: z.record(z.string(), z.object(regionOfferFields).passthrough()) }).passthrough();

export type OfferKind = 'machine_types' | 'disk_types' | 'db_tiers' | 'storage_classes';
export const OFFER_KINDS: readonly OfferKind[] = ['machine_types', 'disk_types', 'db_tiers', 'storage_classes'];

export interface RegionOffer {
  zones: string[];
  geography: string;
  notSold: Record<OfferKind, ReadonlySet<string>>;
}

/** dist/ mirrors src/ at the same depth, so this reaches the package's pricing/ from both. */
const PACKAGE_PRICING = new URL('../../../pricing/', import.meta.url);

/** The region table of a provider's shipped price file; a file without it is a packaging bug, so this throws. */
export function loadRegionOffers(provider: Provider, dir: URL = PACKAGE_PRICING): Record<string, RegionOffer> {
  const file = new URL(`${provider}.json`, dir);
  const parsed = offerFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file.pathname}: region table invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const out: Record<string, RegionOffer> = {};
  for (const [region, r] of Object.entries(parsed.data.regions)) {
    const unsold = (k: OfferKind): ReadonlySet<string> => new Set(r.not_sold?.[k] ?? []);
    const notSold = { machine_types: unsold('machine_types'), disk_types: unsold('disk_types'), db_tiers: unsold('db_tiers'), storage_classes: unsold('storage_classes') };
    out[region] = { zones: r.zones, geography: r.geography, notSold };
  }
  return out;
}
