import { z } from 'zod';
import { CoreError } from '../../domain/errors.js';

/**
 * The official price-list formats, validated where they enter: a file given to --from or a page an
 * API answered is untrusted until it has the shape the parsers read. Unknown fields are dropped;
 * a price that is not a non-negative decimal is refused here, naming the document and the field.
 */
// Bounded as the price files are (nine integer digits): a price past them is not one a cloud charges.
const decimal = z.string().regex(/^\s*\d{1,9}(\.\d{1,30})?\s*$/, 'must be a non-negative decimal below 1,000,000,000 such as "0.0416"');
const amount = z.number().nonnegative().lt(1e9, 'must be below 1,000,000,000');
const quantity = z.string().regex(/^\d{1,15}(\.\d{1,15})?$/, 'must be a non-negative number of units such as "51200"');
const strings = z.record(z.string(), z.string());

const awsDimension = z.object({ unit: z.string(), beginRange: quantity, endRange: z.string(), pricePerUnit: z.object({ USD: decimal.optional() }) });
const awsTerm = z.object({ priceDimensions: z.record(z.string(), awsDimension), termAttributes: strings.optional() });
const awsProduct = z.object({ sku: z.string(), productFamily: z.string().optional(), attributes: strings });
const awsTermsBySku = z.record(z.string(), z.record(z.string(), awsTerm));
const awsOfferFile = z.object({ products: z.record(z.string(), awsProduct), terms: z.object({ OnDemand: awsTermsBySku.optional(), Reserved: awsTermsBySku.optional() }).optional() });
const awsPriceListItem = z.object({ product: awsProduct, terms: z.object({ OnDemand: z.record(z.string(), awsTerm).optional(), Reserved: z.record(z.string(), awsTerm).optional() }).optional() });
const awsGetProducts = z.object({ PriceList: z.array(z.string()) });

export type AwsTerm = z.infer<typeof awsTerm>;
export type AwsDimension = z.infer<typeof awsDimension>;
export type AwsProduct = z.infer<typeof awsProduct>;
export interface AwsItem { product: AwsProduct; onDemand: AwsTerm[]; reserved: AwsTerm[] }

const azureItem = z.object({
  currencyCode: z.string(), tierMinimumUnits: z.number().nonnegative().lt(1e15), retailPrice: amount, armRegionName: z.string(),
  meterName: z.string(), productName: z.string(), skuName: z.string(), serviceName: z.string(), unitOfMeasure: z.string(), type: z.string(),
  armSkuName: z.string(), reservationTerm: z.string().optional(),
});
const azurePage = z.object({ Items: z.array(azureItem), NextPageLink: z.string().nullish(), Count: z.number().optional() });
export type AzureItem = z.infer<typeof azureItem>;
export type AzurePage = z.infer<typeof azurePage>;

// Proto3 JSON leaves zero values out, so an absent amount is 0.
const gcpMoney = z.object({ currencyCode: z.string(), units: z.string().regex(/^\d{1,9}$/, 'must be a whole number of currency units below 1,000,000,000').default('0'), nanos: z.number().int().min(0).max(999_999_999).default(0) });
const gcpSku = z.object({
  skuId: z.string(),
  description: z.string(),
  category: z.object({ serviceDisplayName: z.string(), resourceFamily: z.string(), resourceGroup: z.string(), usageType: z.string() }),
  serviceRegions: z.array(z.string()),
  pricingInfo: z.array(z.object({
    pricingExpression: z.object({ usageUnit: z.string(), tieredRates: z.array(z.object({ startUsageAmount: z.number().nonnegative().lt(1e15).default(0), unitPrice: gcpMoney })) }),
    // Currencies per US dollar: from about 0.3 (KWD) to tens of thousands (IDR, VND); outside that it is not a rate.
    currencyConversionRate: z.number().gte(1e-4, 'must be at least 0.0001').lte(1e7, 'must be at most 10,000,000').optional(),
  })),
});
const gcpPage = z.object({ skus: z.array(gcpSku).default([]), nextPageToken: z.string().optional() });
export type GcpSku = z.infer<typeof gcpSku>;
export type GcpPage = z.infer<typeof gcpPage>;

/** A document and where it came from (a file path or the API's URL), for messages. */
export interface PriceDocument { where: string; doc: unknown }

function checked<T>(schema: z.ZodType<T>, { where, doc }: PriceDocument, what: string): T {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.').slice(0, 120) || '(the document)'}: ${i.message}`);
  throw new CoreError('validation', `${where} is not ${what}`, problems);
}

/** Both official AWS shapes (bulk offer file, GetProducts response) as product + its OnDemand and Reserved terms. */
export function awsItems(d: PriceDocument): AwsItem[] {
  const doc = d.doc as { PriceList?: unknown } | null;
  if (typeof doc === 'object' && doc !== null && 'PriceList' in doc) {
    return checked(awsGetProducts, d, 'an AWS GetProducts response').PriceList.map((s, i) => {
      let one: unknown;
      try {
        one = JSON.parse(s);
      } catch {
        throw new CoreError('validation', `${d.where} is not an AWS GetProducts response`, [`PriceList.${i}: is not a JSON document`]);
      }
      const item = checked(awsPriceListItem, { where: `${d.where} (PriceList.${i})`, doc: one }, 'an AWS price list item');
      return { product: item.product, onDemand: Object.values(item.terms?.OnDemand ?? {}), reserved: Object.values(item.terms?.Reserved ?? {}) };
    });
  }
  const offer = checked(awsOfferFile, d, 'an AWS offer file (products and terms) or GetProducts response (PriceList)');
  return Object.values(offer.products).map((p) => ({
    product: p,
    onDemand: Object.values(offer.terms?.OnDemand?.[p.sku] ?? {}),
    reserved: Object.values(offer.terms?.Reserved?.[p.sku] ?? {}),
  }));
}

export const azurePageOf = (d: PriceDocument): AzurePage => checked(azurePage, d, 'an Azure Retail Prices API page (Items)');
export const gcpPageOf = (d: PriceDocument): GcpPage => checked(gcpPage, d, 'a Cloud Billing Catalog API page (skus)');

/** GET and parse JSON from a price API; a network failure, an error status or a non-JSON body is the service being unavailable. */
export async function getJson(fetchFn: typeof fetch, url: string, label = url): Promise<unknown> {
  // Query strings may carry an API key: messages show the URL without them.
  const shown = label.replace(/\?.*$/, '');
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (e) {
    throw new CoreError('unavailable', `Could not reach ${shown}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new CoreError('unavailable', `${shown} answered HTTP ${res.status}`);
  try {
    return await res.json();
  } catch {
    throw new CoreError('unavailable', `${shown} did not answer with JSON`);
  }
}
