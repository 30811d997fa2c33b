import type { ProjectKey } from './projects.js';
import type { Money } from './money.js';

/** The process running Terraform under a lease: host, pid and the pid's start time (pids are reused). */
export interface LeaseOwner {
  host: string;
  pid: number;
  started: string;
}

/**
 * A held project lock. `fence` grows with every new holder or run, so a write checked against it
 * fails for anyone who lost the lease. `owner` is set only while a run (plan or apply) is live.
 */
export interface Lock {
  projectId: ProjectKey;
  sessionId: string;
  userId: string;
  acquiredAt: string;
  fence: number;
  owner: LeaseOwner | null;
  runPid: number | null;
  /** Where the live run works (its Terraform writes the state there). */
  runDir: string | null;
  heartbeatAt: string | null;
  expiresAt: string;
  cancelRequestedBy: string | null;
}

export interface LeaseRequest {
  projectId: ProjectKey;
  sessionId: string;
  userId: string;
  owner: LeaseOwner;
  now: string;
  expiresAt: string;
}

export type DeploymentStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface Deployment {
  id: string;
  projectId: ProjectKey;
  sessionId: string;
  planId: string;
  /** Whoever approved it (its author is the session's user). */
  userId: string;
  /** The approver's name as it was at approval; null for deployments approved before names were kept. */
  approverName: string | null;
  status: DeploymentStatus;
  resourcesCount: number;
  toAdd: number;
  toChange: number;
  toDestroy: number;
  resourceTypes: string[];
  monthlyCostMicros: Money | null;
  stateSerial: number | null;
  commitHash: string | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** The fencing token the apply runs under (null for deployments recorded before leases). */
  fence: number | null;
  /** Terraform's exit code, recorded the moment it exits (null while it runs or when its end was not seen). */
  terraformExit: number | null;
  /** When Terraform started applying: queue latency is this minus `startedAt` (the approval). */
  terraformStartedAt?: string | null;
}

/** The lease owner of an approved apply that waits on the run queue for a worker: no process, no host of ours. */
export const QUEUE_HOST = 'run-queue';
export const queuedOwner = (deploymentId: string): LeaseOwner => ({ host: QUEUE_HOST, pid: 0, started: deploymentId });

/** The relay of one apply's lines into its thread, as far as it got. */
export interface Relay {
  deploymentId: string;
  sessionId: string;
  threadId: string;
  owner: string;
  expiresAt: string;
  /** Every line up to this sequence number is on the board, and every error among them posted. */
  postedSeq: number;
  done: boolean;
}

/** A `cloud-engine worker` process as it reports itself. */
export interface WorkerBeat {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  heartbeatAt: string;
  concurrency: number;
  running: number;
  stopping: boolean;
}

export interface StateVersion {
  id: number;
  projectId: ProjectKey;
  sessionId: string | null;
  serial: number;
  lineage: string;
  checksum: string;
  stateJson: string;
  createdAt: string;
  /** The key the body is sealed with at rest; null when it is stored in clear. */
  keyId: string | null;
}


/** A drift check holds a project's lease under a run id of its own, not a session's: marked so a refusal can say so. */
const DRIFT_RUN_PREFIX = 'drift-';
export const driftRunId = (id: string): string => `${DRIFT_RUN_PREFIX}${id}`;
export const isDriftRun = (lockSessionId: string): boolean => lockSessionId.startsWith(DRIFT_RUN_PREFIX);
