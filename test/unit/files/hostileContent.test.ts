/**
 * The same hostile documents through every path a file's content takes: a resources file given to
 * the CLI, an attachment given to /cloud-import (the parser the bot runs), and a price list given to
 * `pricing update --from`. Each must be refused as the user's mistake (a validation error naming the
 * file or the item), never crash the process (deep nesting once overflowed the stack), and leave
 * nothing changed — a price file whose date moved though no price was read claims a freshness it
 * does not have.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResources, readResourceItems } from '../../../src/cli/resourcesFile.js';
import { refusal } from './refusal.js';
import { updatePricing, type UpdatableProvider } from '../../../src/cost/updaters/index.js';
import { parseResourceFile } from '../../../src/sheets/index.js';
import { validateItems } from '../../../src/sheets/items.js';
import { PRICING_DIR } from '../cost/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ce-hostile-content-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEPTH = 100_000;
const deepArray = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const deepObject = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;


describe('hostile resources documents, through the CLI and through a Discord attachment', () => {
  const vm = (field: string) => `[{"provider":"sandbox","type":"compute_vm","name":"web-1","machine_type":"small","${field}}]`;
  const cases: Array<[string, string, RegExp]> = [
    ['null', 'null', /must hold a JSON array/],
    ['a string', '"compute_vm"', /must hold a JSON array/],
    ['an object', '{"type":"compute_vm","name":"web-1"}', /must hold a JSON array/],
    [`an array nested ${DEPTH.toLocaleString('en-US')} levels`, deepArray, /resources\[0\].*(must be an object|provider)/],
    [`a name nested ${DEPTH.toLocaleString('en-US')} levels`, `[{"provider":"sandbox","type":"compute_vm","name":${deepObject}}]`, /name is nested more than 8 levels deep/],
    [`a disk size nested ${DEPTH.toLocaleString('en-US')} levels in arrays`, vm(`disk_size_gb":${deepArray}`), /disk_size_gb is nested more than 8 levels deep/],
    ['a prototype name as the type', '[{"provider":"sandbox","type":"__proto__","name":"web-1"}]', /type '__proto__' is not a resource type/],
    ['a prototype name as a machine type', '[{"provider":"sandbox","type":"compute_vm","name":"web-1","machine_type":"constructor"}]', /machine_type 'constructor' is not a Sandbox machine type/],
    ['a number too large for a double', vm('disk_size_gb":1e400'), /disk_size_gb/],
    ['a type nested 10,000 lists deep', `[{"provider":"sandbox","type":${'['.repeat(10_000)}${']'.repeat(10_000)},"name":"web-1"}]`, /type a list is not a resource type/],
    ['a __proto__ key', '[{"provider":"sandbox","type":"compute_vm","name":"web-1","__proto__":{"machine_type":"huge"}}]', /unknown field '__proto__'/],
  ];

  for (const [label, text, says] of cases) {
    it(`GIVEN ${label} THEN the CLI and the import both refuse it as a validation error`, async () => {
      const path = join(dir, 'resources.json');
      writeFileSync(path, text);
      const cli = await refusal(async () => parseResources(await readResourceItems(path)));
      const discord = await refusal(async () => validateItems('sandbox', await parseResourceFile(Buffer.from(text), 'upload.json')));
      for (const e of [cli, discord]) {
        expect(e.code).toBe('validation');
        expect(e.userMessage).toMatch(says);
      }
    });
  }
});

describe('hostile price lists given to pricing update --from', () => {
  const pricing = () => {
    const d = mkdtempSync(join(dir, 'pricing-'));
    for (const p of ['aws', 'azure', 'gcp', 'sandbox']) copyFileSync(join(PRICING_DIR, `${p}.json`), join(d, `${p}.json`));
    return d;
  };
  const azureItem = { currencyCode: 'USD', tierMinimumUnits: 0, armRegionName: 'eastus', armSkuName: 'Standard_B2s', type: 'Consumption', meterName: 'B2s', productName: 'Virtual Machines BS Series', skuName: 'B2s', serviceName: 'Virtual Machines', unitOfMeasure: '1 Hour' };
  const awsOffer = (usd: string) => JSON.stringify({
    products: { X: { sku: 'X', productFamily: 'Compute Instance', attributes: { regionCode: 'us-east-1', instanceType: 't3.medium', operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', licenseModel: 'No License required', capacitystatus: 'Used' } } },
    terms: { OnDemand: { X: { 'X.1': { priceDimensions: { 'X.1.1': { unit: 'Hrs', beginRange: '0', endRange: 'Inf', pricePerUnit: { USD: usd } } } } } } },
  });
  const cases: Array<[UpdatableProvider, string, string, RegExp]> = [
    ['aws', 'null', 'null', /is not an AWS offer file[^]*expected object, received null/],
    ['aws', 'an empty object', '{}', /is not an AWS offer file[^]*products/],
    ['aws', `an array nested ${DEPTH.toLocaleString('en-US')} levels`, deepArray, /is not an AWS offer file[^]*expected object, received array/],
    ['aws', `a product nested ${DEPTH.toLocaleString('en-US')} levels`, `{"products":${deepObject}}`, /is not an AWS offer file[^]*products\.a/],
    ['aws', 'a negative price', awsOffer('-0.0416'), /pricePerUnit\.USD: must be a non-negative decimal/],
    ['aws', 'a price that is not a number', awsOffer('free'), /pricePerUnit\.USD: must be a non-negative decimal/],
    ['aws', 'a PriceList item that is not JSON', '{"PriceList":["{not json"]}', /PriceList\.0: is not a JSON document/],
    ['aws', 'an offer with no price Cloud Engine offers', '{"products":{},"terms":{}}', /holds no price for the machine types[^]*aws\.json is unchanged/],
    ['azure', 'null', 'null', /is not an Azure Retail Prices API page/],
    ['azure', 'items without prices', JSON.stringify({ Items: [azureItem] }), /Items\.0\.retailPrice/],
    ['azure', 'a price too large for a double', `{"Items":[${JSON.stringify(azureItem).replace(/}$/, ',"retailPrice":1e400}')}]}`, /Items\.0\.retailPrice/],
    ['azure', 'an empty page', '{"Items":[]}', /holds no price[^]*azure\.json is unchanged/],
    ['azure', 'a price of 10^21', `{"Items":[${JSON.stringify(azureItem).replace(/}$/, ',"retailPrice":1e21}')}]}`, /Items\.0\.retailPrice: must be below 1,000,000,000/],
    ['aws', 'a price of 400 digits', awsOffer('9'.repeat(400)), /pricePerUnit\.USD: must be a non-negative decimal below 1,000,000,000/],
    ['aws', 'a tier starting at minus one', awsOffer('0.02').replace('"beginRange":"0"', '"beginRange":"-1"'), /beginRange: must be a non-negative number of units/],
    ['gcp', 'a string', '"skus"', /is not a Cloud Billing Catalog API page/],
    ['gcp', 'a SKU with a fractional unit count', JSON.stringify({ skus: [{ skuId: 'A', description: 'E2 Instance Core running in Americas', category: { serviceDisplayName: 'Compute Engine', resourceFamily: 'Compute', resourceGroup: 'CPU', usageType: 'OnDemand' }, serviceRegions: ['us-east1'], pricingInfo: [{ pricingExpression: { usageUnit: 'h', tieredRates: [{ startUsageAmount: 0, unitPrice: { currencyCode: 'USD', units: '1.5', nanos: 0 } }] } }] }] }), /units: must be a whole number/],
  ];

  for (const [provider, label, text, says] of cases) {
    it(`GIVEN ${provider}: ${label} THEN it is refused naming the file and the field, and the price file is byte for byte unchanged`, async () => {
      const pricingDir = pricing();
      const from = join(dir, `${provider}-input.json`);
      writeFileSync(from, text);
      const before = readFileSync(join(pricingDir, `${provider}.json`));
      const e = await refusal(() => updatePricing({ provider, pricingDir, from, asOf: '2030-01-01' }));
      expect(e.code).toBe('validation');
      expect(e.userMessage).toContain(from);
      expect(e.userMessage).toMatch(says);
      expect(readFileSync(join(pricingDir, `${provider}.json`)).equals(before)).toBe(true);
    });
  }

  it('GIVEN GCP conversion rates of 10^21 and 10^-13 (a division by zero once rounded) THEN each is refused naming the field', async () => {
    const sku = (rate: number) => JSON.stringify({ skus: [{ skuId: 'A', description: 'E2 Instance Core running in Americas', category: { serviceDisplayName: 'Compute Engine', resourceFamily: 'Compute', resourceGroup: 'CPU', usageType: 'OnDemand' }, serviceRegions: ['us-east1'], pricingInfo: [{ pricingExpression: { usageUnit: 'h', tieredRates: [{ startUsageAmount: 0, unitPrice: { currencyCode: 'IDR', units: '327', nanos: 0 } }] }, currencyConversionRate: rate }] }] });
    for (const [rate, says] of [[1e21, /currencyConversionRate: must be at most 10,000,000/], [1e-13, /currencyConversionRate: must be at least 0\.0001/]] as const) {
      const from = join(dir, 'gcp-rate.json');
      writeFileSync(from, sku(rate));
      const e = await refusal(() => updatePricing({ provider: 'gcp', pricingDir: pricing(), from }));
      expect(e.code).toBe('validation');
      expect(e.userMessage).toMatch(says);
    }
  });

  it('GIVEN a pricing directory that does not exist THEN the update says so as a storage problem, not a crash', async () => {
    const from = join(dir, 'aws-ok.json');
    writeFileSync(from, awsOffer('0.0416'));
    const e = await refusal(() => updatePricing({ provider: 'aws', pricingDir: join(dir, 'no-such-pricing'), from }));
    expect(e.code).toBe('storage');
    expect(e.userMessage).toMatch(/^Could not read \S+no-such-pricing\/aws\.json: a file or directory is missing/);
  });

  it('GIVEN the price API unreachable, answering 500, answering HTML, or linking its next page elsewhere THEN the service is unavailable, the API key is never shown, and nothing changes', async () => {
    const pricingDir = pricing();
    const before = readFileSync(join(pricingDir, 'gcp.json'));
    const answers: Array<[string, typeof fetch]> = [
      ['unreachable', (async () => { throw new TypeError('fetch failed'); }) as typeof fetch],
      ['500', (async () => new Response('oops', { status: 500 })) as typeof fetch],
      ['HTML', (async () => new Response('<html>maintenance</html>')) as typeof fetch],
    ];
    for (const [label, fetchFn] of answers) {
      const e = await refusal(() => updatePricing({ provider: 'gcp', pricingDir, fetchFn, env: { GOOGLE_BILLING_API_KEY: 'AIzaSECRETKEY123' } }));
      expect(e.code, label).toBe('unavailable');
      expect(e.userMessage, label).toContain('https://cloudbilling.googleapis.com/v1/services/');
      expect(e.userMessage, label).not.toContain('AIzaSECRETKEY123');
    }
    expect(readFileSync(join(pricingDir, 'gcp.json')).equals(before)).toBe(true);
    const elsewhere = (async () => new Response(JSON.stringify({ Items: [], NextPageLink: 'https://evil.example/prices' }))) as typeof fetch;
    const e = await refusal(() => updatePricing({ provider: 'azure', pricingDir, fetchFn: elsewhere }));
    expect(e.code).toBe('unavailable');
    expect(e.userMessage).toContain('outside prices.azure.com');
  });
});
