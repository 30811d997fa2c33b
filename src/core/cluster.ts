import { operatorOnly } from '../domain/errors.js';
import type { ProjectKey } from '../domain/projects.js';
import type { LeaseOwner, WorkerBeat } from '../domain/runs.js';
import type { Actor } from '../policy/permissions.js';
import type { CoreDeps } from './deps.js';
import type { QueueHealth, RunQueue } from '../domain/queue.js';

/** A worker that has not reported for this long is presumed gone (it reports every WORKER_BEAT_MS). */
export const WORKER_BEAT_MS = 5000;
const PRESUMED_GONE_MS = 3 * WORKER_BEAT_MS;

export interface ClusterStatus {
  runs: 'local' | 'workers';
  workers: Array<WorkerBeat & { alive: boolean }>;
  /** Null when this process has no queue (RUN_QUEUE=local on SQLite). */
  queue: QueueHealth | null;
  running: Array<{ projectId: ProjectKey; sessionId: string; deploymentId: string; approvedAt: string; terraformStartedAt: string | null; owner: LeaseOwner | null }>;
}

/** `cloud-engine status`: workers, the queue, and every apply running now, wherever it runs. */
export async function clusterStatus(deps: CoreDeps, actor: Actor, queue: RunQueue | undefined): Promise<ClusterStatus> {
  if (!actor.operator) throw operatorOnly('status');
  const now = deps.clock.now().getTime();
  const running = await Promise.all((await deps.store.deployments.listRunning()).map(async (d) => {
    const lock = await deps.store.locks.get(d.projectId);
    return {
      projectId: d.projectId, sessionId: d.sessionId, deploymentId: d.id, approvedAt: d.startedAt, terraformStartedAt: d.terraformStartedAt ?? null,
      owner: lock?.sessionId === d.sessionId ? lock.owner : null,
    };
  }));
  return {
    runs: deps.queue ? 'workers' : 'local',
    workers: (await deps.store.workers.list()).map((w) => ({ ...w, alive: now - Date.parse(w.heartbeatAt) < PRESUMED_GONE_MS })),
    queue: queue ? await queue.health() : null,
    running,
  };
}

/** A worker's report of itself; `gone` removes it when it stops. */
export const reportWorker = (deps: CoreDeps, beat: WorkerBeat) => deps.store.workers.beat(beat);
export const workerGone = (deps: CoreDeps, id: string) => deps.store.workers.remove(id);
