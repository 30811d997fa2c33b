import type { StorageBucketSpec } from '../../domain/resources.js';
import { tieredMonthly, type Component } from '../components.js';
import { parsePrice } from '../money.js';
import type { PriceFile, RegionPrices } from '../schema.js';

/** The price-file key of a bucket's class: Azure prices depend on redundancy too (Hot_LRS, Cool_GRS…). */
export const storageKey = (file: PriceFile, spec: Pick<StorageBucketSpec, 'storage_class' | 'replication'>, storageClass = spec.storage_class) =>
  file.provider === 'azure' ? `${storageClass}_${spec.replication ?? 'LRS'}` : storageClass;

export function bucketComponents(file: PriceFile, region: RegionPrices, spec: StorageBucketSpec): Component[] {
  const key = storageKey(file, spec);
  const entry = region.storage?.[key];
  const name = `Storage (${key.replace('_', ' ')})`;
  if (!entry) return [{ component: name, unit: 'GB-month', quantity: spec.storage_gb, unknown: `no price for storage class ${key} in ${spec.region}` }];
  return [{ component: name, unit: 'GB-month', quantity: spec.storage_gb, unitPrice: parsePrice(entry.tiers[0]!.gb_month), monthly: tieredMonthly(entry.tiers, spec.storage_gb) }];
}
