/**
 * The one document every policy reads (README "Policy"): the session, the cost, one item per resource
 * the plan touches, and the plan itself. Snake case and every key always present, so a rule reads
 * `input.cost.budget_usd == null` instead of guarding with has().
 */
import { toUsd, type Money } from '../domain/money.js';
import type { ResourceSpec } from '../domain/resources.js';
import { parseCidr, type Cidr } from '../resources/cidr.js';
import { canonicalJson } from '../terraform/planDrift.js';
import { readPlanJson } from '../terraform/planJson.js';
import { policyChanges, type JsonValue, type PlanChange } from './planView.js';

export const ITEM_ACTIONS = ['create', 'update', 'replace', 'delete', 'no-op'] as const;
export type ItemAction = (typeof ITEM_ACTIONS)[number];

/** A span of ports a firewall rule covers, both ends included. */
export type PortRange = { from: number; to: number };

/** A spec as policies see it: its fields, with the optional ones every rule may read filled in. */
export type SpecView = { [key: string]: JsonValue } & { type: string; name: string; labels: Record<string, string> };

/** One resource of the plan: the spec's fields, and what is about to happen to it. */
export type ResourceItem = SpecView & {
  action: ItemAction;
  /** The Terraform resources that make up this spec. */
  addresses: string[];
  /** Holds data that does not come back when it is destroyed: a database or a storage bucket. */
  stateful: boolean;
  /** A firewall rule letting traffic in from anywhere (0.0.0.0/0 however written, ranges covering it, or ::/0). */
  world_open: boolean;
  /** A firewall rule's ports as ranges (0–65535 for protocol all or no ports; none for icmp); empty on other types. */
  port_ranges: PortRange[];
  /** The spec as the project has it deployed now, or null when it is new. */
  before: SpecView | null;
};

export interface PolicySession {
  id: string;
  /** The project's name. */
  project: string;
  author_id: string;
  author_name: string;
  provider: string;
  production: boolean;
}

export interface PolicyCost {
  before_monthly_usd: number;
  after_monthly_usd: number;
  delta_monthly_usd: number;
  budget_usd: number | null;
  threshold_usd: number;
}

export interface PolicyInput {
  session: PolicySession;
  cost: PolicyCost;
  resources: ResourceItem[];
  plan: { terraform_version: string | null; resource_changes: PlanChange[] };
}

export interface PolicyInputArgs {
  /** `terraform show -json <planfile>` output. */
  planJson: string;
  session: PolicySession;
  /** The session's specs. */
  specs: ResourceSpec[];
  /** What the project has deployed now. */
  deployed: ResourceSpec[];
  cost: { before_monthly_micros: Money; after_monthly_micros: Money; budget_micros: Money | null; threshold_micros: Money };
  /**
   * The plan is refresh-only (an Adopt on a cloud): Terraform changes nothing, yet its apply commits `specs`
   * as the configuration, so a spec that differs from the deployed one is `update` to the rules and tiers.
   */
  refreshOnly?: boolean;
}

const STATEFUL = new Set(['database', 'storage_bucket']);
const IPV6_ANYWHERE = '::/0';
const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** The spec's fields with `labels` (and a bucket's `public_access`) present whether or not the spec set them. */
function specView(spec: ResourceSpec): SpecView {
  const loose = spec as unknown as { [key: string]: JsonValue | undefined };
  const fields = Object.fromEntries(Object.entries(loose).filter(([, v]) => v !== undefined)) as { [key: string]: JsonValue };
  const labels = (loose.labels ?? {}) as Record<string, string>;
  return { ...fields, ...(spec.type === 'storage_bucket' ? { public_access: loose.public_access ?? false } : {}), type: spec.type, name: spec.name, labels };
}

function portRanges(spec: ResourceSpec): PortRange[] {
  if (spec.type !== 'firewall_rule' || spec.protocol === 'icmp') return [];
  if (spec.protocol === 'all' || spec.ports.length === 0) return [ALL_PORTS];
  return spec.ports.map((p) => {
    const [from, to = from] = p.split('-').map(Number) as [number, number?];
    return { from, to };
  });
}

const IPV4_ADDRESSES = 2 ** 32;

/**
 * Ingress from every address: `::/0`, or IPv4 ranges that together cover them all — 0.0.0.0/0 however it
 * is spelt (`0.0.0.0/00` passes validation) and halves such as 0.0.0.0/1 with 128.0.0.0/1.
 */
function worldOpen(spec: ResourceSpec): boolean {
  if (spec.type !== 'firewall_rule' || spec.direction !== 'ingress') return false;
  if (spec.source_ranges.includes(IPV6_ANYWHERE)) return true;
  const ranges = spec.source_ranges.map(parseCidr).filter((c): c is Cidr => typeof c !== 'string').sort((a, b) => a.start - b.start);
  let covered = 0;
  for (const r of ranges) {
    if (r.start > covered) return false;
    covered = Math.max(covered, r.start + r.size);
  }
  return covered >= IPV4_ADDRESSES;
}

/**
 * What happens to a spec, from its Terraform resources' actions: a delete and a create anywhere among
 * them is a replacement; creates alone are a creation only when none of its resources already exists.
 */
function actionOf(changes: PlanChange[]): ItemAction {
  const acts = new Set(changes.flatMap((c) => c.actions));
  if (acts.has('delete') && acts.has('create')) return 'replace';
  if (acts.has('update')) return 'update';
  if (acts.has('delete') && !acts.has('no-op')) return 'delete';
  if (acts.has('create')) return acts.has('no-op') ? 'update' : 'create';
  return acts.has('delete') ? 'update' : 'no-op';
}

/**
 * Terraform resources no spec owns, whatever it is named: Azure's resource group (labelled `main`) and the
 * objects of a provider's default network (`default_<region>…`; a firewall rule named default has parts
 * `default_<n>`, and no VPC may be named default). A database named main or default is not them.
 */
const shared = (c: PlanChange) => c.type === 'azurerm_resource_group' || /^default_[a-z]/.test(c.name);

/** A spec's Terraform resources: labelled with its name, or with its name, `_` and a part (spec names never hold `_`). */
const belongsTo = (name: string) => (c: PlanChange) => !shared(c) && (c.name === name || c.name.startsWith(`${name}_`));

function itemsFrom(changes: PlanChange[], specs: ResourceSpec[], deployed: ResourceSpec[], refreshOnly = false): ResourceItem[] {
  const before = new Map(deployed.map((s) => [s.name, s]));
  const kept = new Set(specs.map((s) => s.name));
  const item = (spec: ResourceSpec, removed: boolean): ResourceItem => {
    const own = changes.filter(belongsTo(spec.name));
    const derived = actionOf(own);
    const prior = before.get(spec.name);
    const committed = refreshOnly && !removed && derived === 'no-op' && prior !== undefined && canonicalJson(spec) !== canonicalJson(prior);
    return {
      ...specView(spec),
      action: removed && derived === 'no-op' ? 'delete' : committed ? 'update' : derived,
      addresses: own.map((c) => c.address),
      stateful: STATEFUL.has(spec.type),
      world_open: worldOpen(spec),
      port_ranges: portRanges(spec),
      before: prior ? specView(prior) : null,
    };
  };
  return [...specs.map((s) => item(s, false)), ...deployed.filter((s) => !kept.has(s.name)).map((s) => item(s, true))];
}

/** The resource items alone (what risk tiers are computed from), for a caller that needs no policy document. */
export function resourceItems(args: Pick<PolicyInputArgs, 'planJson' | 'specs' | 'deployed'>): ResourceItem[] {
  return itemsFrom(policyChanges(readPlanJson(args.planJson)), args.specs, args.deployed);
}

export function buildPolicyInput(args: PolicyInputArgs): PolicyInput {
  const plan = readPlanJson(args.planJson);
  const changes = policyChanges(plan);
  const { before_monthly_micros: before, after_monthly_micros: after, budget_micros: budget, threshold_micros: threshold } = args.cost;
  return {
    session: { ...args.session },
    cost: {
      before_monthly_usd: toUsd(before),
      after_monthly_usd: toUsd(after),
      delta_monthly_usd: toUsd((after - before) as Money),
      budget_usd: budget === null ? null : toUsd(budget),
      threshold_usd: toUsd(threshold),
    },
    resources: itemsFrom(changes, args.specs, args.deployed, args.refreshOnly),
    plan: { terraform_version: plan.terraform_version ?? null, resource_changes: changes },
  };
}
