import { runDirFor } from '../terraform/workspace.js';
import { isResourceDone } from '../terraform/applyProgress.js';
import { finishApply, startApply, type ApplyResult, type ApplyRun } from './applying.js';
import { plannedChanges, recordedApply } from './relays.js';
import type { CoreDeps } from './deps.js';
import { leaseExpiry } from './leases.js';
import type { QueuedApply } from '../domain/queue.js';
import { failPlanning, recoverLock } from './recovery.js';
import { QUEUE_HOST, type Deployment, type Lock } from '../domain/runs.js';

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
export async function runQueuedApply(deps: CoreDeps, job: QueuedApply): Promise<{ finished: Promise<ApplyResult> } | undefined> {
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
  // Started (and registered as this process's run, which shutdown interrupts) before this returns.
  const run = await startApply(deps, job.sessionId, job.actorName);
  const watch = watchState(deps, deployment, fence);
  // Terraform has written the state of a resource it reports done: save it now, not at the next tick.
  const pumped = pumpLines(deps, deployment.id, run.lines, (line) => { if (isResourceDone(line)) watch.poke(); });
  const finished = (async () => {
    try {
      return await run.result;
    } finally {
      await watch.stop();
      await pumped;
    }
  })();
  return { finished };
}

/**
 * Terraform's lines into the store in small batches — at least every FLUSH_MS, so a line waits for no
 * later one — then the end marker. A write the store refuses (busy, a dropped connection) is retried with
 * the next flush, the lines kept in order.
 */
async function pumpLines(deps: CoreDeps, deploymentId: string, lines: AsyncIterable<string>, seen: (line: string) => void): Promise<void> {
  let seq = 0;
  let pending: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    writing = writing.then(async () => {
      if (!pending.length) return;
      const out = pending.slice(0, 500);
      try {
        await deps.store.runLogs.append(deploymentId, seq + 1, out);
        seq += out.length;
        pending = pending.slice(out.length);
      } catch (err) {
        deps.log.warn({ err, deploymentId, lines: out.length }, 'the run\'s output could not be written to the store yet; retried');
      }
    });
    return writing;
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  try {
    for await (const line of lines) {
      seen(line);
      pending.push(line);
      if (pending.length >= FLUSH_LINES) await flush();
    }
    pending.push(END_OF_LOG);
    for (let attempt = 0; pending.length && attempt < 20; attempt++) {
      await flush();
      if (pending.length) await sleep(FLUSH_MS * 5);
    }
    if (pending.length) deps.log.error({ deploymentId, lines: pending.length }, 'the end of the run\'s output could not be written to the store');
  } finally {
    clearInterval(timer);
  }
}

/** Saves each new state serial the run's Terraform writes: every second, and when poked, until stopped. */
function watchState(deps: CoreDeps, deployment: Deployment, fence: number): { poke(): void; stop(): Promise<void> } {
  const dir = runDirFor(deps.runsDir, deployment.projectId, deployment.id);
  let inflight: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const capture = (): void => {
    if (stopped) return;
    if (inflight) { again = true; return; }
    inflight = deps.states.capture(deployment.projectId, deployment.sessionId, dir, fence)
      .then(() => undefined, (err: unknown) => deps.log.warn({ err, deploymentId: deployment.id }, 'saving the running apply\'s state failed; retried'))
      .finally(() => {
        inflight = undefined;
        if (again) { again = false; capture(); }
      });
  };
  const timer = setInterval(capture, STATE_EVERY_MS);
  return { poke: capture, stop: async () => { stopped = true; clearInterval(timer); await inflight; } };
}

/**
 * Approver side: the apply a worker runs, followed through the store — its lines as the worker writes
 * them, and its result once recorded. While waiting, a run whose worker died (its lease expired) is
 * settled from here, so the wait always ends.
 */
export async function followApply(deps: CoreDeps, sessionId: string, deployment: Deployment, by: string): Promise<ApplyRun> {
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
  const result = recorded.then(async () => {
    for (;; await sleep(FOLLOW_EVERY_MS)) {
      const r = await recordedApply(deps, sessionId);
      if (r) return r;
    }
  });
  followedRuns.set(sessionId, { cancel: () => stopFollowed(deps, sessionId, deployment, by), done: result });
  void result.finally(() => followedRuns.delete(sessionId)).catch(() => undefined);
  return { lines, result, queued: deployment, planned: await plannedChanges(deps, sessionId) };
}

/** Applies this process follows on workers: an operator's Ctrl-C stops them as it stops a run of its own. */
const followedRuns = new Map<string, { cancel(): Promise<void>; done: Promise<unknown> }>();

/** Asks the followed apply to stop: at once while the queue holds it, else through the worker's lease. */
async function stopFollowed(deps: CoreDeps, sessionId: string, deployment: Deployment, by: string): Promise<void> {
  const lock = await deps.store.locks.get(deployment.projectId);
  if (lock?.sessionId !== sessionId || await stopQueuedRun(deps, by, lock)) return;
  await deps.store.transaction(async () => {
    if (!await deps.store.locks.requestCancel(lock.projectId, lock.fence, by)) return;
    await deps.audit.record(null, { eventType: 'apply_cancel_requested', projectId: lock.projectId, sessionId, action: 'cancel_apply', status: 'info', details: { by, on_worker: lock.owner } });
  });
}

/** Stops every apply this process follows and waits until each is recorded. */
export async function stopFollowedRuns(): Promise<void> {
  const runs = [...followedRuns.values()];
  await Promise.allSettled(runs.map((r) => r.cancel()));
  await Promise.allSettled(runs.map((r) => r.done));
}

/**
 * Stops a run the queue still holds (no worker has it, so nobody would answer a cancel through the lease):
 * takes its lease over and ends it at once — an apply interrupted, a plan failed — with nothing changed. A
 * worker that gets its job later finds the lease gone and runs nothing. False when it moved on meanwhile.
 */
export async function stopQueuedRun(deps: CoreDeps, by: string, lock: Lock): Promise<boolean> {
  if (lock.owner?.host !== QUEUE_HOST) return false;
  const fence = await deps.store.locks.takeOver(lock, deps.owner, deps.clock.now().toISOString(), leaseExpiry(deps));
  if (fence === undefined) return false;
  const why = `Stopped by ${by} before a worker took it; nothing was changed.`;
  const session = await deps.store.sessions.get(lock.sessionId);
  const deployment = session?.state === 'APPLYING' ? await deps.store.deployments.bySession(session.id) : undefined;
  if (session && deployment?.status === 'running') {
    await finishApply(deps, session, deployment, 'interrupted', why, 0, session.userName, { fence, dir: null, removeDir: false, neverRan: true });
  } else if (session?.state === 'PLANNING') {
    await failPlanning(deps, session, fence, why);
  } else {
    await deps.store.transaction(() => deps.store.locks.release(lock.projectId, fence));
  }
  return true;
}
