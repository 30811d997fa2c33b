import type { CoreDeps } from './deps.js';
import { LeaseKeeper } from './leases.js';
import type { ProjectKey } from '../domain/projects.js';

/** A plan or apply this process is running: cancel and shutdown reach it here, other processes through its lease. */
export interface LocalRun {
  sessionId: string;
  kind: 'plan' | 'apply';
  cancel(): void;
  done: Promise<unknown>;
}

export const localRuns = new Map<string, LocalRun>();

/**
 * Keeps a run's lease alive while `work` runs and interrupts the run when the lease is lost or
 * someone asks (from any process) to cancel it. `interrupt` must make Terraform stop (SIGINT first).
 */
export async function underLease<T>(
  deps: CoreDeps, run: { projectId: ProjectKey; sessionId: string; fence: number; kind: LocalRun['kind'] },
  interrupt: () => void, work: () => Promise<T>,
): Promise<T> {
  let lost = false;
  const keeper = new LeaseKeeper(deps, run.projectId, run.fence, {
    lost: () => { lost = true; interrupt(); },
    cancelRequested: (by) => { deps.log.warn({ sessionId: run.sessionId, by }, 'interrupt requested through the lease'); interrupt(); },
  });
  const done = work();
  localRuns.set(run.sessionId, { sessionId: run.sessionId, kind: run.kind, cancel: interrupt, done });
  try {
    return await done;
  } finally {
    keeper.stop();
    localRuns.delete(run.sessionId);
    if (lost) deps.log.error({ sessionId: run.sessionId }, 'run ended after losing its lease');
  }
}

/** SIGTERM / SIGINT of this process: interrupt every local run and wait until each is recorded. */
export async function interruptLocalRuns(): Promise<void> {
  const runs = [...localRuns.values()];
  runs.forEach((r) => r.cancel());
  await Promise.allSettled(runs.map((r) => r.done));
}


/** How many plans and applies this process runs now. */
export const localRunCount = () => localRuns.size;
