import type { CatalogTypes } from './catalog.js';
import type { MachineShape } from '../../domain/resources.js';

/**
 * A fictional cloud: everything runs as Terraform's built-in terraform_data, offline. Two regions, so
 * moving a resource between regions (and its price changing with it) can be tried offline too.
 */
const sizes: Record<string, MachineShape> = {
  small: { family: 'sandbox', vcpu: 1, memory_gb: 1 },
  medium: { family: 'sandbox', vcpu: 2, memory_gb: 4 },
  large: { family: 'sandbox', vcpu: 4, memory_gb: 16 },
};

export const sandboxCatalog: CatalogTypes = {
  provider: 'sandbox',
  label: 'Sandbox',
  defaultRegion: 'local',
  machineTypes: sizes,
  defaultMachineType: 'small',
  customFamilies: [],
  diskTypes: ['standard', 'ssd'],
  defaultDiskType: 'standard',
  diskSizeGb: { min: 1, max: 16384 },
  images: ['debian-12', 'ubuntu-24.04'],
  imagePattern: /^img-[a-z0-9-]{1,40}$/,
  imageHint: 'an image id such as img-custom-1',
  defaultImage: 'debian-12',
  dbVersions: { postgres: ['15', '16', '17'], mysql: ['8.0', '8.4'] },
  dbTiers: sizes,
  defaultDbTier: 'small',
  dbStorageGb: { min: 1, max: 16384 },
  storageClasses: ['standard', 'cold'],
  defaultStorageClass: 'standard',
};
