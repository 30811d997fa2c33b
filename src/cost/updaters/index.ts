import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { readUserFile } from '../../userFiles.js';
import { join } from 'node:path';
import { CoreError, environmentError } from '../../domain/errors.js';
import { CATALOGS } from '../../resources/catalogs/index.js';
import { parsePriceFile } from '../pricebook.js';
import { fetchAwsOffers, parseAwsOffer } from './aws.js';
import { fetchAzurePages, parseAzurePages } from './azure.js';
import { azurePageOf, gcpPageOf, type PriceDocument } from './formats.js';
import { fetchGcpPages, parseGcpSkus } from './gcp.js';
import { mergeRecords, type SourceNote } from './merge.js';
import type { PriceRecord } from './records.js';

export type UpdatableProvider = 'aws' | 'azure' | 'gcp';

export interface UpdateOptions {
  provider: UpdatableProvider;
  pricingDir: string;
  /** A file, or a directory of page files read in name order; without it the official API is fetched. */
  from?: string;
  fetchFn?: typeof fetch;
  env?: Record<string, string | undefined>;
  asOf?: string;
}

/** An offline price-list document may be large (a region's EC2 offer file is hundreds of MB), but not unbounded. */
export const MAX_PRICE_INPUT_BYTES = 1024 * 1024 * 1024;

/** Offline input: one JSON document, or every *.json regular file in a directory (one API page each). */
export function readDocuments(from: string): PriceDocument[] {
  let isDir: boolean;
  try {
    isDir = statSync(from).isDirectory();
  } catch {
    throw new CoreError('not_found', `price input '${from}' was not found.`);
  }
  const files = isDir ? readdirSync(from).filter((n) => n.endsWith('.json')).sort().map((n) => join(from, n)) : [from];
  if (!files.length) throw new CoreError('validation', `price input directory '${from}' holds no .json files`);
  return files.map((f) => {
    const text = readUserFile(f, MAX_PRICE_INPUT_BYTES, 'price input').toString('utf8');
    try {
      return { where: f, doc: JSON.parse(text) as unknown };
    } catch (e) {
      throw new CoreError('validation', `${f} is not valid JSON: ${(e as Error).message}`);
    }
  });
}

const SOURCES: Record<UpdatableProvider, Omit<SourceNote, 'url'>> = {
  aws: { id: 'aws-price-list-bulk', title: 'AWS Price List Bulk API offer files (AmazonEC2, AmazonS3, AmazonGlacier, AmazonS3GlacierDeepArchive, AmazonRDS)', covers: 'EC2 Linux on-demand and standard no-upfront RIs, EBS, S3 classes with tiers, RDS MySQL/PostgreSQL instances and gp2 storage' },
  azure: { id: 'azure-retail-prices', title: 'Azure Retail Prices API', covers: 'Linux VM consumption and reservation prices, managed disk tiers, blob capacity tiers, PostgreSQL/MySQL flexible server compute and storage' },
  gcp: { id: 'gcp-cloud-billing-catalog', title: 'Google Cloud Billing Catalog API (v1 SKUs)', covers: 'E2/N1/N2/N2D/C2 per-vCPU and per-GiB rates, persistent disks, Cloud Storage classes, Cloud SQL vCPU/RAM/storage' },
};

async function collect(o: UpdateOptions): Promise<{ records: PriceRecord[]; url: string }> {
  const regions = Object.keys(CATALOGS[o.provider].regions);
  const fetchFn = o.fetchFn ?? fetch;
  const docs = o.from ? readDocuments(o.from) : undefined;
  const url = o.from ?? 'online';
  switch (o.provider) {
    case 'aws':
      return { records: (docs ?? (await fetchAwsOffers(regions, fetchFn))).flatMap(parseAwsOffer), url: o.from ?? 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json' };
    case 'azure':
      return { records: parseAzurePages(docs?.map(azurePageOf) ?? (await fetchAzurePages(regions, fetchFn))), url: o.from ?? 'https://prices.azure.com/api/retail/prices' };
    case 'gcp': {
      const key = o.env?.GOOGLE_BILLING_API_KEY;
      if (!docs && !key) throw new CoreError('validation', 'GOOGLE_BILLING_API_KEY is not set: the Cloud Billing Catalog API needs an API key (or use --from <file-or-dir>)');
      return { records: parseGcpSkus(docs?.map(gcpPageOf) ?? (await fetchGcpPages(key!, fetchFn)), regions), url: docs ? url : 'https://cloudbilling.googleapis.com/v1/services' };
    }
  }
}

/** Reads the official format, merges what it covers into pricing/<provider>.json and validates the result. */
export async function updatePricing(o: UpdateOptions): Promise<{ file: string; applied: number; records: number }> {
  const path = join(o.pricingDir, `${o.provider}.json`);
  const onDisk = <T>(doing: string, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw environmentError(e, doing) ?? e;
    }
  };
  const current = parsePriceFile(onDisk(`read ${path}`, () => readFileSync(path, 'utf8')), path);
  const { records, url } = await collect(o);
  const asOf = o.asOf ?? new Date().toISOString().slice(0, 10);
  const { file, applied } = mergeRecords(current, records, { ...SOURCES[o.provider], url }, asOf);
  // A file whose date moved but whose prices did not would claim a freshness it does not have.
  if (applied === 0) throw new CoreError('validation', `${url} holds no price for the machine types, disks, storage classes or database tiers Cloud Engine offers in its ${o.provider} regions; ${path} is unchanged`);
  const text = `${JSON.stringify(file, null, 1)}\n`;
  parsePriceFile(text, path);
  onDisk(`write ${path}`, () => writeFileSync(path, text));
  return { file: path, applied, records: records.length };
}
