import { existsSync, readlinkSync, realpathSync } from 'node:fs';
import { CANCEL_GRACE_MS } from '../terraform/runner.js';
import { EXIT_FILE, readRunFile, workspaceDir } from '../terraform/workspace.js';
import { finishApply, type ApplyResult } from './applying.js';
import type { CoreDeps } from './deps.js';
import { isRunning } from '../processes.js';
import { LeaseKeeper, leaseExpiry, ownerIsDead } from './leases.js';
import { finalizeTx } from './sessions.js';
import { QUEUE_HOST, type Deployment, type Lock } from '../domain/runs.js';

const NO_WORKER = (run: 'plan' | 'apply') => `No worker took this ${run} off the run queue in time (RUN_QUEUE_WAIT_SECONDS); nothing was changed.`;
import type { Session } from '../domain/sessions.js';
import type { ProjectKey } from '../domain/projects.js';

export interface RecoveryReport {
  interrupted: ApplyResult[];
  planFailed: Session[];
}

const RUNNING = ['PLANNING', 'APPLYING'] as const;

/** Why a lock's run is over although nobody recorded it, or undefined while it may still be live. */
export function deadRun(deps: CoreDeps, lock: Lock, session: Session | undefined): 'expired' | 'owner_dead' | 'no_owner' | undefined {
  if (!lock.owner) return session && (RUNNING as readonly string[]).includes(session.state) ? 'no_owner' : undefined;
  if (lock.expiresAt < deps.clock.now().toISOString()) return 'expired';
  return ownerIsDead(lock.owner, deps.owner) ? 'owner_dead' : undefined;
}

const sameDir = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

/**
 * A dead owner's Terraform may still run (its output goes to a file, so our death does not stop it). On
 * this host, and only if that pid still works in the run's directory, stop it the way a cancel does —
 * one SIGINT, so it finishes the call in flight and saves its state — then SIGKILL if it never stops.
 */
async function stopOrphan(deps: CoreDeps, lock: Lock): Promise<void> {
  if (!lock.runPid || !lock.runDir || lock.owner?.host !== deps.owner.host || !isRunning(lock.runPid)) return;
  let cwd: string;
  try { cwd = readlinkSync(`/proc/${lock.runPid}/cwd`); } catch { return; }
  if (!sameDir(cwd, lock.runDir)) return;
  deps.log.warn({ projectId: lock.projectId, pid: lock.runPid }, 'stopping the Terraform of a run that lost its owner');
  // Terraform leads a process group of its own (see TerraformRunner): signal the group, so provisioner
  // children holding its output open go too. A stopped group (SIGSTOP) acts on signals only once continued.
  const group = -lock.runPid;
  for (const [signal, waitMs] of [['SIGINT', CANCEL_GRACE_MS], ['SIGKILL', 2000]] as const) {
    try {
      process.kill(group, signal);
      process.kill(group, 'SIGCONT');
    } catch {
      return;
    }
    for (const until = Date.now() + waitMs; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) if (!isRunning(lock.runPid)) return;
  }
}

/**
 * The dead run's directory when this process can read it (this host, or a runs directory shared between
 * hosts). A lock from before run directories (no owner, no run_dir) ran in the project's workspace.
 */
function reachableRunDir(deps: CoreDeps, lock: Lock): { dir: string; legacy: boolean } | null {
  if (lock.runDir) return existsSync(lock.runDir) ? { dir: lock.runDir, legacy: false } : null;
  const workspace = workspaceDir(deps.runsDir, lock.projectId);
  return !lock.owner && existsSync(workspace) ? { dir: workspace, legacy: true } : null;
}

/** Only a run known to have stopped (its Terraform gone, on this host) may have its directory removed. */
const orphanGone = (deps: CoreDeps, lock: Lock): boolean => lock.owner?.host === deps.owner.host && (!lock.runPid || !isRunning(lock.runPid));

/**
 * Settles one lock whose run is over: takes the lease over (one conditional write; whoever loses the
 * race leaves it alone), stops an orphaned Terraform, saves the state it wrote, and ends the session.
 */
export async function recoverLock(deps: CoreDeps, seen: Lock, report: RecoveryReport): Promise<boolean> {
  // Judged on a fresh read: a lock listed a while ago may have been renewed since by its live owner.
  const lock = await deps.store.locks.get(seen.projectId);
  if (!lock || lock.fence !== seen.fence) return false;
  const session = await deps.store.sessions.get(lock.sessionId);
  const why = deadRun(deps, lock, session);
  if (!why) return false;
  const now = deps.clock.now().toISOString();
  const fence = await deps.store.locks.takeOver(lock, deps.owner, now, leaseExpiry(deps));
  if (fence === undefined) return false;
  await deps.audit.record(null, {
    eventType: 'lease_taken_over', projectId: lock.projectId, sessionId: lock.sessionId, action: 'recover', status: 'info',
    details: { reason: why, previous_owner: lock.owner, previous_fence: lock.fence, fence, lease_expired_at: lock.expiresAt, session_state: session?.state ?? null },
  });
  // Stopping an orphan can take a while: keep the lease taken over alive meanwhile.
  const keeper = new LeaseKeeper(deps, lock.projectId, fence, { lost: () => {}, cancelRequested: () => {} });
  try {
    await stopOrphan(deps, lock);
    if (session?.state === 'APPLYING') {
      const deployment = await deps.store.deployments.bySession(session.id);
      if (deployment?.status === 'running') {
        report.interrupted.push(await settleApply(deps, lock, session, deployment, fence, why));
        return true;
      }
    }
    if (session?.state === 'PLANNING') {
      const why = lock.owner?.host === QUEUE_HOST ? NO_WORKER('plan') : undefined;
      if (await failPlanning(deps, session, fence, why)) report.planFailed.push((await deps.store.sessions.get(session.id))!);
      return true;
    }
    await deps.store.transaction(() => deps.store.locks.release(lock.projectId, fence));
    return true;
  } finally {
    keeper.stop();
  }
}

export async function failPlanning(deps: CoreDeps, s: Session, fence: number | undefined, why = 'The process running this plan stopped.'): Promise<boolean> {
  return deps.store.transaction(async () => {
    const plan = await deps.store.plans.latest(s.id);
    if (plan?.status === 'running') await deps.store.plans.updateResult({ ...plan, status: 'failed', error: why });
    if (!await deps.store.sessions.moveState(s.id, ['PLANNING'], 'PLAN_FAILED', deps.clock.now().toISOString(), `${why.replace(/\.$/, '')}; plan again.`)) return false;
    // Its process is gone, so nobody is about to fix and re-plan: the project is free for others at once.
    if (fence !== undefined) await deps.store.locks.release(s.projectId, fence);
    await deps.audit.record(null, { eventType: 'plan_failed', projectId: s.projectId, sessionId: s.id, action: 'plan', status: 'failure', details: { reason: 'run_stopped' }, error: 'the planning process stopped' });
    return true;
  });
}

/**
 * Records a cut-off apply from what its Terraform wrote: one whose Terraform had exited 0 before the
 * recording was cut off (disk full, crash) is recorded as succeeded — deployed configuration, commit
 * and all; anything else is interrupted, with its partial state saved and the configuration reconciled.
 */
async function settleApply(deps: CoreDeps, lock: Lock, session: Session, deployment: Deployment, fence: number, why: string): Promise<ApplyResult> {
  if (lock.owner?.host === QUEUE_HOST) {
    return finishApply(deps, session, deployment, 'interrupted', NO_WORKER('apply'), 0, session.userName, { fence, dir: null, removeDir: false, neverRan: true });
  }
  const reachable = reachableRunDir(deps, lock);
  const dir = reachable?.dir ?? null;
  const exitedZero = deployment.terraformExit === 0 || (dir !== null && readRunFile(dir, EXIT_FILE)?.toString() === '0');
  const stateKept = dir !== null || (await deps.store.states.latest(session.projectId))?.sessionId === session.id;
  // Success is recorded only with the state Terraform wrote in hand; without it the configuration would claim what the state does not hold.
  const finished = exitedZero && stateKept;
  const ms = Date.parse(deps.clock.now().toISOString()) - Date.parse(deployment.startedAt);
  const cause = `The process running this apply stopped (crash, kill or restart; ${why === 'expired' ? 'its lease expired' : 'it is gone'}) before recording it.`;
  const error = finished ? null
    : exitedZero ? `${cause} Terraform had finished (exit 0), but the state it wrote (${lock.runDir ?? 'its run directory'}, on ${lock.owner?.host ?? 'its host'}) cannot be read from here; save it to the store from that host before planning again.`
      : `${cause} The state Terraform had written was saved; re-plan to see where things stand.`;
  const warnings = finished ? [`${cause} Terraform had finished the apply (exit 0); it was recorded by recovery.`] : [];
  const result = await finishApply(deps, session, deployment, finished ? 'succeeded' : 'interrupted', error, ms, session.userName, { fence, dir, removeDir: !reachable?.legacy && orphanGone(deps, lock) });
  return { ...result, warnings: [...warnings, ...result.warnings] };
}

/** A session still PLANNING/APPLYING without the lease (its lock was released before leases existed): nothing of it runs. */
async function settleUnleased(deps: CoreDeps, s: Session, report: RecoveryReport): Promise<void> {
  if (s.state === 'PLANNING') {
    if (await failPlanning(deps, s, undefined)) report.planFailed.push((await deps.store.sessions.get(s.id))!);
    return;
  }
  const deployment = await deps.store.deployments.bySession(s.id);
  const error = 'This apply lost its lock and was cut off; its state could not be attributed safely. Re-plan to see where things stand.';
  await deps.store.transaction(async () => {
    if (deployment?.status === 'running') await deps.store.deployments.finish(deployment.id, { status: 'interrupted', stateSerial: null, error, finishedAt: deps.clock.now().toISOString(), durationMs: 0 });
    await finalizeTx(deps, null, s, 'INTERRUPTED', 'deployment_interrupted', { deployment_id: deployment?.id ?? null, reason: 'no_lease' }, error);
  });
}

/**
 * Settles runs whose owner is gone — a lease past its expiry, or an owner on this host that died —
 * and never a live run of another process. Any process may call it at any time (start, sweeps).
 */
export async function recoverExpired(deps: CoreDeps): Promise<RecoveryReport> {
  const report: RecoveryReport = { interrupted: [], planFailed: [] };
  // One project that cannot be settled now (its disk, its files) must not keep the others from being settled.
  const each = async (what: string, projectId: ProjectKey, fn: () => unknown) => {
    try {
      await fn();
    } catch (err) {
      deps.log.error({ err, projectId }, `recovery could not settle ${what}; it is retried on the next sweep`);
    }
  };
  for (const lock of await deps.store.locks.list()) await each('a lock', lock.projectId, () => recoverLock(deps, lock, report));
  for (const s of await deps.store.sessions.listInStates(RUNNING)) {
    const lock = await deps.store.locks.get(s.projectId);
    if (lock?.sessionId !== s.id) await each('a session', s.projectId, async () => settleUnleased(deps, (await deps.store.sessions.get(s.id))!, report));
  }
  return report;
}
