/** The run queue as the core sees it: nothing here names PostgreSQL or pg-boss (src/db implements it). */
/** An approved apply waiting for a worker (RUN_QUEUE=workers). */
export interface QueuedApply {
  kind: 'apply';
  deploymentId: string;
  sessionId: string;
  actorName: string;
}

/** A plan waiting for a worker, with who asked for it (the plan's audit rows name them). */
export interface QueuedPlan {
  kind: 'plan';
  planId: string;
  sessionId: string;
  actor: { userId: string; userName: string; guildId: string; isGuildAdmin: boolean; operator?: boolean };
}

export type QueuedRun = QueuedApply | QueuedPlan;

/** The durable queue applies wait on for a `cloud-engine worker` process, on this machine or any other. */
export interface RunQueue {
  /** Called inside the transaction that starts the run (approval, plan): the job exists exactly when it committed. */
  enqueue(job: QueuedRun): Promise<void>;
  /** How long a run may wait for a worker before recovery ends it (an apply interrupted, a plan failed), never run. */
  readonly waitMs: number;
  health(): Promise<QueueHealth>;
}

export interface QueueHealth {
  /** Plans and approved applies not yet taken by a worker. */
  waiting: number;
  /** When the oldest of them was queued. */
  oldestWaitingSince: string | null;
}

/** The queue as a worker process holds it. */
export interface WorkerQueue extends RunQueue {
  /** Takes jobs, `concurrency` at a time, each handed to `run`. */
  work(concurrency: number, run: (job: QueuedRun) => Promise<unknown>): Promise<void>;
  /** Stops taking jobs; the ones in hand go on. */
  stopTaking(): Promise<void>;
  close(): Promise<void>;
}
