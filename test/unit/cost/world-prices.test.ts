import { describe, expect, it } from 'vitest';
import { toUsd } from '../../../src/domain/money.js';
import { bucket, db, estimator, hourlyOf, vm } from './helpers.js';

/**
 * Pins for the regions added 2026-12-05: a known figure per region for a VM, a disk, a database and a storage
 * class, each as read from its source (pricing/evidence/2026-12-05-world-regions.md says where, and which second
 * source agrees).
 */
const diskGbMonth = (provider: 'aws' | 'gcp', region: string, disk_type: string) =>
  estimator.estimateResource(provider, vm(region, provider === 'aws' ? 't3.micro' : 'e2-micro', { disk_size_gb: 100, disk_type } as never)).breakdown[1]!.unit_price_usd;
const dbHourly = (provider: 'aws' | 'gcp' | 'azure', region: string, tier: string, extra: Record<string, unknown> = {}) =>
  estimator.estimateResource(provider, db(region, tier, extra)).breakdown[0]!.unit_price_usd;
const firstTier = (provider: 'aws' | 'gcp' | 'azure', region: string, cls: string, extra: Record<string, unknown> = {}) =>
  estimator.estimateResource(provider, bucket(region, cls, 100, extra)).breakdown[0]!.unit_price_usd;

describe('AWS in Asia-Pacific, South America and Stockholm (EC2: AWS price feed, equal in ec2.shop; S3 equal in a 2024 capture)', () => {
  it.each([
    ['ap-southeast-1', 't3.medium', 0.0528, 'gp3', 0.096, 'db.t3.micro', 0.028, 0.056, 'STANDARD', 0.025],
    ['ap-northeast-1', 'm6i.large', 0.124, 'io1', 0.142, 'db.t3.micro', 0.028, 0.056, 'STANDARD_IA', 0.0138],
    ['sa-east-1', 't3.medium', 0.0672, 'gp3', 0.152, 'db.t3.micro', 0.038, 0.076, 'STANDARD', 0.0405],
    ['eu-north-1', 'm6i.large', 0.102, 'gp2', 0.1045, 'db.t3.micro', 0.019, 0.037, 'DEEP_ARCHIVE', 0.00099],
  ] as const)('GIVEN %s THEN %s $%d/h, %s $%d/GB-month, PostgreSQL %s $%d/h ($%d Multi-AZ), S3 %s $%d/GB-month', (region, type, hour, disk, gbMonth, tier, single, ha, cls, gb) => {
    expect(hourlyOf('aws', region, type)).toBe(hour);
    expect(diskGbMonth('aws', region, disk)).toBe(gbMonth);
    expect(dbHourly('aws', region, tier)).toBe(single);
    expect(dbHourly('aws', region, tier, { high_availability: true })).toBe(ha);
    expect(firstTier('aws', region, cls)).toBe(gb);
  });

  it('GIVEN 60 TB of S3 Standard in sa-east-1 THEN its own tiers apply: 51200 × 0.0405 + 10240 × 0.039', () => {
    expect(toUsd(estimator.estimateResource('aws', bucket('sa-east-1', 'STANDARD', 61440)).monthly)).toBeCloseTo(51200 * 0.0405 + 10240 * 0.039, 6);
  });
});

describe('GCP in Asia-Pacific and South America (Cyclenerd pricing.yml, equal in the coroot Infracost dump; Cloud SQL by region tier, equal to the SKUs captured there)', () => {
  it.each([
    ['asia-southeast1', 'e2-standard-4', 0.16533228, 'pd-ssd', 0.187, 0.0147, 0.0294, 0.238, 'NEARLINE', 0.01],
    ['asia-northeast1', 'n2-standard-2', 0.124588, 'pd-ssd', 0.221, 0.0137, 0.0273, 0.221, 'NEARLINE', 0.016],
    ['southamerica-east1', 'e2-standard-4', 0.2127408, 'pd-ssd', 0.255, 0.0158, 0.0315, 0.255, 'STANDARD', 0.035],
    ['australia-southeast1', 'n2-standard-2', 0.1378, 'pd-balanced', 0.135, 0.0142, 0.0284, 0.2295, 'STANDARD', 0.023],
  ] as const)('GIVEN %s THEN %s $%d/h, %s $%d/GB-month, db-f1-micro $%d/h ($%d regional), SQL SSD $%d, GCS %s $%d', (region, type, hour, disk, gbMonth, micro, microHa, ssd, cls, gb) => {
    expect(hourlyOf('gcp', region, type)).toBeCloseTo(hour, 12);
    expect(diskGbMonth('gcp', region, disk)).toBe(gbMonth);
    expect(dbHourly('gcp', region, 'db-f1-micro')).toBe(micro);
    expect(dbHourly('gcp', region, 'db-f1-micro', { high_availability: true })).toBe(microHa);
    expect(estimator.estimateResource('gcp', db(region, 'db-f1-micro', { storage_gb: 10 })).breakdown[1]!.unit_price_usd).toBe(ssd);
    expect(firstTier('gcp', region, cls)).toBe(gb);
  });

  it('GIVEN db-custom-2-7680 in Tokyo THEN $0.0537/vCPU-h and $0.0091/GiB-h (tier 1.3; "Zonal - vCPU in Tokyo" captured at 0.0537)', () => {
    const e = estimator.estimateResource('gcp', db('asia-northeast1', 'db-custom-2-7680'));
    expect(e.breakdown.slice(0, 2).map((b) => b.unit_price_usd)).toEqual([0.0537, 0.0091]);
  });

  it.each([
    ['us-central1', 'f1-micro', 0.0076], ['us-central1', 'g1-small', 0.0257], ['us-east4', 'g1-small', 0.0289], ['asia-southeast1', 'g1-small', 0.0311],
  ])('GIVEN the first-generation shared-core %s %s THEN its whole-machine price $%d/h, and the sustained-use note applies', (region, type, hour) => {
    const e = estimator.estimateResource('gcp', vm(region, type));
    expect(e.breakdown[0]!.unit_price_usd).toBe(hour);
    expect(e.warnings.join(' ')).toMatch(new RegExp(`sustained-use discount automatically to ${type.slice(0, 2)} machines running the whole month \\(up to 30%\\)`));
  });
});

describe('Azure in Asia-Pacific, Brazil and India (VMs: Azure Karpenter table; disks: Flexera capture, equal in the Retail API snapshot; flexible servers and blob: Retail API snapshot)', () => {
  const azureDisk = (region: string, disk_type: string) =>
    estimator.estimateResource('azure', vm(region, 'Standard_B2s', { disk_size_gb: 100, disk_type } as never)).breakdown[1]!.unit_price_usd;
  it.each([
    ['japaneast', 'Standard_D4s_v5', 0.248, 'Premium_LRS', 22.67, 'GP_Standard_D2ds_v5', 0.244, 0.138, 'Hot', 0.02],
    ['southeastasia', 'Standard_B2s', 0.0528, 'StandardSSD_LRS', 9.6, 'B_Standard_B1ms', 0.026, 0.138, 'Cool', 0.011],
    ['brazilsouth', 'Standard_D4s_v5', 0.306, 'Premium_LRS', 34.05, 'GP_Standard_D2ds_v5', 0.24, 0.2185, 'Hot', 0.0326],
    ['centralindia', 'Standard_B2s', 0.0448, 'StandardSSD_LRS', 10.56, 'GP_Standard_D2ds_v5', 0.251, 0.131, 'Hot', 0.02],
  ] as const)('GIVEN %s THEN %s $%d/h, a 100 GB %s disk $%d/month, PostgreSQL %s $%d/h with storage $%d/GB-month, %s LRS blob $%d', (region, size, hour, disk, month, tier, dbHour, dbStorage, cls, gb) => {
    expect(hourlyOf('azure', region, size)).toBe(hour);
    expect(azureDisk(region, disk)).toBe(month);
    const e = estimator.estimateResource('azure', db(region, tier, { storage_gb: 32 }));
    expect(e.breakdown.map((b) => b.unit_price_usd)).toEqual([dbHour, dbStorage]);
    expect(firstTier('azure', region, cls)).toBe(gb);
  });

  it('GIVEN MySQL GP_Standard_D4ds_v4 in japaneast THEN the per-vCore rate × 4 ($0.47/h), and HA doubles it', () => {
    expect(dbHourly('azure', 'japaneast', 'GP_Standard_D4ds_v4', { engine: 'mysql' })).toBe(0.47);
    expect(toUsd(estimator.estimateResource('azure', db('japaneast', 'GP_Standard_D4ds_v4', { engine: 'mysql', high_availability: true })).breakdown[0]!.monthly)).toBeCloseTo(2 * 0.47 * 730, 6);
  });
});

describe('Azure westus (no zones), westus3 and germanywestcentral (VMs: Azure Karpenter table; disks: Flexera capture; databases: Infracost westus goldens, togen Retail Prices extract)', () => {
  const azureDisk = (region: string, disk_type: string) =>
    estimator.estimateResource('azure', vm(region, 'Standard_B2s', { disk_size_gb: 100, disk_type } as never)).breakdown[1]!.unit_price_usd;
  it.each([
    ['westus', 'Standard_B2s', 0.0496, 'Standard_D4s_v5', 0.224, 'Premium_LRS', 19.71],
    ['westus3', 'Standard_B2s', 0.0416, 'Standard_E4s_v5', 0.252, 'Premium_LRS', 17.92],
    ['germanywestcentral', 'Standard_B2s', 0.048, 'Standard_D4s_v5', 0.23, 'Premium_LRS', 21.68],
  ] as const)('GIVEN %s THEN %s $%d/h, %s $%d/h, a 100 GB %s disk $%d/month', (region, small, smallHour, size, hour, disk, month) => {
    expect(hourlyOf('azure', region, small)).toBe(smallHour);
    expect(hourlyOf('azure', region, size)).toBe(hour);
    expect(azureDisk(region, disk)).toBe(month);
    expect(azureDisk(region, 'StandardSSD_LRS')).toBe(9.6);
  });

  it('GIVEN westus THEN flexible servers, their storage and Hot/Cool blob are the Infracost westus goldens (PostgreSQL B1ms $16.06/month = 0.022/h, D16s_v3 $1,138.80 = 1.56/h, storage $4.42/32 GB = 0.138; MySQL D4ds_v4 $284.70 = 0.39/h; Hot LRS $1,064.96/50 TB = 0.0208)', () => {
    const pg = estimator.estimateResource('azure', db('westus', 'B_Standard_B1ms', { storage_gb: 32 }));
    expect(pg.breakdown.map((b) => b.unit_price_usd)).toEqual([0.022, 0.138]);
    expect(dbHourly('azure', 'westus', 'GP_Standard_D16s_v3')).toBe(1.56);
    expect(dbHourly('azure', 'westus', 'GP_Standard_D2s_v3')).toBe(0.195);
    expect(dbHourly('azure', 'westus', 'GP_Standard_D4ds_v4', { engine: 'mysql' })).toBe(0.39);
    const ha = estimator.estimateResource('azure', db('westus', 'GP_Standard_D4ds_v4', { engine: 'mysql', high_availability: true })).breakdown[0]!;
    expect(toUsd(ha.monthly)).toBeCloseTo(2 * 0.39 * 730, 6);
    expect(ha.component).toBe('Database instance (GP_Standard_D4ds_v4, same-zone HA)');
    expect(firstTier('azure', 'westus', 'Hot')).toBe(0.0208);
    expect(firstTier('azure', 'westus', 'Cool', { replication: 'GRS' })).toBe(0.023);
    expect(estimator.estimateResource('azure', db('westus', 'GP_Standard_D2ds_v4')).price_unknown).toMatch(/no price for postgres tier GP_Standard_D2ds_v4 in westus/);
  });

  it.each([
    ['westus3', 0.017, 0.115, 0.178, 0.171],
    ['germanywestcentral', 0.0199, 0.137, 0.212, 0.203],
  ] as const)('GIVEN %s THEN PostgreSQL B1ms $%d/h with storage $%d/GB-month, D2ds_v4 $%d/h (MySQL $%d/h) from the togen Retail Prices extract; a Burstable B2s and a blob class are price unknown, not $0', (region, b1ms, storage, pgD2, myD2) => {
    expect(estimator.estimateResource('azure', db(region, 'B_Standard_B1ms', { storage_gb: 32 })).breakdown.map((b) => b.unit_price_usd)).toEqual([b1ms, storage]);
    expect(dbHourly('azure', region, 'GP_Standard_D2ds_v4')).toBe(pgD2);
    expect(dbHourly('azure', region, 'GP_Standard_D2ds_v4', { engine: 'mysql' })).toBe(myD2);
    expect(dbHourly('azure', region, 'B_Standard_B1ms', { engine: 'mysql' })).toBe(b1ms);
    expect(estimator.estimateResource('azure', db(region, 'B_Standard_B2s')).price_unknown).toMatch(new RegExp(`no price for postgres tier B_Standard_B2s in ${region}`));
    expect(estimator.estimateResource('azure', bucket(region, 'Hot', 100)).price_unknown).toMatch(new RegExp(`Hot_LRS in ${region}`));
  });
});

describe('Azure eastus MySQL flexible Burstable B2s (a Retail Prices API fetch of 2026-10-03 quoted in agenticcodingops/azure-wordpress docs/cost.md)', () => {
  it('GIVEN a MySQL B_Standard_B2s in eastus THEN $0.068/h, and with HA the standby doubles it; B2ms there is still price unknown, not $0', () => {
    expect(dbHourly('azure', 'eastus', 'B_Standard_B2s', { engine: 'mysql' })).toBe(0.068);
    const ha = estimator.estimateResource('azure', db('eastus', 'B_Standard_B2s', { engine: 'mysql', high_availability: true })).breakdown[0]!;
    expect(toUsd(ha.monthly)).toBeCloseTo(2 * 0.068 * 730, 6);
    // the same table's D2ds_v4 rate (0.0855 per vCore) is the shipped eastus figure
    expect(dbHourly('azure', 'eastus', 'GP_Standard_D2ds_v4', { engine: 'mysql' })).toBe(0.171);
    expect(estimator.estimateResource('azure', db('eastus', 'B_Standard_B2ms', { engine: 'mysql' })).price_unknown).toMatch(/no price for mysql tier B_Standard_B2ms in eastus/);
  });
});

describe('AWS eu-north-1 MySQL db.m5.large Multi-AZ (the 2024-08-05 coroot Infracost dump, which has the row the later dumps drop)', () => {
  it('GIVEN a MySQL db.m5.large in eu-north-1 THEN $0.18/h Single-AZ and $0.359/h Multi-AZ, as read, not 2 × single', () => {
    expect(dbHourly('aws', 'eu-north-1', 'db.m5.large', { engine: 'mysql' })).toBe(0.18);
    expect(dbHourly('aws', 'eu-north-1', 'db.m5.large', { engine: 'mysql', high_availability: true })).toBe(0.359);
  });
});
