import { normDecimal, type PriceRecord } from './records.js';

/** AWS Price List: bulk offer file ({products, terms}) or a GetProducts response (PriceList of JSON strings). */
interface Dimension { unit: string; beginRange: string; endRange: string; pricePerUnit: { USD?: string } }
interface Term { priceDimensions: Record<string, Dimension>; termAttributes?: Record<string, string> }
interface Product { sku: string; productFamily?: string; attributes: Record<string, string> }
interface Item { product: Product; onDemand: Term[]; reserved: Term[] }

const LOCATIONS: Record<string, string> = {
  'US East (N. Virginia)': 'us-east-1', 'US East (Ohio)': 'us-east-2', 'US West (Oregon)': 'us-west-2', 'Canada (Central)': 'ca-central-1',
  'EU (Ireland)': 'eu-west-1', 'Europe (Ireland)': 'eu-west-1', 'EU (Frankfurt)': 'eu-central-1', 'Europe (Frankfurt)': 'eu-central-1', 'EU (London)': 'eu-west-2', 'Europe (London)': 'eu-west-2',
};

/** Both official shapes become a list of product + its OnDemand and Reserved terms. */
export function awsItems(doc: unknown): Item[] {
  const d = doc as { products?: Record<string, Product>; terms?: Record<string, Record<string, Record<string, Term>>>; PriceList?: string[] };
  if (Array.isArray(d.PriceList)) {
    return d.PriceList.map((s) => {
      const one = JSON.parse(s) as { product: Product; terms?: Record<string, Record<string, Term>> };
      return { product: one.product, onDemand: Object.values(one.terms?.OnDemand ?? {}), reserved: Object.values(one.terms?.Reserved ?? {}) };
    });
  }
  if (!d.products) throw new Error('not an AWS offer file: it has neither products nor PriceList');
  return Object.values(d.products).map((p) => ({
    product: p,
    onDemand: Object.values(d.terms?.OnDemand?.[p.sku] ?? {}),
    reserved: Object.values(d.terms?.Reserved?.[p.sku] ?? {}),
  }));
}

const dims = (terms: Term[], unit: RegExp) =>
  terms.flatMap((t) => Object.values(t.priceDimensions)).filter((x) => unit.test(x.unit) && x.pricePerUnit.USD !== undefined);

/** Tiers kept, ordered by beginRange ("0", "51200", "512000"). */
const tiers = (ds: Dimension[]) =>
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
const isLinuxOnDemandVm = (p: Product) => {
  const a = p.attributes;
  return p.productFamily === 'Compute Instance' && a.operatingSystem === 'Linux' && a.tenancy === 'Shared' && a.preInstalledSw === 'NA' && a.licenseModel === 'No License required' && a.capacitystatus === 'Used';
};

function itemRecords(it: Item): PriceRecord[] {
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

export const parseAwsOffer = (doc: unknown): PriceRecord[] => awsItems(doc).flatMap(itemRecords);

const PRICING = 'https://pricing.us-east-1.amazonaws.com';
export const AWS_OFFERS = ['AmazonEC2', 'AmazonS3', 'AmazonGlacier', 'AmazonS3GlacierDeepArchive', 'AmazonRDS'];

/** Online: each service's per-region offer file (one region of AmazonEC2 is ~150 MB, not the 2.5 GB global file). */
export async function fetchAwsOffers(regions: string[], fetchFn: typeof fetch = fetch): Promise<unknown[]> {
  const docs: unknown[] = [];
  for (const offer of AWS_OFFERS) {
    const idx = (await (await fetchFn(`${PRICING}/offers/v1.0/aws/${offer}/current/region_index.json`)).json()) as { regions: Record<string, { currentVersionUrl: string }> };
    for (const r of regions) {
      const url = idx.regions[r]?.currentVersionUrl;
      if (url) docs.push(await (await fetchFn(`${PRICING}${url}`)).json());
    }
  }
  return docs;
}
