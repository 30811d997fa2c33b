import { CoreError } from '../domain/errors.js';
import { DRIFT_PERIOD_MS, driftScheduleOf, type DriftReport } from '../domain/drift.js';
import type { Project, ProjectKey } from '../domain/projects.js';
import type { CoreDeps } from './deps.js';
import { checkDrift } from './drift.js';

export interface ScheduledCheck {
  projectId: ProjectKey;
  outcome: 'checked' | 'locked' | 'failed';
  report?: DriftReport;
}

/**
 * The scheduled checks due now, run by the system. Each project's check is claimed in the store for its
 * period, so one process runs it; a project another session holds is given back and tried at the next
 * sweep (not an error). A failed check is audited by the check itself and waits for its next period.
 * Projects with nothing deployed and no open drift are not checked: they cannot drift.
 */
export async function runDueDriftChecks(deps: CoreDeps, check: (project: Project) => Promise<DriftReport> = (p) => checkDrift(deps, null, p)): Promise<ScheduledCheck[]> {
  const done: ScheduledCheck[] = [];
  for (const project of await deps.store.projects.list()) {
    const schedule = driftScheduleOf(project);
    if (schedule === 'off') continue;
    if (!(await deps.store.sessions.listDeployed(project.id)).length && !(await deps.store.driftStates.get(project.id))?.open) continue;
    const now = deps.clock.now();
    const next = new Date(now.getTime() + DRIFT_PERIOD_MS[schedule]).toISOString();
    if (!await deps.store.driftStates.claimCheck(project.id, now.toISOString(), next)) continue;
    try {
      done.push({ projectId: project.id, outcome: 'checked', report: await check(project) });
    } catch (e) {
      const locked = e instanceof CoreError && e.code === 'locked';
      // A process shutting down starts no more checks; the one it did not run is due again for the next process.
      const stopping = e instanceof CoreError && e.refusal?.kind === 'shutting_down';
      if (locked || stopping) await deps.store.driftStates.unclaimCheck(project.id, next);
      if (stopping) break;
      done.push({ projectId: project.id, outcome: locked ? 'locked' : 'failed' });
    }
  }
  return done;
}
