import { RESOURCE_TYPES, type Provider, type ResourceSpec } from '../domain/resources.js';
import { toCell } from './cells.js';
import { columnsFor } from './columns.js';
import { writeCsv } from './csv.js';

/**
 * The configuration as CSV: type, provider, then every field the provider's types have; a row
 * leaves the fields of other types blank. Values are validated specs (names, regions, CIDRs…),
 * none of which can start with = + - @, so no cell can be mistaken for a formula when opened.
 */
export function exportCsv(specs: ResourceSpec[], provider: Provider): Buffer {
  const fields = [...new Set(RESOURCE_TYPES.flatMap((t) => columnsFor(provider, t).map((c) => c.field)))];
  const rows = specs.map((spec) => [spec.type, provider, ...fields.map((f) => String(toCell(spec, f) ?? ''))]);
  return Buffer.from(writeCsv([['type', 'provider', ...fields], ...rows]), 'utf8');
}
