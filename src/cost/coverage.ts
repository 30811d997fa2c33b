import { CATALOGS, dbTiersFor, soldHere } from '../resources/catalogs/index.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import type { CostEstimator } from './estimator.js';
import type { PriceFile } from './schema.js';

export interface CoverageGap {
  region: string;
  offering: string;
  reason: string;
}

export interface RegionCoverage {
  region: string;
  offered: number;
  priced: number;
  unknown: number;
}

export interface Coverage {
  provider: Provider;
  combinations: number;
  gaps: CoverageGap[];
  regions: RegionCoverage[];
}

type Offering = { offering: string; spec: ResourceSpec };

/** A size every catalog accepts for its disks and databases; coverage is about which prices exist, not sizes. */
const GB = 100;

/**
 * Every priced thing the lobby offers for a provider, per region: each machine type the region sells (with the
 * default disk), each disk type it sells (on the default machine), each database tier an engine accepts and the
 * region sells × single/HA, and each storage class it sells (× LRS/GRS on Azure). Free resources (networks,
 * firewall rules) have nothing to look up and are left out.
 */
export function offerings(provider: Provider): Offering[] {
  const c = CATALOGS[provider];
  const replications: Array<'LRS' | 'GRS' | undefined> = provider === 'azure' ? ['LRS', 'GRS'] : [undefined];
  return Object.entries(c.regions).flatMap(([region, zones]): Offering[] => {
    const vm = (machine_type: string, disk_type: string): ResourceSpec => ({ type: 'compute_vm', name: 'vm', region, zone: zones[0] ?? '', machine_type, disk_type, disk_size_gb: Math.max(GB, c.diskSizeGb.min), image: c.defaultImage });
    const sold = (kind: Parameters<typeof soldHere>[2], names: readonly string[]) => soldHere(provider, region, kind, names);
    return [
      ...sold('machine_types', Object.keys(c.machineTypes)).map((t) => ({ offering: `VM ${t}`, spec: vm(t, c.defaultDiskType) })),
      ...sold('disk_types', c.diskTypes).map((d) => ({ offering: `disk ${d}`, spec: vm(c.defaultMachineType, d) })),
      ...(['postgres', 'mysql'] as const).flatMap((engine) =>
        sold('db_tiers', dbTiersFor(provider, engine)).flatMap((tier) =>
          [false, true].map((ha) => ({
            offering: `database ${engine} ${tier}${ha ? ' HA' : ''}`,
            spec: { type: 'database', name: 'db', region, engine, version: c.dbVersions[engine][0] ?? '', tier, storage_gb: Math.max(GB, c.dbStorageGb.min), backups_enabled: false, high_availability: ha } as ResourceSpec,
          })),
        ),
      ),
      ...sold('storage_classes', c.storageClasses).flatMap((cls) =>
        replications.map((replication) => ({
          offering: `bucket ${cls}${replication ? ` ${replication}` : ''}`,
          spec: { type: 'storage_bucket', name: 'bucket', region, storage_class: cls, versioning: false, lifecycle_days: null, storage_gb: GB, ...(replication ? { replication } : {}) } as ResourceSpec,
        })),
      ),
    ];
  });
}

/** Why the data has no source for an offering, where its region's `unsourced` notes say (an entry covers " HA" too). */
function unsourcedNote(file: PriceFile | undefined, region: string, offering: string): string | undefined {
  const notes = file?.regions[region]?.unsourced ?? {};
  return notes[offering] ?? notes[offering.replace(/ HA$/, '')];
}

/** Which offerings the price data cannot fully price, and why (with the data's note on the missing source, given the file). */
export function coverage(estimator: CostEstimator, provider: Provider, file?: PriceFile): Coverage {
  const all = offerings(provider);
  const gaps: CoverageGap[] = [];
  const regions = new Map(Object.keys(CATALOGS[provider].regions).map((region) => [region, { region, offered: 0, priced: 0, unknown: 0 }]));
  for (const { offering, spec } of all) {
    const e = estimator.estimateResource(provider, spec);
    const r = regions.get(spec.region)!;
    r.offered++;
    if (e.price_unknown === undefined) {
      r.priced++;
    } else {
      r.unknown++;
      const note = unsourcedNote(file, spec.region, offering);
      gaps.push({ region: spec.region, offering, reason: note ? `${e.price_unknown}; ${note}` : e.price_unknown });
    }
  }
  return { provider, combinations: all.length, gaps, regions: [...regions.values()] };
}
