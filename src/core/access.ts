import { getRole } from '../db/members.js';
import { getProject, type Project } from '../db/projects.js';
import { getSession, type Session } from '../db/sessions.js';
import { decide, type Action, type Actor } from '../policy/permissions.js';
import type { CoreDeps } from './deps.js';
import { CoreError } from '../domain/errors.js';

/** A project in another guild is reported as not found: its existence is not ours to reveal. */
export function projectVisibleTo(deps: CoreDeps, actor: Actor, projectId: string): Project {
  const project = getProject(deps.db, projectId);
  if (!project || (!actor.operator && project.guildId !== actor.guildId)) {
    throw new CoreError('not_found', `Project '${projectId.slice(0, 40)}' was not found in this server.`);
  }
  return project;
}

/** Loads the project and checks the actor may do `action`; refusals of admin actions are audited. */
export function authorize(deps: CoreDeps, actor: Actor, projectId: string, action: Action, session?: Session): Project {
  const project = projectVisibleTo(deps, actor, projectId);
  const verdict = decide({
    actor, action, projectGuildId: project.guildId, role: getRole(deps.db, project.id, actor.userId),
    sessionOwnerId: session?.userId, allowSelfApproval: project.settings.allow_self_approval,
  });
  if (!verdict.allowed) {
    deps.audit.record(actor, {
      eventType: 'permission_denied', projectId: project.id, sessionId: session?.id ?? null, action, status: 'denied',
      details: { reason: verdict.reason },
    });
    throw new CoreError('forbidden', verdict.reason);
  }
  return project;
}

export function loadSession(deps: CoreDeps, actor: Actor, sessionId: string): Session {
  const session = getSession(deps.db, sessionId);
  if (!session || (!actor.operator && session.guildId !== actor.guildId)) {
    throw new CoreError('not_found', 'This deployment session no longer exists.');
  }
  return session;
}
