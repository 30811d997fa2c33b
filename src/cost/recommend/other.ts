import { CATALOGS, dbTierShape } from '../../resources/catalogs/index.js';
import type { ComputeVmSpec, DatabaseSpec, Provider, StorageBucketSpec } from '../../resources/types.js';
import type { Component } from '../components.js';
import { formatUsd, microsToUsd, parsePrice, times, toMicros, type Micros } from '../money.js';
import { databaseComponents } from '../pricers/database.js';
import { storageKey } from '../pricers/bucket.js';
import { tieredMonthly } from '../components.js';
import type { PriceFile, RegionPrices } from '../schema.js';
import type { Recommendation } from './types.js';

const BURSTABLE_FAMILIES = new Set(['shared', 'Burstable', 't3', 't4g']);
const PROD_NAME = /(^|-)(prod|production|prd|live)(-|$)/;
const known = (cs: Component[]): Micros | undefined => (cs.every((c) => !('unknown' in c)) ? cs.reduce((s, c) => s + ('monthly' in c ? c.monthly : 0), 0) : undefined);

/**
 * HA advice only where the spec warrants it: HA on a shared-core/burstable tier (no production SLA, so the HA
 * premium buys little), or a production-named dedicated tier of 2+ vCPUs without HA (the added cost is shown
 * as a negative saving).
 */
export function databaseAdvice(provider: Provider, file: PriceFile, region: RegionPrices, spec: DatabaseSpec): Recommendation[] {
  const shape = dbTierShape(provider, spec.tier);
  if (!shape) return [];
  const burstable = BURSTABLE_FAMILIES.has(shape.family);
  const other = known(databaseComponents(provider, file, region, { ...spec, high_availability: !spec.high_availability }).components);
  const self = known(databaseComponents(provider, file, region, spec).components);
  if (other === undefined || self === undefined) return [];
  if (spec.high_availability && burstable) {
    const saving = self - other;
    return [{ message: `High availability on the shared-core/burstable tier ${spec.tier} costs ${formatUsd(microsToUsd(saving))}/month extra for a tier with no production SLA: drop HA for dev/test, or move production to a dedicated tier.`, monthly_savings_usd: microsToUsd(saving) }];
  }
  if (!spec.high_availability && !burstable && shape.vcpu >= 2 && PROD_NAME.test(spec.name)) {
    const extra = other - self;
    return [{ message: `${spec.name} looks like production but has no high availability: enabling it would add ${formatUsd(microsToUsd(extra))}/month and survive a zone failure.`, monthly_savings_usd: -microsToUsd(extra) }];
  }
  return [];
}

/** With a lifecycle rule, older objects can live in the next colder class the data prices. */
export function colderClass(provider: Provider, file: PriceFile, region: RegionPrices, spec: StorageBucketSpec): Recommendation[] {
  if (spec.lifecycle_days === null || spec.storage_gb <= 0) return [];
  const classes = CATALOGS[provider].storageClasses;
  const current = region.storage?.[storageKey(file, spec)];
  if (!current) return [];
  for (const colder of classes.slice(classes.indexOf(spec.storage_class) + 1)) {
    const entry = region.storage?.[storageKey(file, spec, colder)];
    if (!entry) continue;
    const saving = tieredMonthly(current.tiers, spec.storage_gb) - tieredMonthly(entry.tiers, spec.storage_gb);
    if (saving <= 0) return [];
    return [{ message: `Your lifecycle rule moves data after ${spec.lifecycle_days} days: objects kept in ${colder} cost $${entry.tiers[0]!.gb_month}/GB-month instead of $${current.tiers[0]!.gb_month}, up to ${formatUsd(microsToUsd(saving))}/month for ${spec.storage_gb} GB (retrieval fees apply).`, monthly_savings_usd: microsToUsd(saving) }];
  }
  return [];
}

/** gp3 is cheaper per GB than gp2 with at least the same baseline performance. */
export function gp2ToGp3(region: RegionPrices, spec: ComputeVmSpec): Recommendation[] {
  const gp2 = region.disks?.gp2?.gb_month;
  const gp3 = region.disks?.gp3?.gb_month;
  if (spec.disk_type !== 'gp2' || !gp2 || !gp3 || spec.disk_size_gb <= 0) return [];
  const saving = toMicros(times(parsePrice(gp2), spec.disk_size_gb) - times(parsePrice(gp3), spec.disk_size_gb));
  if (saving <= 0) return [];
  return [{ message: `Switch the ${spec.disk_size_gb} GB boot disk from gp2 to gp3 ($${gp3} vs $${gp2}/GB-month) to save ${formatUsd(microsToUsd(saving))}/month.`, monthly_savings_usd: microsToUsd(saving) }];
}
