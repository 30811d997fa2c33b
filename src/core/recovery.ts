import { readlinkSync } from 'node:fs';
import { inTransaction } from '../db/database.js';
import { finishDeployment, getDeploymentBySession } from '../db/deployments.js';
import { getLock, listLocks, parkLease, releaseLease, takeOver, type Lock } from '../db/locks.js';
import { latestPlan, updatePlanResult } from '../db/plans.js';
import { casState, getSession, listSessionsInStates, type Session } from '../db/sessions.js';
import { CANCEL_GRACE_MS } from '../terraform/runner.js';
import { workspaceDir } from '../terraform/workspace.js';
import { finishApply, type ApplyResult } from './applying.js';
import { expiryFrom, type CoreDeps } from './deps.js';
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
  if (cwd !== workspaceDir(deps.runsDir, lock.projectId)) return;
  deps.log.warn({ projectId: lock.projectId, pid: lock.runPid }, 'stopping the Terraform of a dead run');
  const steps: Array<[NodeJS.Signals, number]> = [['SIGINT', CANCEL_GRACE_MS], ['SIGTERM', CANCEL_GRACE_MS], ['SIGKILL', 2000]];
  for (const [signal, waitMs] of steps) {
    try { process.kill(lock.runPid, signal); } catch { return; }
    for (const until = Date.now() + waitMs; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) if (!alive(lock.runPid)) return;
  }
}

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
      const ms = Date.parse(now) - Date.parse(deployment.startedAt);
      report.interrupted.push(await finishApply(deps, session, deployment, 'interrupted', `The process running this apply stopped (crash, kill or restart; ${why === 'expired' ? 'its lease expired' : 'it is gone'}). The state Terraform had written was saved; re-plan to see where things stand.`, ms, session.userName, fence));
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
    if (fence !== undefined) parkLease(deps.db, s.projectId, fence, expiryFrom(deps));
    deps.audit.record(null, { eventType: 'plan_failed', projectId: s.projectId, sessionId: s.id, action: 'plan', status: 'failure', details: { reason: 'run_stopped' }, error: 'the planning process stopped' });
    return true;
  });
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
