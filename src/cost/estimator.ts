import type { Provider, ResourceSpec } from '../resources/types.js';
import { breakdownLine, type Component } from './components.js';
import { diffDeployments } from './diff.js';
import { assertPriceable } from './guard.js';
import { hourlyMicros, microsToUsd, type Micros } from './money.js';
import type { PriceBook } from './pricebook.js';
import { bucketComponents } from './pricers/bucket.js';
import { databaseComponents } from './pricers/database.js';
import { vmComponents } from './pricers/vm.js';
import { pricedMachines, type PricedMachine } from './recommend/machines.js';
import { colderClass, databaseAdvice, gp2ToGp3 } from './recommend/other.js';
import type { Recommendation } from './recommend/types.js';
import { commitments, rightsize, sustainedUseNote } from './recommend/vm.js';
import type { CostDiff, DeploymentEstimate, ResourceEstimate } from './types.js';

/** Like Infracost's free-resource registry: priced as free on purpose, never a silent $0. */
const FREE_RESOURCES: Record<string, string> = { vpc_network: 'VPC network', firewall_rule: 'Firewall rule' };

interface Priced {
  components: Component[];
  recommendations: Recommendation[];
  warnings: string[];
}

const sum = (cs: Component[]): Micros => cs.reduce((s, c) => s + ('monthly' in c ? c.monthly : 0), 0);

export class CostEstimator {
  private readonly machineCache = new Map<string, PricedMachine[]>();

  constructor(private readonly book: PriceBook) {}

  estimateResource(provider: Provider, spec: ResourceSpec): ResourceEstimate {
    assertPriceable(spec);
    const priced = this.price(provider, spec);
    if ('unknown' in priced) return this.result(provider, spec, { components: [], recommendations: [], warnings: [] }, priced.unknown);
    const unknown = priced.components.filter((c) => 'unknown' in c).map((c) => `${c.component}: ${'unknown' in c ? c.unknown : ''}`);
    return this.result(provider, spec, priced, unknown.length ? unknown.join('; ') : undefined);
  }

  estimateDeployment(provider: Provider, specs: ResourceSpec[]): DeploymentEstimate {
    const resources = specs.map((s) => this.estimateResource(provider, s));
    const monthly = resources.reduce((s, r) => s + Math.round(r.monthly_usd * 1e6), 0);
    return {
      resources,
      total_hourly_usd: microsToUsd(hourlyMicros(monthly)),
      total_monthly_usd: microsToUsd(monthly),
      complete: resources.every((r) => r.price_unknown === undefined),
    };
  }

  diff(provider: Provider, before: ResourceSpec[], after: ResourceSpec[]): CostDiff {
    return diffDeployments(before, after, this.estimateDeployment(provider, before), this.estimateDeployment(provider, after));
  }

  private price(provider: Provider, spec: ResourceSpec): Priced | { unknown: string } {
    const free = FREE_RESOURCES[spec.type];
    if (free) return { components: [{ component: `${free} (free resource)`, unit: 'month', quantity: 1, unitPrice: 0n, monthly: 0 }], recommendations: [], warnings: [] };
    const file = this.book[provider];
    if (!file) return { unknown: `no price list for provider '${String(provider)}'` };
    const region = file.regions[spec.region];
    if (!region) return { unknown: `no ${provider} prices for region '${spec.region}' in the price data (as of ${file.as_of})` };
    switch (spec.type) {
      case 'compute_vm': {
        const components = vmComponents(provider, file, region, spec);
        const instance = components[0]!;
        if (!('monthly' in instance)) return { components, recommendations: [], warnings: [] };
        const machines = this.machines(provider, spec.region);
        const recommendations = [...rightsize(provider, spec, instance.monthly, machines), ...commitments(provider, region, spec, instance.monthly), ...gp2ToGp3(region, spec)];
        return { components, recommendations, warnings: sustainedUseNote(file, spec, instance.monthly) };
      }
      case 'database': {
        const { components, warnings } = databaseComponents(provider, file, region, spec);
        return { components, warnings, recommendations: databaseAdvice(provider, file, region, spec) };
      }
      case 'storage_bucket':
        return { components: bucketComponents(file, region, spec), recommendations: colderClass(provider, file, region, spec), warnings: [] };
      default:
        return { unknown: `resource type '${(spec as { type: string }).type}' is not priced` };
    }
  }

  private machines(provider: Provider, regionName: string): PricedMachine[] {
    const key = `${provider}/${regionName}`;
    let list = this.machineCache.get(key);
    if (!list) {
      list = pricedMachines(provider, this.book[provider]!.regions[regionName]!);
      this.machineCache.set(key, list);
    }
    return list;
  }

  private result(provider: Provider, spec: ResourceSpec, p: Priced, unknown: string | undefined): ResourceEstimate {
    const monthly = sum(p.components);
    const fictional = this.book[provider]?.fictional ? ['Sandbox prices are fictional.'] : [];
    return {
      name: spec.name,
      provider,
      type: spec.type,
      region: spec.region,
      hourly_usd: microsToUsd(hourlyMicros(monthly)),
      monthly_usd: microsToUsd(monthly),
      breakdown: p.components.map(breakdownLine),
      recommendations: p.recommendations,
      warnings: [...p.warnings, ...fictional],
      ...(unknown ? { price_unknown: unknown } : {}),
    };
  }
}
