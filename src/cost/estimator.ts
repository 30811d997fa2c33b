import { dbTierShape } from '../resources/catalogs/index.js';
import type { ComputeVmSpec, DatabaseSpec, MachineShape, Provider, ResourceSpec, StorageBucketSpec } from '../domain/resources.js';
import { breakdownLine, component, type Component, type Lookup } from './components.js';
import { diffDeployments } from './diff.js';
import { assertPriceable } from './guard.js';
import { hourlyOf, micros, sumMoney } from '../domain/money.js';
import type { Micros, Pico } from './money.js';
import type { PriceBook } from './pricebook.js';
import { bucketComponents } from './pricers/bucket.js';
import { backupWarnings, instanceComponents, storagePrice } from './pricers/database.js';
import { diskComponent, instanceComponent } from './pricers/vm.js';
import { pricedMachines, type PricedMachine } from './recommend/machines.js';
import { colderClass, databaseAdvice, gp2ToGp3 } from './recommend/other.js';
import type { Recommendation } from './recommend/types.js';
import { commitments, rightsize, sustainedUseNote } from './recommend/vm.js';
import type { PriceFile, RegionPrices } from './schema.js';
import type { CostDiff, DeploymentEstimate, ResourceEstimate } from './types.js';

/** Like Infracost's free-resource registry: priced as free on purpose, never a silent $0. */
const FREE_RESOURCES: Record<string, string> = { vpc_network: 'VPC network', firewall_rule: 'Firewall rule' };

interface Priced {
  components: Component[];
  recommendations: Recommendation[];
  warnings: string[];
  /** "component: reason; …" for the components whose price is unknown (or why nothing could be priced). */
  unknown?: string;
}

/** Priced, with the unknown-price summary worked out once (so memoised results carry it). */
function priced(components: Component[], recommendations: Recommendation[], warnings: string[]): Priced {
  let unknown: string | undefined;
  for (const c of components) if ('unknown' in c) unknown = `${unknown === undefined ? '' : `${unknown}; `}${c.component}: ${c.unknown}`;
  return unknown === undefined ? { components, recommendations, warnings } : { components, recommendations, warnings, unknown };
}

/** A resource that cannot be priced at all: no lines, just the reason. */
const unpriced = (reason: string): Priced => ({ components: [], recommendations: [], warnings: [], unknown: reason });

const FREE_PRICED = new Map(
  Object.entries(FREE_RESOURCES).map(([type, label]): [string, Priced] => [type, priced([{ component: `${label} (free resource)`, unit: 'month', quantity: 1, unitPrice: 0n, monthly: 0 }], [], [])]),
);

/** A VM's instance line and the advice that depends only on it (rightsizing, commitments, SUD note). */
interface InstancePart {
  instance: Component;
  recommendations: Recommendation[];
  warnings: string[];
}

/** SKU-level memo tables (machine types, tiers) are small; emptying one when it gets this big only bounds memory. */
const SKU_MEMO_LIMIT = 4096;
/**
 * Whole results depend on sizes too, so they get a much smaller memo: repeated specs (the common case: many
 * identical VMs, standard sizes) hit it, while a stream of all-different sizes keeps few results alive.
 */
const RESULT_MEMO_LIMIT = 64;

type Key = string | number | boolean | null | undefined;
type Level<V> = Map<Key, V>;

/** A pure-result cache keyed by up to three values, as nested Maps: no key string is built per lookup. */
class SkuMemo<V> {
  private root: Level<Level<Level<V>>> = new Map();
  private size = 0;

  get(a: Key, b: Key, c: Key): V | undefined {
    return this.root.get(a)?.get(b)?.get(c);
  }

  set(v: V, a: Key, b: Key, c: Key): V {
    if (this.size >= SKU_MEMO_LIMIT) {
      this.root = new Map();
      this.size = 0;
    }
    child(child(this.root, a), b).set(c, v);
    this.size += 1;
    return v;
  }
}

function child<V>(level: Level<Level<V>>, key: Key): Level<V> {
  let next = level.get(key);
  if (!next) level.set(key, (next = new Map()));
  return next;
}

/** A small string-keyed cache of whole results, emptied when full. */
class ResultMemo {
  private map = new Map<string, Priced>();

  get(key: string): Priced | undefined {
    return this.map.get(key);
  }

  set(key: string, v: Priced): Priced {
    if (this.map.size >= RESULT_MEMO_LIMIT) this.map = new Map();
    this.map.set(key, v);
    return v;
  }
}

/**
 * Per (provider, region) memo of what depends only on the price data and on a SKU-like key — instance lines and
 * their advice per machine type, database instance lines per (engine, tier, HA), storage prices, the priced
 * machine ladder used for rightsizing — plus a small memo of whole results. Never keyed by a resource's name,
 * which is applied per call. The price book is immutable once loaded, so entries never go stale; cached lines
 * and advice are shared, so results are built from copies (breakdown lines and recommendations are new objects).
 */
class RegionMemo {
  readonly instances = new SkuMemo<InstancePart>();
  readonly dbInstances = new SkuMemo<Component[]>();
  readonly dbStorage = new SkuMemo<{ label: string; price: Lookup<Pico> }>();
  readonly dbShapes = new Map<string, MachineShape | undefined>();
  readonly vms = new ResultMemo();
  readonly databases = new ResultMemo();
  readonly buckets = new ResultMemo();
  private ladder: PricedMachine[] | undefined;
  private backups: [string[], string[]] | undefined;

  constructor(
    readonly provider: Provider,
    readonly file: PriceFile,
    readonly region: RegionPrices,
  ) {}

  dbShape(tier: string): MachineShape | undefined {
    if (!this.dbShapes.has(tier)) this.dbShapes.set(tier, dbTierShape(this.provider, tier));
    return this.dbShapes.get(tier);
  }

  backupWarnings(enabled: boolean): string[] {
    this.backups ??= [backupWarnings(this.region, { backups_enabled: false }), backupWarnings(this.region, { backups_enabled: true })];
    return this.backups[enabled ? 1 : 0];
  }

  machines(): PricedMachine[] {
    return (this.ladder ??= pricedMachines(this.provider, this.region));
  }
}

const sum = (cs: Component[]): Micros => {
  let total = 0;
  for (const c of cs) if ('monthly' in c) total += c.monthly;
  return total;
};

export class CostEstimator {
  private readonly memos = new Map<Provider, Map<string, RegionMemo>>();

  constructor(private readonly book: PriceBook) {}

  estimateResource(provider: Provider, spec: ResourceSpec): ResourceEstimate {
    assertPriceable(spec);
    return this.result(provider, spec, this.price(provider, spec));
  }

  estimateDeployment(provider: Provider, specs: ResourceSpec[]): DeploymentEstimate {
    const resources = specs.map((s) => this.estimateResource(provider, s));
    const monthly = sumMoney(resources.map((r) => r.monthly));
    return {
      resources,
      total_hourly: hourlyOf(monthly),
      total_monthly: monthly,
      complete: resources.every((r) => r.price_unknown === undefined),
    };
  }

  diff(provider: Provider, before: ResourceSpec[], after: ResourceSpec[]): CostDiff {
    return diffDeployments(before, after, this.estimateDeployment(provider, before), this.estimateDeployment(provider, after));
  }

  private memo(provider: Provider, file: PriceFile, regionName: string, region: RegionPrices): RegionMemo {
    let byRegion = this.memos.get(provider);
    if (!byRegion) this.memos.set(provider, (byRegion = new Map()));
    let memo = byRegion.get(regionName);
    if (!memo) byRegion.set(regionName, (memo = new RegionMemo(provider, file, region)));
    return memo;
  }

  private price(provider: Provider, spec: ResourceSpec): Priced {
    const free = FREE_PRICED.get(spec.type);
    if (free) return free;
    const file = this.book[provider];
    if (!file) return unpriced(`no price list for provider '${String(provider)}'`);
    const region = file.regions[spec.region];
    if (!region) return unpriced(`no ${provider} prices for region '${spec.region}' in the price data (as of ${file.as_of})`);
    const memo = this.memo(provider, file, spec.region, region);
    switch (spec.type) {
      case 'compute_vm': {
        const key = `${spec.machine_type}\u0000${spec.cpu}\u0000${spec.memory_gb}\u0000${spec.disk_type}\u0000${spec.disk_size_gb}`;
        return memo.vms.get(key) ?? memo.vms.set(key, this.vm(memo, spec));
      }
      case 'database':
        return this.database(memo, spec);
      case 'storage_bucket': {
        const key = `${spec.storage_class}\u0000${spec.replication}\u0000${spec.storage_gb}\u0000${spec.lifecycle_days}`;
        return memo.buckets.get(key) ?? memo.buckets.set(key, this.bucket(memo, spec));
      }
      default:
        return unpriced(`resource type '${(spec as { type: string }).type}' is not priced`);
    }
  }

  /** The instance line and its advice are cached per (machine type, cpu, memory); the disk line is per size. */
  private vm(memo: RegionMemo, spec: ComputeVmSpec): Priced {
    let part = memo.instances.get(spec.machine_type, spec.cpu, spec.memory_gb);
    if (!part) {
      const instance = instanceComponent(memo.provider, memo.region, spec);
      part =
        'monthly' in instance
          ? {
              instance,
              recommendations: [...rightsize(memo.provider, spec, instance.monthly, memo.machines()), ...commitments(memo.provider, memo.region, spec, instance.monthly)],
              warnings: sustainedUseNote(memo.file, spec, instance.monthly),
            }
          : { instance, recommendations: [], warnings: [] };
      memo.instances.set(part, spec.machine_type, spec.cpu, spec.memory_gb);
    }
    const disk = diskComponent(memo.file, memo.region, spec);
    const components = disk ? [part.instance, disk] : [part.instance];
    if (!('monthly' in part.instance)) return priced(components, [], []);
    const disks = gp2ToGp3(memo.region, spec);
    return priced(components, disks.length ? [...part.recommendations, ...disks] : part.recommendations, part.warnings);
  }

  private dbInstance(memo: RegionMemo, spec: DatabaseSpec, ha: boolean): Component[] {
    return (
      memo.dbInstances.get(spec.engine, spec.tier, ha) ??
      memo.dbInstances.set(instanceComponents(memo.provider, memo.file, memo.region, { engine: spec.engine, tier: spec.tier, region: spec.region, high_availability: ha }), spec.engine, spec.tier, ha)
    );
  }

  private dbStorage(memo: RegionMemo, spec: DatabaseSpec, ha: boolean): Component {
    const storage =
      memo.dbStorage.get(spec.engine, ha, undefined) ??
      memo.dbStorage.set(storagePrice(memo.file, memo.region, { engine: spec.engine, region: spec.region, high_availability: ha }), spec.engine, ha, undefined);
    return component(storage.label, 'GB-month', spec.storage_gb, storage.price);
  }

  /** Lines and warnings per (engine, tier, HA, GB, backups); the HA advice per call, as it may name the resource. */
  private database(memo: RegionMemo, spec: DatabaseSpec): Priced {
    const ha = spec.high_availability;
    const key = `${spec.engine}\u0000${spec.tier}\u0000${ha}\u0000${spec.storage_gb}\u0000${spec.backups_enabled}`;
    const base =
      memo.databases.get(key) ??
      memo.databases.set(key, priced([...this.dbInstance(memo, spec, ha), this.dbStorage(memo, spec, ha)], [], memo.backupWarnings(spec.backups_enabled)));
    const advice = databaseAdvice(spec, memo.dbShape(spec.tier), base.components, () => [...this.dbInstance(memo, spec, !ha), this.dbStorage(memo, spec, !ha)]);
    return advice.length ? { ...base, recommendations: advice } : base;
  }

  private bucket(memo: RegionMemo, spec: StorageBucketSpec): Priced {
    return priced(bucketComponents(memo.file, memo.region, spec), colderClass(memo.provider, memo.file, memo.region, spec), []);
  }

  private result(provider: Provider, spec: ResourceSpec, p: Priced): ResourceEstimate {
    const monthly = micros(sum(p.components));
    const estimate: ResourceEstimate = {
      name: spec.name,
      provider,
      type: spec.type,
      region: spec.region,
      hourly: hourlyOf(monthly),
      monthly,
      breakdown: p.components.map(breakdownLine),
      // Copies: memoised advice is shared between estimates and must not be mutated through one of them.
      recommendations: p.recommendations.map((r) => ({ message: r.message, monthly_savings: r.monthly_savings })),
      warnings: this.book[provider]?.fictional ? [...p.warnings, 'Sandbox prices are fictional.'] : [...p.warnings],
    };
    if (p.unknown !== undefined) estimate.price_unknown = p.unknown;
    return estimate;
  }
}
