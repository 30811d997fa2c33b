import type { CatalogTypes } from './catalog.js';
import { ratioSizes, shapes } from './catalog.js';


export const gcpCatalog: CatalogTypes = {
  provider: 'gcp',
  label: 'GCP',
  defaultRegion: 'us-central1',
  machineTypes: {
    // Shared-core E2 types report 2 vCPUs but bill a fraction of one.
    'e2-micro': { family: 'e2', vcpu: 2, memory_gb: 1, billed_vcpu: 0.25 },
    'e2-small': { family: 'e2', vcpu: 2, memory_gb: 2, billed_vcpu: 0.5 },
    'e2-medium': { family: 'e2', vcpu: 2, memory_gb: 4, billed_vcpu: 1 },
    // First-generation shared-core types, still sold: one vCPU at 20% / 50% of a core, priced per machine.
    'f1-micro': { family: 'f1', vcpu: 1, memory_gb: 0.6, billed_vcpu: 0.2 },
    'g1-small': { family: 'g1', vcpu: 1, memory_gb: 1.7, billed_vcpu: 0.5 },
    ...shapes('e2-standard', '-', ratioSizes([2, 4, 8, 16, 32], 4)),
    ...shapes('e2-highmem', '-', ratioSizes([2, 4, 8, 16], 8)),
    ...shapes('e2-highcpu', '-', ratioSizes([2, 4, 8, 16, 32], 1)),
    ...shapes('n1-standard', '-', ratioSizes([1, 2, 4, 8, 16, 32, 64, 96], 3.75)),
    ...shapes('n2-standard', '-', ratioSizes([2, 4, 8, 16, 32, 48, 64, 80, 96, 128], 4)),
    ...shapes('n2d-standard', '-', ratioSizes([2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224], 4)),
    ...shapes('c2-standard', '-', ratioSizes([4, 8, 16, 30, 60], 4)),
  },
  defaultMachineType: 'e2-medium',
  customFamilies: ['e2', 'n1', 'n2', 'n2d'],
  diskTypes: ['pd-standard', 'pd-balanced', 'pd-ssd'],
  defaultDiskType: 'pd-balanced',
  diskSizeGb: { min: 10, max: 65536 },
  images: ['debian-cloud/debian-12', 'ubuntu-os-cloud/ubuntu-2204-lts', 'ubuntu-os-cloud/ubuntu-2404-lts-amd64', 'rocky-linux-cloud/rocky-linux-9'],
  imagePattern: /^[a-z][a-z0-9-]{0,62}\/[a-z][a-z0-9-]{0,62}$/,
  imageHint: 'an image family as project/family, e.g. debian-cloud/debian-12',
  defaultImage: 'debian-cloud/debian-12',
  dbVersions: { postgres: ['13', '14', '15', '16', '17'], mysql: ['5.7', '8.0', '8.4'] },
  dbTiers: {
    'db-f1-micro': { family: 'shared', vcpu: 1, memory_gb: 0.6, billed_vcpu: 0.2 },
    'db-g1-small': { family: 'shared', vcpu: 1, memory_gb: 1.7, billed_vcpu: 0.5 },
  },
  defaultDbTier: 'db-f1-micro',
  dbStorageGb: { min: 10, max: 65536 },
  storageClasses: ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'],
  defaultStorageClass: 'STANDARD',
};

/** Cloud SQL custom tiers: db-custom-<vCPUs>-<MiB>, 1 or an even count up to 96 vCPUs, 0.9–6.5 GiB per vCPU in 256 MiB steps. */
export function parseGcpCustomTier(tier: string): { vcpu: number; memory_gb: number } | string | undefined {
  const m = /^db-custom-(\d{1,3})-(\d{3,6})$/.exec(tier);
  if (!m) return undefined;
  const vcpu = Number(m[1]);
  const mib = Number(m[2]);
  if (vcpu < 1 || vcpu > 96 || (vcpu > 1 && vcpu % 2 !== 0)) return `tier '${tier}': vCPUs must be 1 or an even number up to 96`;
  if (mib % 256 !== 0) return `tier '${tier}': memory must be a multiple of 256 MiB`;
  const gb = mib / 1024;
  if (gb < 0.9 * vcpu || gb > 6.5 * vcpu) return `tier '${tier}': memory must be 0.9–6.5 GiB per vCPU (${Math.ceil(0.9 * vcpu * 4) * 256}–${Math.floor(6.5 * vcpu * 4) * 256} MiB for ${vcpu} vCPU)`;
  return { vcpu, memory_gb: gb };
}
