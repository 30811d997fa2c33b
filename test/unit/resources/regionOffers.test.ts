import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { CoreError } from '../../../src/domain/errors.js';
import { PROVIDERS } from '../../../src/domain/resources.js';

const PRICING = new URL('../../../pricing/', import.meta.url);

/**
 * The region table is read from pricing/<provider>.json. To see a refusal without depending on which real types
 * happen to be unsold somewhere, the loader is wrapped: eu-west-2 stops selling r6i.4xlarge, io1 and db.r6i.4xlarge,
 * ONEZONE_IA, as a region added to the data file would say.
 */
vi.mock('../../../src/resources/catalogs/regions.js', async (original) => {
  const real = await original<typeof import('../../../src/resources/catalogs/regions.js')>();
  return {
    ...real,
    loadRegionOffers: (provider: Parameters<typeof real.loadRegionOffers>[0], dir?: URL) => {
      const table = real.loadRegionOffers(provider, dir);
      if (provider === 'aws') {
        table['eu-west-2']!.notSold = {
          machine_types: new Set(['r6i.4xlarge']), disk_types: new Set(['io1']), db_tiers: new Set(['db.r6i.4xlarge']), storage_classes: new Set(['ONEZONE_IA']),
        };
      }
      return table;
    },
  };
});

const { CATALOGS } = await import('../../../src/resources/catalogs/index.js');
const { loadRegionOffers } = await import('../../../src/resources/catalogs/regions.js');
const { parseSpec } = await import('../../../src/resources/validate.js');
const { offerings } = await import('../../../src/cost/coverage.js');

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CoreError) return e.details.length ? e.details : [e.message];
    throw e;
  }
  throw new Error('expected a validation error');
};

describe('the catalog follows the price data', () => {
  it.each(PROVIDERS)('GIVEN pricing/%s.json THEN the catalog offers exactly its regions, with its zones in its order', (provider) => {
    const file = JSON.parse(readFileSync(new URL(`${provider}.json`, PRICING), 'utf8')) as { regions: Record<string, { zones: string[] }> };
    expect(CATALOGS[provider].regions).toEqual(Object.fromEntries(Object.entries(file.regions).map(([r, v]) => [r, v.zones])));
    expect(Object.keys(CATALOGS[provider].regions)).toContain(CATALOGS[provider].defaultRegion);
  });

  it('GIVEN a type the region does not sell THEN it is refused, naming the regions that have it; elsewhere it is accepted', () => {
    const everywhereElse = Object.keys(CATALOGS.aws.regions).filter((r) => r !== 'eu-west-2').join(', ');
    expect(problemsOf(() => parseSpec('aws', { type: 'compute_vm', name: 'web', region: 'eu-west-2', machine_type: 'r6i.4xlarge', disk_type: 'io1' }))).toEqual([
      `machine_type r6i.4xlarge is not sold in AWS region eu-west-2; regions that have it: ${everywhereElse}`,
      `disk_type io1 is not sold in AWS region eu-west-2; regions that have it: ${everywhereElse}`,
    ]);
    expect(problemsOf(() => parseSpec('aws', { type: 'database', name: 'orders', region: 'eu-west-2', tier: 'db.r6i.4xlarge' }))).toEqual([
      `tier db.r6i.4xlarge is not sold in AWS region eu-west-2; regions that have it: ${everywhereElse}`,
    ]);
    expect(problemsOf(() => parseSpec('aws', { type: 'storage_bucket', name: 'assets', region: 'eu-west-2', storage_class: 'ONEZONE_IA' }))[0]).toMatch(/^storage_class ONEZONE_IA is not sold in AWS region eu-west-2/);
    expect(parseSpec('aws', { type: 'compute_vm', name: 'web', region: 'eu-west-1', machine_type: 'r6i.4xlarge', disk_type: 'io1' })).toMatchObject({ region: 'eu-west-1' });
  });

  it('GIVEN t3a in eu-north-1, where AWS does not sell it (no row in either price feed) THEN it is refused naming the regions that have it', () => {
    const elsewhere = Object.keys(CATALOGS.aws.regions).filter((r) => r !== 'eu-north-1').join(', ');
    expect(problemsOf(() => parseSpec('aws', { type: 'compute_vm', name: 'web', region: 'eu-north-1', machine_type: 't3a.medium' }))).toEqual([
      `machine_type t3a.medium is not sold in AWS region eu-north-1; regions that have it: ${elsewhere}`,
    ]);
  });

  it('GIVEN a type the region does not sell THEN pricing coverage does not count it as offered there', () => {
    const here = offerings('aws').filter((o) => o.spec.region === 'eu-west-2').map((o) => o.offering);
    expect(here.filter((o) => /r6i\.4xlarge|io1|ONEZONE_IA/.test(o))).toEqual([]);
    expect(offerings('aws').filter((o) => o.spec.region === 'eu-west-1').map((o) => o.offering)).toEqual(expect.arrayContaining(['VM r6i.4xlarge', 'disk io1', 'database mysql db.r6i.4xlarge HA', 'bucket ONEZONE_IA']));
  });

  it('GIVEN a region entry without zones THEN loading the table fails naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'offers-'));
    const aws = JSON.parse(readFileSync(new URL('aws.json', PRICING), 'utf8'));
    delete aws.regions['us-east-2'].zones;
    writeFileSync(join(dir, 'aws.json'), JSON.stringify(aws));
    expect(() => loadRegionOffers('aws', pathToFileURL(`${dir}/`))).toThrow(/aws\.json: region table invalid: regions\.us-east-2\.zones: /);
  });
});
