import { describe, expect, it } from 'vitest';
import { coverage, offerings } from '../../../src/cost/coverage.js';
import { CATALOGS, soldHere } from '../../../src/resources/catalogs/index.js';
import type { Provider } from '../../../src/domain/resources.js';
import { loadPriceBook } from '../../../src/cost/index.js';
import { estimator, PRICING_DIR } from './helpers.js';

const REAL: Provider[] = ['aws', 'azure', 'gcp'];
const gaps = (p: Provider, kind: RegExp) => coverage(estimator, p).gaps.filter((g) => kind.test(g.offering)).map((g) => `${g.region} ${g.offering}: ${g.reason}`);

describe('price coverage of what the lobby offers', () => {
  it.each(REAL)('GIVEN any %s machine type or disk type in any region the catalog offers THEN the VM is fully priced', (p) => {
    expect(gaps(p, /^(VM|disk) /)).toEqual([]);
  });

  it('GIVEN any AWS RDS tier (Single- or Multi-AZ) or S3 class in any offered region THEN it is fully priced', () => {
    expect(gaps('aws', /./)).toEqual([]);
  });

  it('GIVEN any GCP offering (VM, disk, Cloud SQL tier single or HA, bucket class) in any region THEN it is fully priced', () => {
    expect(gaps('gcp', /./)).toEqual([]);
  });

  it('GIVEN Azure THEN every gap is an eastus flexible-server tier, or a database or blob class of westus, westus3 or germanywestcentral, no capture was found for', () => {
    const all = coverage(estimator, 'azure').gaps;
    const eastus = all.filter((g) => g.region === 'eastus');
    expect(eastus.length).toBeGreaterThan(0);
    expect(eastus.filter((g) => !/^database (postgres|mysql) B_Standard_B\d+m?s|^database postgres GP_Standard_D\d+s_v3/.test(g.offering))).toEqual([]);
    expect(eastus.every((g) => /no price for (postgres|mysql) tier \S+ in eastus/.test(g.reason))).toBe(true);
    const added = ['westus', 'westus3', 'germanywestcentral'];
    expect(all.filter((g) => g.region !== 'eastus' && !added.includes(g.region)).map((g) => `${g.region} ${g.offering}`)).toEqual([]);
    for (const region of added) {
      const here = all.filter((g) => g.region === region);
      expect(here.filter((g) => !/^(database|bucket) /.test(g.offering)).map((g) => g.offering)).toEqual([]);
      // westus: Cold and Archive (the Infracost golden has Hot and Cool); elsewhere all 4 classes × LRS/GRS
      expect(here.filter((g) => g.offering.startsWith('bucket ')).map((g) => g.offering)).toEqual(region === 'westus'
        ? ['bucket Cold LRS', 'bucket Cold GRS', 'bucket Archive LRS', 'bucket Archive GRS']
        : ['Hot', 'Cool', 'Cold', 'Archive'].flatMap((c) => [`bucket ${c} LRS`, `bucket ${c} GRS`]));
    }
  });

  it.each(REAL)('GIVEN the shipped %s data THEN every remaining gap says why no source was found, and every such note still names a gap', (p) => {
    const file = loadPriceBook(PRICING_DIR)[p]!;
    const report = coverage(estimator, p, file);
    expect(report.gaps.filter((g) => !/; no source found: .{20,}/.test(g.reason)).map((g) => `${g.region} ${g.offering}`)).toEqual([]);
    const gapNames = new Set(report.gaps.map((g) => `${g.region} ${g.offering.replace(/ HA$/, '')}`));
    const stale = Object.entries(file.regions).flatMap(([r, reg]) => Object.keys(reg.unsourced ?? {}).filter((o) => !gapNames.has(`${r} ${o}`)).map((o) => `${r} ${o}`));
    expect(stale).toEqual([]);
  });

  it('GIVEN the AWS catalog THEN every region × (machine type + disk type + tier × engine × HA + storage class) the region sells is enumerated once', () => {
    const c = CATALOGS.aws;
    const perRegion = (r: string) => soldHere('aws', r, 'machine_types', Object.keys(c.machineTypes)).length + soldHere('aws', r, 'disk_types', c.diskTypes).length
      + soldHere('aws', r, 'db_tiers', Object.keys(c.dbTiers)).length * 4 + soldHere('aws', r, 'storage_classes', c.storageClasses).length;
    expect(offerings('aws')).toHaveLength(Object.keys(c.regions).reduce((n, r) => n + perRegion(r), 0));
    expect(perRegion('eu-north-1')).toBe(perRegion('eu-west-1') - 7);
    expect(new Set(offerings('aws').map((o) => `${o.spec.region} ${o.offering}`)).size).toBe(offerings('aws').length);
  });
});
