import { runDirFor } from '../terraform/workspace.js';
import { startApply, type ApplyResult, type ApplyRun } from './applying.js';
import { recordedApply } from './relays.js';
import type { CoreDeps } from './deps.js';
import { leaseExpiry } from './leases.js';
import type { QueuedApply } from '../domain/queue.js';
import { recoverLock } from './recovery.js';
import type { Deployment } from '../domain/runs.js';

/** The line a worker appends after the last one of a run: the relay stops there. Terraform prints no ETX (and PostgreSQL stores no NUL). */
export const END_OF_LOG = '\u0003';
const FLUSH_MS = 200;
const FLUSH_LINES = 200;
const STATE_EVERY_MS = 1000;
const FOLLOW_EVERY_MS = 250;
/** A relay stops waiting for lines this long after the run was recorded without its end marker (its worker died). */
const SILENT_AFTER_END_MS = 2000;
const RECOVER_EVERY_MS = 2000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Worker side: takes one apply off the queue and runs it here. It runs only if the queue still holds its
 * lease (one conditional hand-over to a fresh token): a job delivered twice, or one whose apply was already
 * settled (cancelled, waited too long, recovered), runs nothing. Terraform's lines go to the store as they
 * come, and every new state serial is saved under the run's token while it runs, so a worker that dies
 * mid-apply loses at most the resource in flight.
 */
export async function runQueuedApply(deps: CoreDeps, job: QueuedApply): Promise<ApplyResult | undefined> {
  const deployment = await deps.store.deployments.bySession(job.sessionId);
  if (deployment?.id !== job.deploymentId || deployment.status !== 'running' || deployment.fence === null) return undefined;
  const from = deployment.fence;
  const fence = await deps.store.transaction(async () => {
    const next = await deps.store.locks.handOver(deployment.projectId, job.sessionId, from, deps.owner, deps.clock.now().toISOString(), leaseExpiry(deps));
    if (next === undefined) return undefined;
    return await deps.store.deployments.setFence(deployment.id, from, next) ? next : undefined;
  });
  if (fence === undefined) {
    deps.log.warn({ deploymentId: job.deploymentId }, 'a queued apply was no longer the queue\'s to hand over; nothing ran');
    return undefined;
  }
  const run = await startApply(deps, job.sessionId, job.actorName);
  const watch = watchState(deps, deployment, fence);
  // Terraform has written the state of a resource it reports done: save it now, not at the next tick.
  const pumped = pumpLines(deps, deployment.id, run.lines, (line) => { if (RESOURCE_DONE.test(line)) watch.poke(); });
  try {
    return await run.result;
  } finally {
    watch.stop();
    await pumped;
  }
}

const RESOURCE_DONE = /: (Creation|Modifications|Destruction) complete after /;

/** Terraform's lines into the store in small batches, then the end marker. */
async function pumpLines(deps: CoreDeps, deploymentId: string, lines: AsyncIterable<string>, seen: (line: string) => void): Promise<void> {
  let seq = 0;
  let batch: string[] = [];
  let last = Date.now();
  const flush = async () => {
    const out = batch;
    batch = [];
    last = Date.now();
    await deps.store.runLogs.append(deploymentId, seq + 1, out);
    seq += out.length;
  };
  try {
    for await (const line of lines) {
      seen(line);
      batch.push(line);
      if (batch.length >= FLUSH_LINES || Date.now() - last >= FLUSH_MS) await flush();
    }
    batch.push(END_OF_LOG);
    await flush();
  } catch (err) {
    deps.log.error({ err, deploymentId }, 'the run\'s output could not be written to the store');
  }
}

/** Saves each new state serial the run's Terraform writes: every second, and when poked, until stopped. */
function watchState(deps: CoreDeps, deployment: Deployment, fence: number): { poke(): void; stop(): void } {
  const dir = runDirFor(deps.runsDir, deployment.projectId, deployment.id);
  let busy = false;
  let again = false;
  const capture = (): void => {
    if (busy) { again = true; return; }
    busy = true;
    deps.states.capture(deployment.projectId, deployment.sessionId, dir, fence)
      .catch((err: unknown) => deps.log.warn({ err, deploymentId: deployment.id }, 'saving the running apply\'s state failed; retried'))
      .finally(() => {
        busy = false;
        if (again) { again = false; capture(); }
      });
  };
  const timer = setInterval(capture, STATE_EVERY_MS);
  return { poke: capture, stop: () => clearInterval(timer) };
}

/**
 * Approver side: the apply a worker runs, followed through the store — its lines as the worker writes
 * them, and its result once recorded. While waiting, a run whose worker died (its lease expired) is
 * settled from here, so the wait always ends.
 */
export function followApply(deps: CoreDeps, sessionId: string, deployment: Deployment): ApplyRun {
  let recordedAt: number | undefined;
  const settle = async (): Promise<Deployment> => {
    for (let lastRecover = 0; ; await sleep(FOLLOW_EVERY_MS)) {
      const d = (await deps.store.deployments.bySession(sessionId))!;
      if (d.status !== 'running') return d;
      if (Date.now() - lastRecover >= RECOVER_EVERY_MS) {
        lastRecover = Date.now();
        const lock = await deps.store.locks.get(deployment.projectId);
        if (lock?.sessionId === sessionId) await recoverLock(deps, lock, { interrupted: [], planFailed: [] }).catch((err: unknown) => deps.log.warn({ err, sessionId }, 'settling a dead worker\'s apply failed; retried'));
      }
    }
  };
  const recorded = settle().then((d) => { recordedAt = Date.now(); return d; });
  const lines = (async function* () {
    let seq = 0;
    for (;;) {
      const rows = await deps.store.runLogs.after(deployment.id, seq, 500);
      for (const r of rows) {
        if (r.line === END_OF_LOG) return;
        seq = r.seq;
        yield r.line;
      }
      if (rows.length) continue;
      if (recordedAt !== undefined && Date.now() - recordedAt > SILENT_AFTER_END_MS) return;
      await sleep(FOLLOW_EVERY_MS);
    }
  })();
  const result = recorded.then(async () => (await recordedApply(deps, sessionId))!);
  return { lines, result, queued: deployment };
}
