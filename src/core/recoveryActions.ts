import type { Actor } from '../policy/permissions.js';
import { authorize, loadSession } from './access.js';
import type { CoreDeps } from './deps.js';
import { lockedBy } from './leases.js';
import type { PlanStarted } from './planning.js';
import { startPlannedSession } from './plannedSession.js';
import { isRecoverable, lastGoodDeployment, recoveryView, supersedingApply, type RecoveryAction, type RecoveryView } from './recoveryView.js';
import { rollback } from './rollback.js';
import { noRollbackTarget, notRecoverable, recoverySuperseded } from '../domain/errors.js';
import type { Project } from '../domain/projects.js';
import type { Session } from '../domain/sessions.js';

/** The recovery card of a session, for this viewer (what they may do); refused when its apply did not stop part-way. */
export async function recoveryCard(deps: CoreDeps, actor: Actor, sessionId: string): Promise<RecoveryView> {
  const session = await loadSession(deps, actor, sessionId);
  const project = await authorize(deps, actor, session, 'project.view');
  const card = await recoveryView(deps, session, project, actor);
  if (!card) throw notRecoverable(session.state);
  return card;
}

/**
 * Starts one way out of an apply that stopped part-way, as a new session planned under the project's lock
 * and then reviewed, policy-checked and approved like any other:
 * - replan: the interrupted session's approved configuration, planned against the state it left;
 * - refresh: what the project runs now, planned refresh-only (applying it saves what really exists);
 * - rollback: the last successful deployment's commit (see rollback.ts).
 * Refused when the session's apply did not stop part-way, while the project is locked, and (rollback) when
 * nothing was ever deployed successfully. Resolves once the plan holds the project.
 */
export async function startRecovery(deps: CoreDeps, actor: Actor, sessionId: string, action: RecoveryAction, channelId?: string): Promise<PlanStarted & { commit?: string }> {
  const session = await loadSession(deps, actor, sessionId);
  const project = await authorize(deps, actor, session, action === 'rollback' ? 'project.admin' : 'session.start');
  if (!isRecoverable(session)) throw notRecoverable(session.state);
  const deployment = await deps.store.deployments.bySession(session.id);
  const later = deployment && await supersedingApply(deps, project, deployment);
  if (later) throw recoverySuperseded(later.sessionId);
  const lock = await deps.store.locks.get(project.id);
  if (lock) throw lockedBy(deps, lock);
  const started = await begin(deps, actor, session, project, action, channelId);
  await deps.audit.record(actor, {
    eventType: 'recovery_started', projectId: project.id, sessionId: session.id, action: `recover_${action}`, status: 'success',
    details: { action, new_session_id: started.session.id, ...(started.commit ? { target_commit: started.commit } : {}) },
  });
  return started;
}

async function begin(deps: CoreDeps, actor: Actor, session: Session, project: Project, action: RecoveryAction, channelId?: string): Promise<PlanStarted & { session: Session; commit?: string }> {
  const channel = channelId ? { channelId } : {};
  switch (action) {
    case 'replan': {
      const specs = await deps.store.sessions.listResources(session.id);
      return startPlannedSession(deps, actor, project, { purpose: 'replan', provider: session.provider, specs, ...channel });
    }
    case 'refresh': {
      const deployed = await deps.store.sessions.listDeployed(project.id);
      return startPlannedSession(deps, actor, project, {
        purpose: 'refresh', provider: deployed[0]?.provider ?? session.provider, specs: deployed.map((d) => d.spec), planMode: { kind: 'refresh_only' }, ...channel,
      });
    }
    case 'rollback': {
      const good = await lastGoodDeployment(deps, project);
      if (!good?.commitHash) throw noRollbackTarget(project.id);
      return rollback(deps, actor, project.name, good.commitHash, channelId);
    }
  }
}
