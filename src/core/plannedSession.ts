import type { Actor } from '../policy/permissions.js';
import type { Project } from '../domain/projects.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import type { AuditEventType } from '../domain/audit.js';
import { NORMAL_PLAN, type PlanMode, type Session, type SessionPurpose } from '../domain/sessions.js';
import type { CoreDeps } from './deps.js';
import { beginPlan, type PlanStarted } from './planning.js';
import { finalize, insertSessionTx, newSession } from './sessions.js';

/** A session an action starts already holding its configuration (a rollback, a drift adopted or reverted, a recovery, an expiry). */
export interface PlannedSessionRequest {
  purpose: Exclude<SessionPurpose, 'deploy'>;
  provider: Provider;
  specs: ResourceSpec[];
  planMode?: PlanMode;
  /** For a rollback: the commit whose configuration the session holds. */
  rollbackOf?: string;
  channelId?: string;
  /** What the action audits when the session is written (besides `session_created`), with its details. */
  audit?: { eventType: AuditEventType; details: Record<string, unknown> };
}

/**
 * Writes a session holding `specs` for the purpose and plans it under the project's lock like any other,
 * so the team reviews exactly what it will create, change and destroy, and approves it under the usual
 * rules. The caller authorized the actor for the action. A refusal before planning (locked, invalid)
 * cancels the draft, so nothing is left half-started.
 */
export async function startPlannedSession(deps: CoreDeps, actor: Actor, project: Project, req: PlannedSessionRequest): Promise<PlanStarted & { session: Session }> {
  const drafted = await newSession(deps, actor, project, req.provider, req.channelId);
  const session: Session = { ...drafted.session, purpose: req.purpose, planMode: req.planMode ?? NORMAL_PLAN, rollbackOf: req.rollbackOf ?? null };
  await deps.store.transaction(async () => {
    await insertSessionTx(deps, actor, session, req.specs, 0);
    if (req.audit) {
      await deps.audit.record(actor, { eventType: req.audit.eventType, projectId: project.id, sessionId: session.id, action: req.purpose, status: 'success', details: req.audit.details });
    }
  });
  try {
    return { ...(await beginPlan(deps, actor, session.id)), session };
  } catch (e) {
    await finalize(deps, actor, session, 'CANCELLED', 'session_cancelled', { from_state: 'DRAFT', reason: `${req.purpose}_refused` });
    throw e;
  }
}
