/** The run queue as the core sees it: nothing here names PostgreSQL or pg-boss (src/db implements it). */
/** An approved apply waiting for a worker (RUN_QUEUE=workers). */
export interface QueuedApply {
  deploymentId: string;
  sessionId: string;
  actorName: string;
}

/** The durable queue applies wait on for a `cloud-engine worker` process, on this machine or any other. */
export interface RunQueue {
  /** Called inside the approval's transaction: the job exists exactly when the approval committed. */
  enqueueApply(job: QueuedApply): Promise<void>;
  /** How long an approved apply may wait for a worker before recovery ends it, interrupted, never run. */
  readonly waitMs: number;
  health(): Promise<QueueHealth>;
}

export interface QueueHealth {
  /** Applies approved and not yet taken by a worker. */
  waiting: number;
  /** When the oldest of them was approved. */
  oldestWaitingSince: string | null;
}

/** The queue as a worker process holds it. */
export interface WorkerQueue extends RunQueue {
  /** Takes jobs, `concurrency` at a time, each handed to `run`. */
  work(concurrency: number, run: (job: QueuedApply) => Promise<unknown>): Promise<void>;
  /** Stops taking jobs; the ones in hand go on. */
  stopTaking(): Promise<void>;
  close(): Promise<void>;
}
