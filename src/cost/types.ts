import type { Money } from '../domain/money.js';
import type { Provider } from '../domain/resources.js';
import type { Unit } from './components.js';
import type { Recommendation } from './recommend/types.js';

/** One resource's cost: amounts in Money; `unit_price_usd` is a rate as the price list gives it (sub-micro-dollar). */
export interface ResourceEstimate {
  name: string;
  provider: Provider;
  type: string;
  region: string;
  hourly: Money;
  monthly: Money;
  breakdown: Array<{ component: string; unit: Unit; quantity: number; unit_price_usd: number; monthly: Money }>;
  recommendations: Recommendation[];
  warnings: string[];
  price_unknown?: string;
}

export interface DeploymentEstimate {
  resources: ResourceEstimate[];
  total_hourly: Money;
  total_monthly: Money;
  complete: boolean;
}

export type ChangeKind = 'added' | 'changed' | 'removed' | 'unchanged';

export interface CostDiffLine {
  name: string;
  type: string;
  change: ChangeKind;
  before_monthly: Money;
  after_monthly: Money;
  delta_monthly: Money;
  price_unknown?: string;
}

/** Infracost-style: the monthly run-rate before → after, per resource. */
export interface CostDiff {
  before_monthly: Money;
  after_monthly: Money;
  delta_monthly: Money;
  complete: boolean;
  resources: CostDiffLine[];
}
