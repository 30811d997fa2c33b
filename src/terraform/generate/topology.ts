/**
 * How specs relate inside one configuration, the same for every cloud: which subnet a VM lands
 * in, and which network each firewall rule guards. Pure lookups over the ordered specs.
 */
import { CATALOGS } from '../../resources/catalogs/index.js';
import type { ComputeVmSpec, FirewallRuleSpec, Provider, ResourceSpec, ResourceType, SpecOf, StorageBucketSpec, Subnet, VpcNetworkSpec } from '../../domain/resources.js';
import { DEFAULT_NETWORK } from '../../domain/resources.js';

export const ofType = <T extends ResourceType>(specs: ResourceSpec[], type: T): Array<SpecOf<T>> =>
  specs.filter((s): s is SpecOf<T> => s.type === type);

/** The provider block's default region: the first spec's, so a config with one region names it once. */
export const primaryRegion = (specs: ResourceSpec[], fallback: string): string => specs[0]?.region ?? fallback;

export interface Placement {
  vpc: VpcNetworkSpec;
  subnet: Subnet;
}

/**
 * A VM joins the first subnet of the first vpc_network in its region; with none there it stays
 * on the provider's default network. Specs name no subnet for a VM, so this is the one rule.
 */
export function vmPlacement(specs: ResourceSpec[], vm: ComputeVmSpec): Placement | undefined {
  const vpc = ofType(specs, 'vpc_network').find((v) => v.region === vm.region && v.subnets.length > 0);
  return vpc ? { vpc, subnet: vpc.subnets[0]! } : undefined;
}

export interface RuleGroup {
  /** The vpc_network guarded, or undefined for the provider's default network in `region`. */
  vpc: VpcNetworkSpec | undefined;
  region: string;
  rules: FirewallRuleSpec[];
}

/** The vpc_network a rule guards, or undefined for "default"; any other name is a bug upstream. */
export function ruleNetwork(specs: ResourceSpec[], rule: FirewallRuleSpec): VpcNetworkSpec | undefined {
  if (rule.network === DEFAULT_NETWORK) return undefined;
  const vpc = ofType(specs, 'vpc_network').find((v) => v.name === rule.network);
  if (!vpc) throw new Error(`firewall_rule ${rule.name}: network ${JSON.stringify(rule.network)} is not in the configuration`);
  return vpc;
}

/** Firewall rules grouped by the network they guard, in order of first appearance. */
export function ruleGroups(specs: ResourceSpec[]): RuleGroup[] {
  const groups: RuleGroup[] = [];
  for (const rule of ofType(specs, 'firewall_rule')) {
    const vpc = ruleNetwork(specs, rule);
    const region = vpc ? vpc.region : rule.region;
    const group = groups.find((g) => g.vpc === vpc && g.region === region);
    if (group) group.rules.push(rule);
    else groups.push({ vpc, region, rules: [rule] });
  }
  return groups;
}

/** The rule group guarding the network a VM is on, if any. */
export function vmRuleGroup(groups: RuleGroup[], vm: ComputeVmSpec, placement: Placement | undefined): RuleGroup | undefined {
  return groups.find((g) => (placement ? g.vpc === placement.vpc : g.vpc === undefined && g.region === vm.region));
}

/** The bucket's storage class, which lifecycle rules key on; one outside the catalog is a bug upstream. */
export function storageClass(provider: Provider, bucket: StorageBucketSpec): string {
  if (!CATALOGS[provider].storageClasses.includes(bucket.storage_class)) {
    throw new Error(`storage_bucket ${bucket.name}: storage class ${JSON.stringify(bucket.storage_class)} is not in the ${provider} catalog`);
  }
  return bucket.storage_class;
}
