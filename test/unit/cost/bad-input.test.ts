import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCoreError } from '../../../src/domain/errors.js';
import { CostEstimator, loadPriceBook } from '../../../src/cost/index.js';
import { bucket, db, estimator, PRICING_DIR, vm } from './helpers.js';
import { toUsd } from '../../../src/domain/money.js';

const unknownButNotZeroSilently = (e: ReturnType<typeof estimator.estimateResource>, reason: RegExp) => {
  expect(e.price_unknown).toMatch(reason);
  expect(Number.isNaN(toUsd(e.monthly))).toBe(false);
};

describe('unknown prices are a state, not a throw and not a silent $0', () => {
  it('GIVEN an unknown provider THEN price unknown with the reason', () => {
    unknownButNotZeroSilently(estimator.estimateResource('oracle' as never, vm('x', 'y')), /no price list for provider 'oracle'/);
  });
  it('GIVEN a region missing from the price data THEN price unknown naming the region', () => {
    unknownButNotZeroSilently(estimator.estimateResource('gcp', vm('asia-east1', 'e2-medium')), /region 'asia-east1'/);
  });
  it('GIVEN an unknown machine type THEN price unknown naming it', () => {
    unknownButNotZeroSilently(estimator.estimateResource('aws', vm('us-east-1', 'x9.huge')), /x9\.huge/);
  });
  it('GIVEN an unknown resource type THEN price unknown naming it', () => {
    unknownButNotZeroSilently(estimator.estimateResource('aws', { type: 'dns_zone', name: 'z1', region: 'us-east-1' } as never), /'dns_zone' is not priced/);
  });
  /** The shipped AWS price data with some entries taken out, as a region the sources do not cover would be. */
  const withGaps = () => {
    const book = loadPriceBook(PRICING_DIR);
    const euc1 = book.aws!.regions['eu-central-1']!;
    delete euc1.disks!.gp3;
    delete euc1.database_storage;
    delete book.aws!.regions['eu-west-1']!.databases!.mysql!['db.r5.xlarge']!.ha;
    return new CostEstimator(book);
  };
  it('GIVEN an AWS VM whose disk type has no price in its region THEN the disk is price unknown, the instance is still priced and the deployment says incomplete', () => {
    const d = withGaps().estimateDeployment('aws', [vm('eu-central-1', 't3.medium', { disk_size_gb: 20, disk_type: 'gp3' } as never), db('eu-central-1', 'db.t3.micro')]);
    expect(d.resources[0]!.price_unknown).toMatch(/gp3.*eu-central-1/);
    expect(d.resources[0]!.breakdown[0]!.unit_price_usd).toBe(0.048);
    expect(d.resources[1]!.price_unknown).toMatch(/storage/i);
    expect(d.complete).toBe(false);
  });
  it('GIVEN a tier with a single-instance price but no Multi-AZ price THEN Multi-AZ is price unknown, never $0', () => {
    const e = withGaps().estimateResource('aws', db('eu-west-1', 'db.r5.xlarge', { engine: 'mysql', high_availability: true }));
    unknownButNotZeroSilently(e, /high-availability price for mysql tier db\.r5\.xlarge in eu-west-1/);
    expect(withGaps().estimateResource('aws', db('eu-west-1', 'db.r5.xlarge', { engine: 'mysql' })).breakdown[0]!.unit_price_usd).toBe(0.53);
  });
  it('GIVEN a VPC network and a firewall rule THEN each is explicitly free with a breakdown line saying so', () => {
    const d = estimator.estimateDeployment('azure', [
      { type: 'vpc_network', name: 'net', region: 'eastus', cidr: '10.0.0.0/16', subnets: [], dns_enabled: true },
      { type: 'firewall_rule', name: 'fw', region: 'eastus', network: 'net', direction: 'ingress', protocol: 'tcp', ports: ['22'], source_ranges: [], priority: 100 },
    ]);
    expect(d.resources.map((r) => r.breakdown[0]!.component)).toEqual(['VPC network (free resource)', 'Firewall rule (free resource)']);
    expect(d).toMatchObject({ total_monthly: 0, complete: true });
  });
});

describe('bad sizes and bad price files are clear errors', () => {
  it('GIVEN a negative disk size THEN a validation CoreError naming disk_size_gb', () => {
    expect(() => estimator.estimateResource('gcp', vm('us-central1', 'e2-medium', { disk_size_gb: -5 } as never))).toThrow(/disk_size_gb must be a number of GB/);
  });
  it('GIVEN an absurd or NaN bucket size THEN a validation CoreError, never NaN money', () => {
    for (const gb of [1e12, Number.NaN, Number.POSITIVE_INFINITY]) {
      try {
        estimator.estimateResource('gcp', bucket('us-central1', 'STANDARD', gb));
        expect.unreachable();
      } catch (e) {
        expect(isCoreError(e) && e.code === 'validation').toBe(true);
      }
    }
  });
  it('GIVEN a price file with a numeric price THEN loadPriceBook names the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'badprice-'));
    writeFileSync(join(dir, 'sandbox.json'), JSON.stringify({ provider: 'sandbox', currency: 'USD', as_of: '2026-01-01', fictional: true, sources: [{ id: 'x', title: 't', url: 'u', retrieved: 'r', covers: 'c' }], regions: { local: { machines: { small: { hour: 0.01, source: 'x' } } } } }));
    try {
      loadPriceBook(dir);
      expect.unreachable();
    } catch (e) {
      expect(isCoreError(e) && e.code).toBe('validation');
      expect((e as Error & { userMessage: string }).userMessage).toMatch(/sandbox\.json: regions\.local\.machines\.small\.hour: .*expected string/);
    }
  });
  it('GIVEN a price file that is not JSON THEN a validation error naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'badjson-'));
    writeFileSync(join(dir, 'gcp.json'), '{ nope');
    expect(() => loadPriceBook(dir)).toThrow(/gcp\.json is not valid JSON/);
  });
  it('GIVEN the shipped price files THEN they all load and the estimator can be built', () => {
    expect(() => new CostEstimator(loadPriceBook(new URL('../../../pricing/', import.meta.url).pathname))).not.toThrow();
  });
});
