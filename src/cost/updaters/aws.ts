import { z } from 'zod';
import { CoreError } from '../../domain/errors.js';
import { awsItems, getJson, type AwsDimension, type AwsItem, type AwsProduct, type AwsTerm, type PriceDocument } from './formats.js';
import { normDecimal, type PriceRecord } from './records.js';

const LOCATIONS: Record<string, string> = {
  'US East (N. Virginia)': 'us-east-1', 'US East (Ohio)': 'us-east-2', 'US West (Oregon)': 'us-west-2', 'Canada (Central)': 'ca-central-1',
  'EU (Ireland)': 'eu-west-1', 'Europe (Ireland)': 'eu-west-1', 'EU (Frankfurt)': 'eu-central-1', 'Europe (Frankfurt)': 'eu-central-1', 'EU (London)': 'eu-west-2', 'Europe (London)': 'eu-west-2',
};

const dims = (terms: AwsTerm[], unit: RegExp) =>
  terms.flatMap((t) => Object.values(t.priceDimensions)).filter((x) => unit.test(x.unit) && x.pricePerUnit.USD !== undefined);

/** Tiers kept, ordered by beginRange ("0", "51200", "512000"). */
const tiers = (ds: AwsDimension[]) =>
  ds.map((x) => ({ from_gb: Number(x.beginRange), gb_month: normDecimal(x.pricePerUnit.USD!) })).sort((a, b) => a.from_gb - b.from_gb);

const S3_CLASSES: Array<[RegExp, string]> = [
  [/TimedStorage-ByteHrs$/, 'STANDARD'], [/TimedStorage-SIA-ByteHrs$/, 'STANDARD_IA'], [/TimedStorage-ZIA-ByteHrs$/, 'ONEZONE_IA'],
  [/TimedStorage-GIR-ByteHrs$/, 'GLACIER_IR'], [/TimedStorage-GDA-ByteHrs$/, 'DEEP_ARCHIVE'],
];

function s3Class(a: Record<string, string>): string | undefined {
  if (a.servicecode === 'AmazonGlacier') return /TimedStorage-ByteHrs$/.test(a.usagetype ?? '') ? 'GLACIER' : undefined;
  if (a.servicecode === 'AmazonS3' && a.usagetype?.endsWith('TimedStorage-ByteHrs') && !/Standard/.test(a.volumeType ?? 'Standard')) return undefined;
  return S3_CLASSES.find(([re]) => re.test(a.usagetype ?? ''))?.[1];
}

/** Linux, shared tenancy, no pre-installed software, used capacity: exactly one row per type (Infracost's filter). */
const isLinuxOnDemandVm = (p: AwsProduct) => {
  const a = p.attributes;
  return p.productFamily === 'Compute Instance' && a.operatingSystem === 'Linux' && a.tenancy === 'Shared' && a.preInstalledSw === 'NA' && a.licenseModel === 'No License required' && a.capacitystatus === 'Used';
};

function itemRecords(it: AwsItem): PriceRecord[] {
  const p = it.product;
  const a = p.attributes;
  const region = a.regionCode ?? LOCATIONS[a.location ?? ''];
  if (!region) return [];
  const base = { provider: 'aws' as const, region };
  const hourly = dims(it.onDemand, /^Hrs$/)[0]?.pricePerUnit.USD;
  if (isLinuxOnDemandVm(p) && hourly) {
    const vm: PriceRecord[] = [{ ...base, kind: 'machine', sku: a.instanceType!, hourly: normDecimal(hourly), attributes: { os: 'Linux', tenancy: 'Shared', term: 'on_demand' } }];
    for (const t of it.reserved) {
      const ta = t.termAttributes ?? {};
      const h = dims([t], /^Hrs$/)[0]?.pricePerUnit.USD;
      if (h && ta.OfferingClass === 'standard' && ta.PurchaseOption === 'No Upfront') {
        vm.push({ ...base, kind: 'commitment', sku: a.instanceType!, program: 'EC2 Standard Reserved Instance, no upfront', term: ta.LeaseContractLength === '3yr' ? '3y' : '1y', hourly: normDecimal(h) });
      }
    }
    return vm;
  }
  const gbMonth = dims(it.onDemand, /^GB-Mo$/i);
  if (p.productFamily === 'Storage' && a.servicecode === 'AmazonEC2' && a.volumeApiName && gbMonth[0]) {
    return [{ ...base, kind: 'disk', sku: a.volumeApiName, gb_month: normDecimal(gbMonth[0].pricePerUnit.USD!) }];
  }
  const cls = s3Class(a);
  if (cls && gbMonth.length && (a.operation ?? '') === '') return [{ ...base, kind: 'storage', sku: cls, tiers: tiers(gbMonth) }];
  const engine = a.databaseEngine === 'MySQL' ? 'mysql' : a.databaseEngine === 'PostgreSQL' ? 'postgres' : a.databaseEngine === 'Any' ? 'any' : undefined;
  const deployment = a.deploymentOption === 'Single-AZ' ? 'single' : a.deploymentOption === 'Multi-AZ' ? 'ha' : undefined;
  if (p.productFamily === 'Database Instance' && engine && engine !== 'any' && deployment && hourly) {
    return [{ ...base, kind: 'database', engine, tier: a.instanceType!, deployment, hourly: normDecimal(hourly) }];
  }
  if (p.productFamily === 'Database Storage' && a.volumeType === 'General Purpose' && engine && deployment && gbMonth[0]) {
    return [{ ...base, kind: 'database_storage', engine, deployment, gb_month: normDecimal(gbMonth[0].pricePerUnit.USD!) }];
  }
  return [];
}

export const parseAwsOffer = (d: PriceDocument): PriceRecord[] => awsItems(d).flatMap(itemRecords);

const PRICING = 'https://pricing.us-east-1.amazonaws.com';
// Only a path on the pricing host: the index must not send us elsewhere.
const regionIndex = z.object({ regions: z.record(z.string(), z.object({ currentVersionUrl: z.string().regex(/^\/offers\/[\w./-]+\.json$/) })) });
export const AWS_OFFERS = ['AmazonEC2', 'AmazonS3', 'AmazonGlacier', 'AmazonS3GlacierDeepArchive', 'AmazonRDS'];

/** Online: each service's per-region offer file (one region of AmazonEC2 is ~150 MB, not the 2.5 GB global file). */
export async function fetchAwsOffers(regions: string[], fetchFn: typeof fetch = fetch): Promise<PriceDocument[]> {
  const docs: PriceDocument[] = [];
  for (const offer of AWS_OFFERS) {
    const where = `${PRICING}/offers/v1.0/aws/${offer}/current/region_index.json`;
    const idx = regionIndex.safeParse(await getJson(fetchFn, where));
    if (!idx.success) throw new CoreError('unavailable', `${where} is not an AWS region index (regions.<region>.currentVersionUrl)`);
    for (const r of regions) {
      const path = idx.data.regions[r]?.currentVersionUrl;
      if (path) docs.push({ where: `${PRICING}${path}`, doc: await getJson(fetchFn, `${PRICING}${path}`) });
    }
  }
  return docs;
}
