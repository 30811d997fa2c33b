import type { Provider } from '../domain/resources.js';
import type { Unit } from './components.js';
import type { Recommendation } from './recommend/types.js';

/** The CLI/JSON contract for one resource. */
export interface ResourceEstimate {
  name: string;
  provider: Provider;
  type: string;
  region: string;
  hourly_usd: number;
  monthly_usd: number;
  breakdown: Array<{ component: string; unit: Unit; quantity: number; unit_price_usd: number; monthly_usd: number }>;
  recommendations: Recommendation[];
  warnings: string[];
  price_unknown?: string;
}

export interface DeploymentEstimate {
  resources: ResourceEstimate[];
  total_hourly_usd: number;
  total_monthly_usd: number;
  complete: boolean;
}

export type ChangeKind = 'added' | 'changed' | 'removed' | 'unchanged';

export interface CostDiffLine {
  name: string;
  type: string;
  change: ChangeKind;
  before_monthly_usd: number;
  after_monthly_usd: number;
  delta_monthly_usd: number;
  price_unknown?: string;
}

/** Infracost-style: the monthly run-rate before → after, per resource. */
export interface CostDiff {
  before_monthly_usd: number;
  after_monthly_usd: number;
  delta_monthly_usd: number;
  complete: boolean;
  resources: CostDiffLine[];
}
