import { existsSync } from 'node:fs';
import { inTransaction } from '../db/database.js';
import { getDeploymentBySession } from '../db/deployments.js';
import { latestPlan, updatePlanResult } from '../db/plans.js';
import { listProjects } from '../db/projects.js';
import { casState, listSessionsInStates, type Session } from '../db/sessions.js';
import { workspaceDir } from '../terraform/workspace.js';
import { finishApply, runningApplies, type ApplyResult } from './applying.js';
import type { CoreDeps } from './deps.js';

export interface RecoveryReport {
  interrupted: ApplyResult[];
  planFailed: Session[];
  reconciledProjects: string[];
}

/**
 * On start: nothing can be running yet, so an APPLYING session was cut off by a crash or kill.
 * It becomes INTERRUPTED with whatever state Terraform managed to write, and its lock is released.
 */
export async function recoverAfterRestart(deps: CoreDeps): Promise<RecoveryReport> {
  const cutOff = listSessionsInStates(deps.db, ['APPLYING']).filter((s) => !runningApplies.has(s.id));
  // A state written by an apply that was cut off belongs to that apply's session.
  const applyingIn = new Map(cutOff.map((s) => [s.projectId, s.id]));
  const reconciledProjects: string[] = [];
  for (const p of listProjects(deps.db)) {
    const dir = workspaceDir(deps.runsDir, p.id);
    if (existsSync(dir) && deps.states.capture(p.id, applyingIn.get(p.id) ?? null, dir).kind === 'saved') reconciledProjects.push(p.id);
  }
  const interrupted: ApplyResult[] = [];
  for (const s of cutOff) {
    const deployment = getDeploymentBySession(deps.db, s.id);
    if (!deployment) continue;
    const ms = Date.parse(deps.clock.now().toISOString()) - Date.parse(deployment.startedAt);
    interrupted.push(await finishApply(deps, s, deployment, 'interrupted', 'The bot stopped while this apply was running (crash or restart). The state Terraform had written was saved; re-plan to see where things stand.', ms, s.userName));
  }
  const planFailed: Session[] = [];
  for (const s of listSessionsInStates(deps.db, ['PLANNING'])) {
    inTransaction(deps.db, () => {
      const plan = latestPlan(deps.db, s.id);
      if (plan?.status === 'running') updatePlanResult(deps.db, { ...plan, status: 'failed', error: 'The bot stopped while planning.' });
      if (casState(deps.db, s.id, ['PLANNING'], 'PLAN_FAILED', deps.clock.now().toISOString(), 'The bot stopped while planning; click Refresh to plan again.')) {
        deps.audit.record(null, { eventType: 'plan_failed', projectId: s.projectId, sessionId: s.id, action: 'plan', status: 'failure', details: { reason: 'restart' }, error: 'interrupted by restart' });
        planFailed.push(s);
      }
    });
  }
  return { interrupted, planFailed, reconciledProjects };
}

/** SIGTERM: interrupt running applies (SIGINT lets Terraform save state) and wait for them to be recorded. */
export async function interruptAll(): Promise<void> {
  const runs = [...runningApplies.values()];
  runs.forEach((r) => r.proc.cancel());
  await Promise.allSettled(runs.map((r) => r.done));
}
