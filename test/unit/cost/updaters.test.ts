import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CostEstimator, loadPriceBook } from '../../../src/cost/index.js';
import { parseAwsOffer } from '../../../src/cost/updaters/aws.js';
import { fetchAzurePages, parseAzurePages } from '../../../src/cost/updaters/azure.js';
import { azurePageOf, gcpPageOf, type PriceDocument } from '../../../src/cost/updaters/formats.js';
import { parseGcpSkus, skuTiers } from '../../../src/cost/updaters/gcp.js';
import { readDocuments, updatePricing } from '../../../src/cost/updaters/index.js';
import { FIXTURES, PRICING_DIR, vm } from './helpers.js';
import { toUsd } from '../../../src/domain/money.js';

const json = (name: string): PriceDocument => ({ where: name, doc: JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown });
const tempPricing = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pricing-'));
  for (const p of ['aws', 'azure', 'gcp', 'sandbox']) copyFileSync(join(PRICING_DIR, `${p}.json`), join(dir, `${p}.json`));
  return dir;
};

describe('AWS Price List offer files', () => {
  const records = parseAwsOffer(json('aws-offer-ec2-s3.json'));

  it('A1: GIVEN the t3.medium Linux shared on-demand record THEN exactly one machine record at 0.0416 $/h (Dedicated, Windows and unused-reservation rows excluded)', () => {
    const machines = records.filter((r) => r.kind === 'machine');
    expect(machines).toEqual([{ provider: 'aws', region: 'us-east-1', kind: 'machine', sku: 't3.medium', hourly: '0.0416', attributes: { os: 'Linux', tenancy: 'Shared', term: 'on_demand' } }]);
  });

  it('A2: GIVEN S3 Standard with three price dimensions THEN all tiers are kept in order', () => {
    expect(records.find((r) => r.kind === 'storage')).toMatchObject({ sku: 'STANDARD', tiers: [{ from_gb: 0, gb_month: '0.023' }, { from_gb: 51200, gb_month: '0.022' }, { from_gb: 512000, gb_month: '0.021' }] });
  });

  it('GIVEN the RDS offer THEN PostgreSQL/MySQL Single-AZ and Multi-AZ instance hours and gp2 storage are read; readable-standby clusters, Aurora and gp3 storage are not', () => {
    expect(parseAwsOffer(json('aws-offer-rds.json'))).toEqual([
      { provider: 'aws', region: 'us-east-1', kind: 'database', engine: 'postgres', tier: 'db.t3.micro', deployment: 'single', hourly: '0.018' },
      { provider: 'aws', region: 'us-east-1', kind: 'database', engine: 'mysql', tier: 'db.t3.micro', deployment: 'ha', hourly: '0.034' },
      { provider: 'aws', region: 'us-east-1', kind: 'database_storage', engine: 'postgres', deployment: 'single', gb_month: '0.115' },
      { provider: 'aws', region: 'us-east-1', kind: 'database_storage', engine: 'postgres', deployment: 'ha', gb_month: '0.23' },
    ]);
  });

  it('GIVEN the EBS gp3 storage product THEN a gp3 disk price per GB-month', () => {
    expect(records.find((r) => r.kind === 'disk')).toMatchObject({ region: 'us-east-1', sku: 'gp3', gb_month: '0.08' });
  });

  it('A3: GIVEN a GetProducts response whose PriceList items are JSON strings THEN parsing twice yields the A1 record', () => {
    const a3 = parseAwsOffer(json('aws-getproducts-t3-medium.json'));
    expect(a3).toEqual(records.filter((r) => r.kind === 'machine'));
  });

  it('GIVEN standard no-upfront reserved terms THEN 1y and 3y hourly commitments are read', () => {
    expect(records.filter((r) => r.kind === 'commitment').map((r) => (r.kind === 'commitment' ? [r.term, r.hourly] : []))).toEqual([['1y', '0.0261'], ['3y', '0.018']]);
  });

  it('GIVEN the offer file as --from THEN the AWS price file is rewritten, t3.medium estimates $30.368 per 730 h and the source is appended', async () => {
    const dir = tempPricing();
    const res = await updatePricing({ provider: 'aws', pricingDir: dir, from: join(FIXTURES, 'aws-offer-ec2-s3.json'), asOf: '2026-08-01' });
    expect(res.applied).toBeGreaterThan(0);
    const book = loadPriceBook(dir);
    expect(book.aws!.as_of).toBe('2026-08-01');
    expect(book.aws!.sources.at(-1)!.id).toBe('aws-price-list-bulk');
    expect(book.aws!.regions['eu-central-1']!.databases).toBeDefined();
    expect(toUsd(new CostEstimator(book).estimateResource('aws', vm('us-east-1', 't3.medium')).monthly)).toBe(30.368);
  });
});

describe('Azure Retail Prices API', () => {
  const pages = readDocuments(join(FIXTURES, 'azure-pages')).map(azurePageOf);
  const records = parseAzurePages(pages);

  it('Z1: GIVEN B2s Consumption, Windows, Spot, Low Priority and DevTest rows THEN only the Linux consumption price 0.0416 remains as the machine price', () => {
    expect(records.filter((r) => r.kind === 'machine')).toEqual([{ provider: 'azure', region: 'eastus', kind: 'machine', sku: 'Standard_B2s', hourly: '0.0416' }]);
  });

  it('Z2: GIVEN "P10 LRS Disk" at 1/Month THEN a Premium_LRS P10 (128 GiB) tier at $19.71/month', () => {
    expect(records.find((r) => r.kind === 'disk_tier')).toMatchObject({ disk_type: 'Premium_LRS', tier: 'P10', max_gb: 128, month: '19.71' });
  });

  it('Z3: GIVEN a 1 Year reservation with retailPrice R (illustrative 218) THEN the hourly rate is R / 8760, not R', () => {
    expect(records.find((r) => r.kind === 'commitment')).toMatchObject({ term: '1y', hourly: '0.0248858447' });
  });

  it('Z4: GIVEN two Hot LRS Data Stored items at tiers 0 and 51200 (and the same meters again under the legacy "Blob Storage" product) THEN one tiered price, first tier 0.0184, each tier once', () => {
    expect(records.find((r) => r.kind === 'storage')).toMatchObject({ region: 'eastus2', sku: 'Hot_LRS', tiers: [{ from_gb: 0, gb_month: '0.0184' }, { from_gb: 51200, gb_month: '0.0177' }] });
  });

  it('GIVEN flexible-server rows THEN B1MS and "B2ms vCore" are their tiers, a per-vCore General Purpose rate prices every tier of its series (MySQL names the series only in armSkuName), and storage is per GB-month', () => {
    const db = (engine: string, tier: string) => records.find((r) => r.kind === 'database' && r.engine === engine && r.tier === tier);
    expect(db('postgres', 'B_Standard_B1ms')).toMatchObject({ hourly: '0.017' });
    expect(db('postgres', 'B_Standard_B2ms')).toMatchObject({ hourly: '0.136' });
    expect(db('postgres', 'GP_Standard_D2ds_v4')).toMatchObject({ hourly: '0.178' });
    expect(db('postgres', 'GP_Standard_D64ds_v4')).toMatchObject({ hourly: '5.696' });
    expect(db('mysql', 'GP_Standard_D4ds_v4')).toMatchObject({ hourly: '0.342' });
    expect(db('postgres', 'GP_Standard_D2ds_v5')).toBeUndefined();
    // The MySQL Ddsv5 meter prices nothing: MySQL is not offered Ddsv5 tiers, so only its 7 Ddsv4 tiers remain.
    expect(db('mysql', 'GP_Standard_D2ds_v5')).toBeUndefined();
    expect(records.filter((r) => r.kind === 'database' && r.engine === 'mysql')).toHaveLength(7);
    expect(records.find((r) => r.kind === 'database_storage')).toMatchObject({ engine: 'postgres', gb_month: '0.115' });
  });

  it('GIVEN a first page with a NextPageLink THEN the fetcher follows it until it is empty', async () => {
    const seen: string[] = [];
    const fake = (async (url: string) => {
      seen.push(url);
      return new Response(JSON.stringify(seen.length === 1 ? pages[0] : pages[1]));
    }) as unknown as typeof fetch;
    const fetched = await fetchAzurePages(['eastus'], fake);
    expect(fetched).toHaveLength(2);
    expect(seen[1]).toContain('$skip=1000');
  });
});

describe('GCP Cloud Billing Catalog SKUs', () => {
  const pages = readDocuments(join(FIXTURES, 'gcp-pages')).map(gcpPageOf);

  it('G1: GIVEN CF4E-A0C7-E3BF in IDR (327.173848364 at 14999.999925) THEN 0.02181159 USD per vCPU-hour', () => {
    expect(skuTiers(pages[0]!.skus[0]!)).toEqual([{ from: 0, usd: '0.02181159' }]);
  });

  it('G2: GIVEN F449-33EC-A5EF in IDR THEN 0.00292353 USD per GiB-hour', () => {
    expect(skuTiers(pages[0]!.skus[1]!)).toEqual([{ from: 0, usd: '0.00292353' }]);
  });

  it('G5: GIVEN 02EE-77CE-ACCD THEN three tiers 0/1024/10240 GiB at 0.12/0.11/0.08', () => {
    expect(skuTiers(pages[1]!.skus[0]!)).toEqual([{ from: 0, usd: '0.12' }, { from: 1024, usd: '0.11' }, { from: 10240, usd: '0.08' }]);
  });

  it('GIVEN Spot, commitment, custom and regional-disk SKUs THEN only on-demand E2 rates and the zonal balanced PD are read', () => {
    const records = parseGcpSkus(pages.slice(0, 2), ['us-central1']);
    expect(records.map((r) => r.kind)).toEqual(['machine_rate', 'machine_rate', 'disk']);
    expect(records[2]).toMatchObject({ sku: 'pd-balanced', gb_month: '0.1' });
  });

  it('GIVEN Cloud SQL SKUs "in Americas" THEN vCPU, RAM, SSD storage and the shared-core tiers are read for every catalog region they serve, zonal as single and regional as HA; HDD storage is left out', () => {
    const sql = parseGcpSkus([pages[2]!], ['us-east1']);
    expect(sql).toEqual([
      { provider: 'gcp', region: 'us-east1', kind: 'database_rate', family: 'db-custom', deployment: 'single', part: 'vcpu', hourly: '0.0413' },
      { provider: 'gcp', region: 'us-east1', kind: 'database_rate', family: 'db-custom', deployment: 'ha', part: 'ram', hourly: '0.014' },
      { provider: 'gcp', region: 'us-east1', kind: 'database_storage', engine: 'any', deployment: 'single', gb_month: '0.17' },
      { provider: 'gcp', region: 'us-east1', kind: 'database', engine: 'any', tier: 'db-f1-micro', deployment: 'single', hourly: '0.0105' },
      { provider: 'gcp', region: 'us-east1', kind: 'database', engine: 'any', tier: 'db-g1-small', deployment: 'ha', hourly: '0.07' },
    ]);
  });

  it('G3 + G4: GIVEN the G1/G2 rates merged into the GCP file THEN e2-medium = $0.03350571/h ($24.4592) and e2-standard-4 = $0.13402284/h ($97.8367)', async () => {
    const dir = tempPricing();
    await updatePricing({ provider: 'gcp', pricingDir: dir, from: join(FIXTURES, 'gcp-pages'), asOf: '2026-08-01' });
    const est = new CostEstimator(loadPriceBook(dir));
    const medium = est.estimateResource('gcp', vm('us-central1', 'e2-medium'));
    const std4 = est.estimateResource('gcp', vm('us-central1', 'e2-standard-4'));
    expect([medium.breakdown[0]!.unit_price_usd, toUsd(medium.monthly)]).toEqual([0.03350571, 24.459168]);
    expect([std4.breakdown[0]!.unit_price_usd, toUsd(std4.monthly)]).toEqual([0.13402284, 97.836673]);
  });

  it('GIVEN no --from and no GOOGLE_BILLING_API_KEY THEN a clear validation error, nothing fetched', async () => {
    await expect(updatePricing({ provider: 'gcp', pricingDir: tempPricing(), env: {} })).rejects.toThrow(/GOOGLE_BILLING_API_KEY/);
  });
});
