import { CATALOGS } from '../../resources/catalogs/index.js';
import type { ComputeVmSpec, DatabaseSpec, MachineShape, Provider, StorageBucketSpec } from '../../domain/resources.js';
import type { Component } from '../components.js';
import { formatUsd, micros } from '../../domain/money.js';
import { amountMicros, parsePrice, times, toMicros, type Micros } from '../money.js';
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
 * as a negative saving). `shape` is the tier's catalog shape, `self` the spec's own components (already priced
 * by the caller); `flipped` prices the same spec with HA toggled and is called only when a condition holds.
 */
export function databaseAdvice(spec: DatabaseSpec, shape: MachineShape | undefined, self: Component[], flipped: () => Component[]): Recommendation[] {
  if (!shape) return [];
  const burstable = BURSTABLE_FAMILIES.has(shape.family);
  const haOnBurstable = spec.high_availability && burstable;
  const prodWithoutHa = !spec.high_availability && !burstable && shape.vcpu >= 2 && PROD_NAME.test(spec.name);
  if (!haOnBurstable && !prodWithoutHa) return [];
  const mine = known(self);
  if (mine === undefined) return [];
  const other = known(flipped());
  if (other === undefined) return [];
  if (haOnBurstable) {
    const saving = mine - other;
    return [{ message: `High availability on the shared-core/burstable tier ${spec.tier} costs ${formatUsd(micros(saving))}/month extra for a tier with no production SLA: drop HA for dev/test, or move production to a dedicated tier.`, monthly_savings: micros(saving) }];
  }
  const extra = other - mine;
  return [{ message: `${spec.name} looks like production but has no high availability: enabling it would add ${formatUsd(micros(extra))}/month and survive a zone failure.`, monthly_savings: micros(-extra) }];
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
    return [{ message: `Your lifecycle rule moves data after ${spec.lifecycle_days} days: objects kept in ${colder} cost $${entry.tiers[0]!.gb_month}/GB-month instead of $${current.tiers[0]!.gb_month}, up to ${formatUsd(micros(saving))}/month for ${spec.storage_gb} GB (retrieval fees apply).`, monthly_savings: micros(saving) }];
  }
  return [];
}

/** gp3 is cheaper per GB than gp2 with at least the same baseline performance. */
export function gp2ToGp3(region: RegionPrices, spec: ComputeVmSpec): Recommendation[] {
  const gp2 = region.disks?.gp2?.gb_month;
  const gp3 = region.disks?.gp3?.gb_month;
  if (spec.disk_type !== 'gp2' || !gp2 || !gp3 || spec.disk_size_gb <= 0) return [];
  const p2 = parsePrice(gp2);
  const p3 = parsePrice(gp3);
  // For a whole number of GB, times(p2, n) - times(p3, n) is exactly (p2 - p3) × n: the integer fast path applies.
  const saving = p2 > p3 && Number.isInteger(spec.disk_size_gb) ? amountMicros(p2 - p3, spec.disk_size_gb) : toMicros(times(p2, spec.disk_size_gb) - times(p3, spec.disk_size_gb));
  if (saving <= 0) return [];
  return [{ message: `Switch the ${spec.disk_size_gb} GB boot disk from gp2 to gp3 ($${gp3} vs $${gp2}/GB-month) to save ${formatUsd(micros(saving))}/month.`, monthly_savings: micros(saving) }];
}
