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
  warnings: string[];
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

