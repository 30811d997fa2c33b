import type { Money } from './money.js';
import type { PolicyVerdict } from './policy.js';

/** Why a reviewed plan can no longer be approved as it is: the only way forward is a new plan. */
export type Staleness =
  | { why: 'not_succeeded' }
  | { why: 'config_changed' }
  | { why: 'state_moved'; plannedSerial: number | null; serial: number | null }
  | { why: 'plan_file' }
  /** The project's policy pack changed since the plan was checked. */
  | { why: 'policy_changed' };

export type PlanStatus = 'running' | 'succeeded' | 'failed' | 'applied' | 'superseded';

/**
 * A value in a plan as a reviewer may see it: its JSON (cut to a bound), hidden because Terraform marks it
 * sensitive, or not known until the apply.
 */
export type PlanValue = { kind: 'value'; json: string } | { kind: 'sensitive' } | { kind: 'unknown' };

/** One attribute an update or a replacement changes, by its path (`input.storage_gb`). */
export interface AttributeChange {
  path: string;
  /** Absent when the value after is not known: Terraform's before of a recomputed attribute may repeat values it did not mark sensitive. */
  before?: PlanValue;
  after: PlanValue;
  /** Terraform must replace the resource because this attribute changes. */
  forcesReplacement?: boolean;
}

export interface ResourceChange {
  address: string;
  type: string;
  name: string;
  actions: string[];
  /** For updates and replacements: the attributes that change, the first ones only; `moreAttributes` counts the rest. */
  attributes?: AttributeChange[];
  moreAttributes?: number;
}

export interface PlanRecord {
  id: string;
  sessionId: string;
  status: PlanStatus;
  configHash: string;
  stateSerial: number | null;
  stateChecksum: string | null;
  planFileHash: string | null;
  toAdd: number;
  toChange: number;
  toDestroy: number;
  changes: ResourceChange[];
  /** The cost diff and budget verdict computed for this plan, as JSON. */
  cost: unknown;
  warnings: PlanWarning[];
  output: string;
  error: string | null;
  budgetOverrideBy: string | null;
  createdAt: string;
  /** What policy said about a succeeded plan and the tier it is in; null for a failed plan or one made before policy. */
  policy: PolicyVerdict | null;
}

/** A plan found in a project: enough to name it and to say whether policy can be tested against it. */
export interface PlanRef {
  id: string;
  sessionId: string;
  status: PlanStatus;
  createdAt: string;
  /** Whether it kept the input document its policies read (plans checked before policy did not). */
  hasPolicyInput: boolean;
}

/** What apply needs from a plan besides its record: the saved plan file and the provider lock file. */
export interface PlanArtifact {
  planBytes: Buffer;
  lockFile: string | null;
}

/**
 * What a reviewer should know about a plan, as a code and its figures (money in micro-dollars); each
 * adapter words it. `resource` warnings and recommendations carry the cost engine's own sentence;
 * `legacy` is a warning stored as text by an earlier version.
 */
export type PlanWarning =
  | { kind: 'over_budget'; projectedMicros: Money; limitMicros: Money; overageMicros: Money }
  | { kind: 'alert_crossed'; projectedMicros: Money; thresholdMicros: Money }
  | { kind: 'prices_unknown' }
  | { kind: 'quota'; problem: string }
  | { kind: 'recommendation'; resource: string; message: string }
  | { kind: 'resource'; resource: string; message: string }
  | { kind: 'legacy'; text: string };
