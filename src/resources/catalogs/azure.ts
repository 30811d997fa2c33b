import type { CatalogTypes } from './catalog.js';
import { ratioSizes, shapes } from './catalog.js';
import type { MachineShape } from '../../domain/resources.js';

const sizes = (counts: number[], ratio: number, suffix: string) => ratioSizes(counts, ratio, (n) => `${n}${suffix}`);

const bSeries: Record<string, MachineShape> = {
  Standard_B1s: { family: 'B', vcpu: 1, memory_gb: 1 },
  Standard_B1ms: { family: 'B', vcpu: 1, memory_gb: 2 },
  Standard_B2s: { family: 'B', vcpu: 2, memory_gb: 4 },
  Standard_B2ms: { family: 'B', vcpu: 2, memory_gb: 8 },
  Standard_B4ms: { family: 'B', vcpu: 4, memory_gb: 16 },
  Standard_B8ms: { family: 'B', vcpu: 8, memory_gb: 32 },
  Standard_B12ms: { family: 'B', vcpu: 12, memory_gb: 48 },
  Standard_B16ms: { family: 'B', vcpu: 16, memory_gb: 64 },
};

const vms: Record<string, MachineShape> = {
  ...bSeries,
  ...shapes('Standard_D', '', sizes([2, 4, 8, 16, 32, 48, 64], 4, '_v3')),
  ...shapes('Standard_D', '', sizes([2, 4, 8, 16, 32, 48, 64], 4, 's_v3')),
  ...shapes('Standard_D', '', sizes([2, 4, 8, 16, 32, 48, 64, 96], 4, '_v5')),
  ...shapes('Standard_D', '', sizes([2, 4, 8, 16, 32, 48, 64, 96], 4, 's_v5')),
  ...shapes('Standard_E', '', sizes([2, 4, 8, 16, 20, 32, 48, 64, 96], 8, '_v5')),
  ...shapes('Standard_E', '', sizes([2, 4, 8, 16, 20, 32, 48, 64, 96], 8, 's_v5')),
};
// Family = the series with its version, so "same family" recommendations stay inside Dv5, Dsv5…
for (const [name, shape] of Object.entries(vms)) {
  const m = /^Standard_([A-Z])\d+(s?)(?:_(v\d))?$/.exec(name.replace(/^Standard_B(\d+)m?s$/, 'Standard_B$1'));
  shape.family = m ? `${m[1]}${m[2]}${m[3] ? m[3] : ''}` : shape.family;
}

const dbTiers: Record<string, MachineShape> = {
  B_Standard_B1ms: { family: 'Burstable', vcpu: 1, memory_gb: 2 },
  B_Standard_B2s: { family: 'Burstable', vcpu: 2, memory_gb: 4 },
  B_Standard_B2ms: { family: 'Burstable', vcpu: 2, memory_gb: 8 },
  B_Standard_B4ms: { family: 'Burstable', vcpu: 4, memory_gb: 16 },
  B_Standard_B8ms: { family: 'Burstable', vcpu: 8, memory_gb: 32 },
  ...shapes('GP_Standard_D', '', sizes([2, 4, 8, 16, 32, 48, 64], 4, 's_v3')),
  ...shapes('GP_Standard_D', '', sizes([2, 4, 8, 16, 32, 48, 64], 4, 'ds_v4')),
  ...shapes('GP_Standard_D', '', sizes([2, 4, 8, 16, 32, 48, 64, 96], 4, 'ds_v5')),
};
for (const [name, shape] of Object.entries(dbTiers)) {
  if (name.startsWith('GP_')) shape.family = `GeneralPurpose_${name.replace(/^GP_Standard_D\d+/, 'D')}`;
}

export const azureCatalog: CatalogTypes = {
  provider: 'azure',
  label: 'Azure',
  defaultRegion: 'eastus',
  machineTypes: vms,
  defaultMachineType: 'Standard_B2s',
  customFamilies: [],
  diskTypes: ['Standard_LRS', 'StandardSSD_LRS', 'Premium_LRS'],
  defaultDiskType: 'StandardSSD_LRS',
  diskSizeGb: { min: 30, max: 32767 },
  images: ['ubuntu-22.04', 'ubuntu-24.04', 'debian-12'],
  imagePattern: /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w.-]{1,90}\/providers\/Microsoft\.Compute\/images\/[\w.-]{1,80}$/,
  imageHint: 'a managed image resource id (/subscriptions/…/providers/Microsoft.Compute/images/…)',
  defaultImage: 'ubuntu-24.04',
  dbVersions: { postgres: ['13', '14', '15', '16'], mysql: ['5.7', '8.0.21'] },
  dbTiers,
  // Microsoft Learn "Azure Database for MySQL - Flexible Server service tiers": General Purpose is Ddsv4 (and
  // Dadsv5), 2–64 vCores; no Dsv3 or Ddsv5. PostgreSQL takes every tier above.
  dbEngineTiers: { mysql: Object.keys(dbTiers).filter((t) => t.startsWith('B_') || /ds_v4$/.test(t)) },
  defaultDbTier: 'B_Standard_B1ms',
  dbStorageGb: { min: 32, max: 16384 },
  storageClasses: ['Hot', 'Cool', 'Cold', 'Archive'],
  defaultStorageClass: 'Hot',
};
