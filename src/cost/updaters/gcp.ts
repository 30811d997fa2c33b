import { CATALOGS } from '../../resources/catalogs/index.js';
import { gcpPageOf, getJson, type GcpPage, type GcpSku } from './formats.js';
import { divideDecimal, normDecimal, type PriceRecord } from './records.js';

/** units + nanos, converted to USD at the catalog's nano precision when the page was fetched in another currency. */
export function skuTiers(sku: GcpSku): Array<{ from: number; usd: string }> {
  const info = sku.pricingInfo.at(-1);
  if (!info) return [];
  const rate = normDecimal(info.currencyConversionRate ?? 1);
  return info.pricingExpression.tieredRates.map((t) => {
    const local = normDecimal(`${BigInt(t.unitPrice.units)}.${String(t.unitPrice.nanos).padStart(9, '0')}`);
    return { from: t.startUsageAmount, usd: rate === '1' ? local : divideDecimal(local, rate, 9) };
  });
}

/** Description prefixes per family (Infracost's map); custom, Spot and commitment SKUs have other prefixes. */
const MACHINE: Array<[RegExp, string, 'vcpu' | 'ram']> = [
  [/^E2 Instance Core running in /, 'e2', 'vcpu'], [/^E2 Instance Ram running in /, 'e2', 'ram'],
  [/^N1 Predefined Instance Core running in /, 'n1', 'vcpu'], [/^N1 Predefined Instance Ram running in /, 'n1', 'ram'],
  [/^N2 Instance Core running in /, 'n2', 'vcpu'], [/^N2 Instance Ram running in /, 'n2', 'ram'],
  [/^N2D AMD Instance Core running in /, 'n2d', 'vcpu'], [/^N2D AMD Instance Ram running in /, 'n2d', 'ram'],
  [/^Compute optimized Core running in /, 'c2', 'vcpu'], [/^Compute optimized Ram running in /, 'c2', 'ram'],
];
const DISKS: Array<[RegExp, string]> = [[/^Storage PD Capacity/, 'pd-standard'], [/^Balanced PD Capacity/, 'pd-balanced'], [/^SSD backed PD Capacity/, 'pd-ssd']];
const BUCKETS: Array<[RegExp, string]> = [[/^Standard Storage /, 'STANDARD'], [/^Nearline Storage /, 'NEARLINE'], [/^Coldline Storage /, 'COLDLINE'], [/^Archive Storage /, 'ARCHIVE']];
const SQL = /^Cloud SQL for (MySQL|PostgreSQL): (Zonal|Regional) - (vCPU|RAM|Standard storage|Micro instance|Small instance) in /;
const SHARED_CORE: Record<string, string> = { 'Micro instance': 'db-f1-micro', 'Small instance': 'db-g1-small' };

function records(sku: GcpSku, region: string): PriceRecord[] {
  const tiers = skuTiers(sku);
  const first = tiers[0]?.usd;
  if (!first) return [];
  const base = { provider: 'gcp' as const, region };
  const d = sku.description;
  const machine = MACHINE.find(([re]) => re.test(d));
  if (machine) return [{ ...base, kind: 'machine_rate', family: machine[1], part: machine[2], hourly: first }];
  const disk = DISKS.find(([re]) => re.test(d));
  if (disk) return [{ ...base, kind: 'disk', sku: disk[1], gb_month: first }];
  const bucket = BUCKETS.find(([re]) => re.test(d));
  if (bucket && !/Dual-region|Multi-region|Early Delete/i.test(d)) return [{ ...base, kind: 'storage', sku: bucket[1], tiers: tiers.map((t) => ({ from_gb: t.from, gb_month: t.usd })) }];
  const sql = SQL.exec(d);
  if (!sql) return [];
  const deployment = sql[2] === 'Zonal' ? 'single' : 'ha';
  if (sql[3] === 'Standard storage') return [{ ...base, kind: 'database_storage', engine: 'any', deployment, gb_month: first }];
  const shared = SHARED_CORE[sql[3]!];
  if (shared) return [{ ...base, kind: 'database', engine: 'any', tier: shared, deployment, hourly: first }];
  return [{ ...base, kind: 'database_rate', family: 'db-custom', deployment, part: sql[3] === 'vCPU' ? 'vcpu' : 'ram', hourly: first }];
}

/** On-demand only (no Preemptible/Commit usage types); one record per catalog region the SKU's serviceRegions name. */
export function parseGcpSkus(pages: GcpPage[], regions: string[] = Object.keys(CATALOGS.gcp.regions)): PriceRecord[] {
  const out: PriceRecord[] = [];
  for (const sku of pages.flatMap((p) => p.skus)) {
    if (sku.category.usageType !== 'OnDemand' || /Regional (Storage|Balanced|SSD)/.test(sku.description)) continue;
    for (const region of sku.serviceRegions.filter((r) => regions.includes(r))) out.push(...records(sku, region));
  }
  return out;
}

const SERVICES = ['6F81-5844-456A', '95FF-2EF5-5EA1', '9662-B51E-5089'];

/** The v1 Catalog API needs only an API key; pages hold up to 5000 SKUs, linked by nextPageToken. */
export async function fetchGcpPages(apiKey: string, fetchFn: typeof fetch = fetch): Promise<GcpPage[]> {
  const pages: GcpPage[] = [];
  for (const service of SERVICES) {
    let token: string | undefined = '';
    while (token !== undefined) {
      const url = `https://cloudbilling.googleapis.com/v1/services/${service}/skus?currencyCode=USD&pageSize=5000&key=${encodeURIComponent(apiKey)}${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
      const where = `https://cloudbilling.googleapis.com/v1/services/${service}/skus`;
      const page = gcpPageOf({ where, doc: await getJson(fetchFn, url, where) });
      pages.push(page);
      token = page.nextPageToken || undefined;
    }
  }
  return pages;
}
