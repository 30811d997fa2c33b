import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../../../src/resources/catalogs/index.js';
import type { Provider, ResourceSpec } from '../../../src/resources/types.js';
import { bucket, db, estimator, vm } from './helpers.js';

const REAL: Provider[] = ['aws', 'azure', 'gcp'];

/** Every VM the lobby offers: each machine type with the default disk, and each disk type on the default machine. */
function vms(p: Provider): ResourceSpec[] {
  const c = CATALOGS[p];
  return Object.keys(c.regions).flatMap((region) => [
    ...Object.keys(c.machineTypes).map((t) => vm(region, t, { disk_type: c.defaultDiskType, disk_size_gb: Math.max(50, c.diskSizeGb.min) } as never)),
    ...c.diskTypes.map((d) => vm(region, c.defaultMachineType, { disk_type: d, disk_size_gb: 100 } as never)),
  ]);
}

function databasesAndBuckets(p: Provider): ResourceSpec[] {
  const c = CATALOGS[p];
  return Object.keys(c.regions).flatMap((region) => [
    ...Object.keys(c.dbTiers).flatMap((tier) => (['postgres', 'mysql'] as const).flatMap((engine) => [false, true].map((ha) => db(region, tier, { engine, storage_gb: 100, high_availability: ha })))),
    ...c.storageClasses.map((cls) => bucket(region, cls, 100)),
  ]);
}

const unknown = (p: Provider, specs: ResourceSpec[]) =>
  specs.map((s) => estimator.estimateResource(p, s)).filter((e) => e.price_unknown !== undefined).map((e) => `${e.region} ${e.breakdown.map((b) => b.component).join(' + ')}: ${e.price_unknown}`);

describe('price coverage of what the lobby offers', () => {
  it.each(REAL)('GIVEN any %s machine type or disk type in any region the catalog offers THEN the VM is fully priced', (p) => {
    expect(unknown(p, vms(p))).toEqual([]);
  });

  it('GIVEN any AWS RDS tier (Single- or Multi-AZ) or S3 class in any offered region THEN it is fully priced', () => {
    expect(unknown('aws', databasesAndBuckets('aws'))).toEqual([]);
  });
});
