import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError } from '../domain/errors.js';
import type { Provider } from '../domain/resources.js';
import { priceFileSchema, type PriceFile, type RegionPrices } from './schema.js';

export type PriceBook = Partial<Record<Provider, PriceFile>>;

/** Parses one price file's text; a bad file is a CoreError naming the file and each bad field. */
export function parsePriceFile(text: string, file: string): PriceFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CoreError('validation', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = priceFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CoreError('validation', `${file} is not a valid price file`, problems);
  }
  return parsed.data;
}

/** Loads every <provider>.json in dir. A provider without a file simply has no prices ("price unknown"). */
export function loadPriceBook(dir: string): PriceBook {
  const book: PriceBook = {};
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    throw new CoreError('validation', `pricing directory ${dir} cannot be read`);
  }
  for (const name of names.sort()) {
    const file = join(dir, name);
    const prices = parsePriceFile(readFileSync(file, 'utf8'), file);
    if (`${prices.provider}.json` !== name) throw new CoreError('validation', `${file}: provider is '${prices.provider}' but the file name says '${name}'`);
    book[prices.provider] = prices;
  }
  return book;
}

export const regionPrices = (book: PriceBook, provider: Provider, region: string): RegionPrices | undefined => book[provider]?.regions[region];
