import { CATALOGS } from '../../resources/catalogs/index.js';
import { divideDecimal, normDecimal, type PriceRecord } from './records.js';

/** One Azure Retail Prices API item (fields as in Azure/karpenter-provider-azure pricingapi_types.go). */
export interface AzureItem {
  currencyCode: string;
  tierMinimumUnits: number;
  retailPrice: number;
  armRegionName: string;
  meterName: string;
  productName: string;
  skuName: string;
  serviceName: string;
  unitOfMeasure: string;
  type: string;
  armSkuName: string;
  reservationTerm?: string;
}
export interface AzurePage { Items: AzureItem[]; NextPageLink?: string | null; Count?: number }

const TIER_GB: Record<string, number> = { '4': 32, '6': 64, '10': 128, '15': 256, '20': 512, '30': 1024, '40': 2048, '50': 4096, '60': 8192, '70': 16384, '80': 32767 };
const DISK_PRODUCTS: Record<string, string> = { 'Standard HDD Managed Disks': 'Standard_LRS', 'Standard SSD Managed Disks': 'StandardSSD_LRS', 'Premium SSD Managed Disks': 'Premium_LRS' };
const TERM_HOURS: Record<string, string> = { '1 Year': '8760', '3 Years': '26280' };

/** Windows, Spot and Low Priority rows share the Linux armSkuName (Karpenter's rule). */
const isLinuxOnDemand = (i: AzureItem) => !i.productName.endsWith(' Windows') && !/ (Spot|Low Priority)$/.test(i.skuName) && !/ (Spot|Low Priority)$/.test(i.meterName);

/** Flexible-server compute rows name the tier by meter (B1MS) or by vCores (2 vCore in a Dsv3 product). */
function flexTier(i: AzureItem): string | undefined {
  const tiers = Object.keys(CATALOGS.azure.dbTiers);
  if (/Burstable/.test(i.productName)) return tiers.find((t) => t.toLowerCase() === `b_standard_${i.meterName.toLowerCase()}`);
  const series = /General Purpose (\w+) Series Compute/.exec(i.productName)?.[1];
  const cores = /^(\d+) vCore$/.exec(i.skuName)?.[1];
  if (!series || !cores) return undefined;
  const suffix = series.replace(/^D/, '').replace(/(v\d)$/, '_$1');
  return tiers.find((t) => t === `GP_Standard_D${cores}${suffix}`);
}

function vmRecord(i: AzureItem, base: { provider: 'azure'; region: string }): PriceRecord | undefined {
  if (i.serviceName !== 'Virtual Machines' || !i.armSkuName || !isLinuxOnDemand(i) || i.unitOfMeasure !== '1 Hour') return undefined;
  if (i.type === 'Consumption') return { ...base, kind: 'machine', sku: i.armSkuName, hourly: normDecimal(i.retailPrice) };
  const hours = TERM_HOURS[i.reservationTerm ?? ''];
  if (i.type !== 'Reservation' || !hours) return undefined;
  // A reservation's retailPrice is the whole term, although unitOfMeasure says "1 Hour".
  return { ...base, kind: 'commitment', sku: i.armSkuName, program: 'Azure Reserved VM Instance', term: hours === '8760' ? '1y' : '3y', hourly: divideDecimal(normDecimal(i.retailPrice), hours, 10) };
}

function storageRecord(i: AzureItem, base: { provider: 'azure'; region: string }): PriceRecord | undefined {
  const disk = DISK_PRODUCTS[i.productName];
  const tier = /^([SEP])(\d+) LRS Disk$/.exec(i.meterName);
  if (disk && tier && i.unitOfMeasure === '1/Month' && TIER_GB[tier[2]!]) {
    return { ...base, kind: 'disk_tier', disk_type: disk, tier: `${tier[1]}${tier[2]}`, max_gb: TIER_GB[tier[2]!]!, month: normDecimal(i.retailPrice) };
  }
  const blob = /^(Hot|Cool|Cold|Archive) (LRS|GRS) Data Stored$/.exec(i.meterName);
  if (blob && /^(General Block Blob v2|Blob Storage)$/.test(i.productName)) {
    return { ...base, kind: 'storage', sku: `${blob[1]}_${blob[2]}`, tiers: [{ from_gb: i.tierMinimumUnits, gb_month: normDecimal(i.retailPrice) }] };
  }
  return undefined;
}

function databaseRecord(i: AzureItem, base: { provider: 'azure'; region: string }): PriceRecord | undefined {
  const engine = /PostgreSQL/.test(i.serviceName) ? 'postgres' : /MySQL/.test(i.serviceName) ? 'mysql' : undefined;
  if (!engine || !/Flexible Server/.test(i.productName)) return undefined;
  if (/Storage$/.test(i.productName) && i.meterName === 'Storage Data Stored') return { ...base, kind: 'database_storage', engine, deployment: 'single', gb_month: normDecimal(i.retailPrice) };
  const tier = /Compute$/.test(i.productName) && i.unitOfMeasure === '1 Hour' ? flexTier(i) : undefined;
  return tier ? { ...base, kind: 'database', engine, tier, deployment: 'single', hourly: normDecimal(i.retailPrice) } : undefined;
}

/** Tiered meters arrive as several items differing only in tierMinimumUnits: fold them into one record. */
function foldTiers(records: PriceRecord[]): PriceRecord[] {
  const byKey = new Map<string, PriceRecord>();
  for (const r of records) {
    const key = r.kind === 'storage' ? `${r.region}/${r.sku}` : `${byKey.size}`;
    const prev = byKey.get(key);
    if (prev?.kind === 'storage' && r.kind === 'storage') prev.tiers = [...prev.tiers, ...r.tiers].sort((a, b) => a.from_gb - b.from_gb);
    else byKey.set(key, r.kind === 'storage' ? { ...r, tiers: [...r.tiers] } : r);
  }
  return [...byKey.values()];
}

export function parseAzurePages(pages: AzurePage[]): PriceRecord[] {
  const records: PriceRecord[] = [];
  for (const item of pages.flatMap((p) => p.Items)) {
    if (item.currencyCode !== 'USD' || item.type === 'DevTestConsumption') continue;
    const base = { provider: 'azure' as const, region: item.armRegionName };
    const r = vmRecord(item, base) ?? (item.type === 'Consumption' ? storageRecord(item, base) ?? databaseRecord(item, base) : undefined);
    if (r) records.push(r);
  }
  return foldTiers(records);
}

const API = 'https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&currencyCode=USD';

/** Follows NextPageLink until it is empty; pages are whatever size the API chooses. */
export async function fetchAzurePages(regions: string[], fetchFn: typeof fetch = fetch): Promise<AzurePage[]> {
  const services = ['Virtual Machines', 'Storage', 'Azure Database for PostgreSQL', 'Azure Database for MySQL'];
  const filter = `(${regions.map((r) => `armRegionName eq '${r}'`).join(' or ')}) and (${services.map((s) => `serviceName eq '${s}'`).join(' or ')})`;
  const pages: AzurePage[] = [];
  let next: string | null | undefined = `${API}&$filter=${encodeURIComponent(filter)}`;
  while (next) {
    const res = await fetchFn(next);
    if (!res.ok) throw new Error(`Azure Retail Prices API answered ${res.status} for ${next}`);
    const page = (await res.json()) as AzurePage;
    pages.push(page);
    next = page.NextPageLink;
  }
  return pages;
}
