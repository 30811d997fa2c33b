import { existsSync, readlinkSync } from 'node:fs';
import { inTransaction } from '../db/database.js';
import { finishDeployment, getDeploymentBySession, type Deployment } from '../db/deployments.js';
import { getLock, listLocks, releaseLease, takeOver, type Lock } from '../db/locks.js';
import { latestPlan, updatePlanResult } from '../db/plans.js';
import { casState, getSession, listSessionsInStates, type Session } from '../db/sessions.js';
import { CANCEL_GRACE_MS } from '../terraform/runner.js';
import { EXIT_FILE, readRunFile } from '../terraform/workspace.js';
import { finishApply, type ApplyResult } from './applying.js';
import type { CoreDeps } from './deps.js';
import { leaseExpiry, ownerIsDead } from './leases.js';
import { finalizeTx } from './sessions.js';

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

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/**
 * A dead owner's Terraform may still run (SIGKILL does not reach children). On this host, and only if
 * that pid still works in the project's directory, stop it the way a cancel does so it saves its state.
 */
async function stopOrphan(deps: CoreDeps, lock: Lock): Promise<void> {
  if (!lock.runPid || lock.owner?.host !== deps.owner.host || !alive(lock.runPid)) return;
  let cwd: string;
  try { cwd = readlinkSync(`/proc/${lock.runPid}/cwd`); } catch { return; }
  if (cwd !== lock.runDir) return;
  deps.log.warn({ projectId: lock.projectId, pid: lock.runPid }, 'stopping the Terraform of a run that lost its owner');
  // Terraform leads a process group of its own (see TerraformRunner): signal the group, so provisioner
  // children holding its output open go too. A stopped group (SIGSTOP) acts on signals only once continued.
  const group = -lock.runPid;
  const steps: Array<[NodeJS.Signals, number]> = [['SIGINT', CANCEL_GRACE_MS], ['SIGTERM', CANCEL_GRACE_MS], ['SIGKILL', 2000]];
  for (const [signal, waitMs] of steps) {
    try {
      process.kill(group, signal);
      process.kill(group, 'SIGCONT');
    } catch {
      return;
    }
    for (const until = Date.now() + waitMs; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) if (!alive(lock.runPid)) return;
  }
}

/** The dead run's directory when this process can read it (this host, or a runs directory shared between hosts). */
const reachableRunDir = (lock: Lock): string | null => (lock.runDir && existsSync(lock.runDir) ? lock.runDir : null);

/** Only a run known to have stopped (its Terraform gone, on this host) may have its directory removed. */
const orphanGone = (deps: CoreDeps, lock: Lock): boolean => lock.owner?.host === deps.owner.host && (!lock.runPid || !alive(lock.runPid));

/**
 * Settles one lock whose run is over: takes the lease over (one conditional write; whoever loses the
 * race leaves it alone), stops an orphaned Terraform, saves the state it wrote, and ends the session.
 */
export async function recoverLock(deps: CoreDeps, lock: Lock, report: RecoveryReport): Promise<boolean> {
  const session = getSession(deps.db, lock.sessionId);
  const why = deadRun(deps, lock, session);
  if (!why) return false;
  const now = deps.clock.now().toISOString();
  const fence = takeOver(deps.db, lock.projectId, lock.fence, deps.owner, now, leaseExpiry(deps));
  if (fence === undefined) return false;
  deps.audit.record(null, {
    eventType: 'lease_taken_over', projectId: lock.projectId, sessionId: lock.sessionId, action: 'recover', status: 'info',
    details: { reason: why, previous_owner: lock.owner, previous_fence: lock.fence, fence, lease_expired_at: lock.expiresAt, session_state: session?.state ?? null },
  });
  await stopOrphan(deps, lock);
  if (session?.state === 'APPLYING') {
    const deployment = getDeploymentBySession(deps.db, session.id);
    if (deployment?.status === 'running') {
      report.interrupted.push(await settleApply(deps, lock, session, deployment, fence, why));
      return true;
    }
  }
  if (session?.state === 'PLANNING') {
    if (failPlanning(deps, session, fence)) report.planFailed.push(getSession(deps.db, session.id)!);
    return true;
  }
  inTransaction(deps.db, () => releaseLease(deps.db, lock.projectId, fence));
  return true;
}

function failPlanning(deps: CoreDeps, s: Session, fence: number | undefined): boolean {
  return inTransaction(deps.db, () => {
    const plan = latestPlan(deps.db, s.id);
    if (plan?.status === 'running') updatePlanResult(deps.db, { ...plan, status: 'failed', error: 'The process running this plan stopped.' });
    if (!casState(deps.db, s.id, ['PLANNING'], 'PLAN_FAILED', deps.clock.now().toISOString(), 'The process running this plan stopped; plan again.')) return false;
    // Its process is gone, so nobody is about to fix and re-plan: the project is free for others at once.
    if (fence !== undefined) releaseLease(deps.db, s.projectId, fence);
    deps.audit.record(null, { eventType: 'plan_failed', projectId: s.projectId, sessionId: s.id, action: 'plan', status: 'failure', details: { reason: 'run_stopped' }, error: 'the planning process stopped' });
    return true;
  });
}

/**
 * Records a cut-off apply from what its Terraform wrote: one whose Terraform had exited 0 before the
 * recording was cut off (disk full, crash) is recorded as succeeded — deployed configuration, commit
 * and all; anything else is interrupted, with its partial state saved and the configuration reconciled.
 */
async function settleApply(deps: CoreDeps, lock: Lock, session: Session, deployment: Deployment, fence: number, why: string): Promise<ApplyResult> {
  const dir = reachableRunDir(lock);
  const finished = deployment.terraformExit === 0 || (dir !== null && readRunFile(dir, EXIT_FILE)?.toString() === '0');
  const ms = Date.parse(deps.clock.now().toISOString()) - Date.parse(deployment.startedAt);
  const cause = `The process running this apply stopped (crash, kill or restart; ${why === 'expired' ? 'its lease expired' : 'it is gone'}) before recording it.`;
  const error = finished
    ? null
    : `${cause} The state Terraform had written was saved; re-plan to see where things stand.`;
  const warnings = finished ? [`${cause} Terraform had finished the apply (exit 0); it was recorded by recovery.`] : [];
  const result = await finishApply(deps, session, deployment, finished ? 'succeeded' : 'interrupted', error, ms, session.userName, { fence, dir, removeDir: orphanGone(deps, lock) });
  return { ...result, warnings: [...warnings, ...result.warnings] };
}

/** A session still PLANNING/APPLYING without the lease (its lock was released before leases existed): nothing of it runs. */
function settleUnleased(deps: CoreDeps, s: Session, report: RecoveryReport): void {
  if (s.state === 'PLANNING') {
    if (failPlanning(deps, s, undefined)) report.planFailed.push(getSession(deps.db, s.id)!);
    return;
  }
  const deployment = getDeploymentBySession(deps.db, s.id);
  const error = 'This apply lost its lock and was cut off; its state could not be attributed safely. Re-plan to see where things stand.';
  inTransaction(deps.db, () => {
    if (deployment?.status === 'running') finishDeployment(deps.db, deployment.id, { status: 'interrupted', stateSerial: null, error, finishedAt: deps.clock.now().toISOString(), durationMs: 0 });
    finalizeTx(deps, null, s, 'INTERRUPTED', 'deployment_interrupted', { deployment_id: deployment?.id ?? null, reason: 'no_lease' }, error);
  });
}

/**
 * Settles runs whose owner is gone — a lease past its expiry, or an owner on this host that died —
 * and never a live run of another process. Any process may call it at any time (start, sweeps).
 */
export async function recoverExpired(deps: CoreDeps): Promise<RecoveryReport> {
  const report: RecoveryReport = { interrupted: [], planFailed: [] };
  for (const lock of listLocks(deps.db)) await recoverLock(deps, lock, report);
  for (const s of listSessionsInStates(deps.db, RUNNING)) {
    const lock = getLock(deps.db, s.projectId);
    if (lock?.sessionId !== s.id) settleUnleased(deps, getSession(deps.db, s.id)!, report);
  }
  return report;
}
