import type { Money } from './money.js';

/** Why a reviewed plan can no longer be approved as it is: the only way forward is a new plan. */
export type Staleness =
  | { why: 'not_succeeded' }
  | { why: 'config_changed' }
  | { why: 'state_moved'; plannedSerial: number | null; serial: number | null }
  | { why: 'plan_file' };

export type PlanStatus = 'running' | 'succeeded' | 'failed' | 'applied' | 'superseded';

export interface ResourceChange {
  address: string;
  type: string;
  name: string;
  actions: string[];
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
