import { CoreError } from '../../domain/errors.js';
import { dbTiersFor } from '../../resources/catalogs/index.js';
import { azurePageOf, getJson, type AzureItem, type AzurePage } from './formats.js';
import { divideDecimal, multiplyDecimal, normDecimal, type PriceRecord } from './records.js';

const TIER_GB: Record<string, number> = { '4': 32, '6': 64, '10': 128, '15': 256, '20': 512, '30': 1024, '40': 2048, '50': 4096, '60': 8192, '70': 16384, '80': 32767 };
const DISK_PRODUCTS: Record<string, string> = { 'Standard HDD Managed Disks': 'Standard_LRS', 'Standard SSD Managed Disks': 'StandardSSD_LRS', 'Premium SSD Managed Disks': 'Premium_LRS' };
const TERM_HOURS: Record<string, string> = { '1 Year': '8760', '3 Years': '26280' };

/** Windows, Spot and Low Priority rows share the Linux armSkuName (Karpenter's rule). */
const isLinuxOnDemand = (i: AzureItem) => !i.productName.endsWith(' Windows') && !/ (Spot|Low Priority)$/.test(i.skuName) && !/ (Spot|Low Priority)$/.test(i.meterName);

/**
 * Flexible-server compute rows name a Burstable tier by meter (B1MS, B2ms vCore); General Purpose rows price one vCore
 * (skuName "vCore" or "1 vCore"), so every catalog tier of that series is the rate × its vCores. The series is in
 * the product name (PostgreSQL: "General Purpose Ddsv4 Series Compute") or only in armSkuName (MySQL:
 * "General Purpose Series Compute", armSkuName "AzureDB_MySQL_Flexible_Server_General_Purpose_Ddsv4_Compute").
 */
function flexTiers(i: AzureItem, engine: 'postgres' | 'mysql'): Array<{ tier: string; hourly: string }> {
  // Only the tiers this engine is offered in: a MySQL rate must not price PostgreSQL-only series.
  const tiers = dbTiersFor('azure', engine);
  if (/Burstable/.test(i.productName)) {
    // PostgreSQL names most Burstable meters "B2ms vCore"; MySQL names them "B2MS".
    const meter = i.meterName.replace(/ vCore$/i, '').toLowerCase();
    const tier = tiers.find((t) => t.toLowerCase() === `b_standard_${meter}`);
    return tier ? [{ tier, hourly: normDecimal(i.retailPrice) }] : [];
  }
  const series = /General Purpose (\w+) Series Compute/.exec(i.productName)?.[1] ?? /_General_Purpose_([A-Za-z0-9]+)_Compute$/.exec(i.armSkuName)?.[1];
  const cores = /^(\d+ )?vCore$/.exec(i.skuName);
  if (!series || !cores) return [];
  const suffix = series.replace(/^D/, '').replace(/(v\d)$/, '_$1');
  const shape = new RegExp(`^GP_Standard_D(\\d+)${suffix}$`);
  const perCore = cores[1] === undefined || cores[1] === '1 ';
  return tiers.flatMap((tier) => {
    const n = Number(shape.exec(tier)?.[1]);
    if (!n) return [];
    if (perCore) return [{ tier, hourly: multiplyDecimal(normDecimal(i.retailPrice), n) }];
    return `${n} ` === cores[1] ? [{ tier, hourly: normDecimal(i.retailPrice) }] : [];
  });
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
  // Buckets are StorageV2 accounts. The legacy "Blob Storage" product repeats the same meters; reading both
  // would give every tier twice.
  if (blob && i.productName === 'General Block Blob v2') {
    return { ...base, kind: 'storage', sku: `${blob[1]}_${blob[2]}`, tiers: [{ from_gb: i.tierMinimumUnits, gb_month: normDecimal(i.retailPrice) }] };
  }
  return undefined;
}

function databaseRecords(i: AzureItem, base: { provider: 'azure'; region: string }): PriceRecord[] {
  const engine = /PostgreSQL/.test(i.serviceName) ? 'postgres' : /MySQL/.test(i.serviceName) ? 'mysql' : undefined;
  if (!engine || !/Flexible Server/.test(i.productName)) return [];
  if (/Storage$/.test(i.productName) && i.meterName === 'Storage Data Stored') return [{ ...base, kind: 'database_storage', engine, deployment: 'single', gb_month: normDecimal(i.retailPrice) }];
  if (!/Compute$/.test(i.productName) || i.unitOfMeasure !== '1 Hour') return [];
  return flexTiers(i, engine).map(({ tier, hourly }) => ({ ...base, kind: 'database', engine, tier, deployment: 'single', hourly }));
}

/** Tiered meters arrive as several items differing only in tierMinimumUnits: fold them into one record. */
function foldTiers(records: PriceRecord[]): PriceRecord[] {
  const byKey = new Map<string, PriceRecord>();
  for (const r of records) {
    const key = r.kind === 'storage' ? `${r.region}/${r.sku}` : `${byKey.size}`;
    const prev = byKey.get(key);
    if (prev?.kind === 'storage' && r.kind === 'storage') {
      // A tier seen twice (two meters for the same volume band) counts once: a price file's tiers must ascend.
      const fresh = r.tiers.filter((t) => !prev.tiers.some((p) => p.from_gb === t.from_gb));
      prev.tiers = [...prev.tiers, ...fresh].sort((a, b) => a.from_gb - b.from_gb);
    }
    else byKey.set(key, r.kind === 'storage' ? { ...r, tiers: [...r.tiers] } : r);
  }
  return [...byKey.values()];
}

export function parseAzurePages(pages: AzurePage[]): PriceRecord[] {
  const records: PriceRecord[] = [];
  for (const item of pages.flatMap((p) => p.Items)) {
    if (item.currencyCode !== 'USD' || item.type === 'DevTestConsumption') continue;
    const base = { provider: 'azure' as const, region: item.armRegionName };
    const vm = vmRecord(item, base);
    if (vm) records.push(vm);
    else if (item.type === 'Consumption') {
      const storage = storageRecord(item, base);
      records.push(...(storage ? [storage] : databaseRecords(item, base)));
    }
  }
  return foldTiers(records);
}

const API = 'https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&currencyCode=USD';

const isAzurePricesUrl = (url: string) => URL.canParse(url) && new URL(url).protocol === 'https:' && new URL(url).hostname === 'prices.azure.com';

/** Follows NextPageLink until it is empty; pages are whatever size the API chooses. */
export async function fetchAzurePages(regions: string[], fetchFn: typeof fetch = fetch): Promise<AzurePage[]> {
  const services = ['Virtual Machines', 'Storage', 'Azure Database for PostgreSQL', 'Azure Database for MySQL'];
  const filter = `(${regions.map((r) => `armRegionName eq '${r}'`).join(' or ')}) and (${services.map((s) => `serviceName eq '${s}'`).join(' or ')})`;
  const pages: AzurePage[] = [];
  let next: string | null | undefined = `${API}&$filter=${encodeURIComponent(filter)}`;
  while (next) {
    if (!isAzurePricesUrl(next)) throw new CoreError('unavailable', `the Azure Retail Prices API linked its next page outside prices.azure.com (${next.slice(0, 80)})`);
    const page = azurePageOf({ where: next.replace(/\?.*$/, ''), doc: await getJson(fetchFn, next) });
    pages.push(page);
    next = page.NextPageLink;
  }
  return pages;
}
