import type { MachineShape, Provider } from '../../domain/resources.js';
import { awsCatalog } from './aws.js';
import { azureCatalog } from './azure.js';
import type { ProviderCatalog } from './catalog.js';
import { gcpCatalog, parseGcpCustomTier } from './gcp.js';
import { sandboxCatalog } from './sandbox.js';

export type { ProviderCatalog } from './catalog.js';
export { parseGcpCustomTier } from './gcp.js';

/**
 * User input is looked up in these tables (`c.dbTiers[tier]`, `region in c.regions`): without a prototype,
 * 'constructor', '__proto__' or 'toString' are not keys, however a lookup is written.
 */
function ownKeysOnly(c: ProviderCatalog): ProviderCatalog {
  const table = <T>(r: Record<string, T>): Record<string, T> => Object.freeze(Object.assign(Object.create(null) as Record<string, T>, r));
  return {
    ...c, regions: table(c.regions), machineTypes: table(c.machineTypes), dbTiers: table(c.dbTiers),
    dbVersions: table(c.dbVersions) as ProviderCatalog['dbVersions'], ...(c.dbEngineTiers ? { dbEngineTiers: table(c.dbEngineTiers) } : {}),
  };
}

export const CATALOGS: Record<Provider, ProviderCatalog> = {
  gcp: ownKeysOnly(gcpCatalog),
  aws: ownKeysOnly(awsCatalog),
  azure: ownKeysOnly(azureCatalog),
  sandbox: ownKeysOnly(sandboxCatalog),
};

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
