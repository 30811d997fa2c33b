import { describe, expect, it } from 'vitest';
import { coverage, offerings } from '../../../src/cost/coverage.js';
import { CATALOGS } from '../../../src/resources/catalogs/index.js';
import type { Provider } from '../../../src/domain/resources.js';
import { estimator } from './helpers.js';

const REAL: Provider[] = ['aws', 'azure', 'gcp'];
const gaps = (p: Provider, kind: RegExp) => coverage(estimator, p).gaps.filter((g) => kind.test(g.offering)).map((g) => `${g.region} ${g.offering}: ${g.reason}`);

describe('price coverage of what the lobby offers', () => {
  it.each(REAL)('GIVEN any %s machine type or disk type in any region the catalog offers THEN the VM is fully priced', (p) => {
    expect(gaps(p, /^(VM|disk) /)).toEqual([]);
  });

  it('GIVEN any AWS RDS tier (Single- or Multi-AZ) or S3 class in any offered region THEN it is fully priced', () => {
    expect(coverage(estimator, 'aws').gaps).toEqual([]);
  });

  it('GIVEN the AWS catalog THEN every region × (machine type + disk type + tier × engine × HA + storage class) is enumerated once', () => {
    const c = CATALOGS.aws;
    const perRegion = Object.keys(c.machineTypes).length + c.diskTypes.length + Object.keys(c.dbTiers).length * 4 + c.storageClasses.length;
    expect(offerings('aws')).toHaveLength(Object.keys(c.regions).length * perRegion);
    expect(new Set(offerings('aws').map((o) => `${o.spec.region} ${o.offering}`)).size).toBe(offerings('aws').length);
  });
});
