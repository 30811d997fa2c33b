import { decide, type Action, type Actor } from '../policy/permissions.js';
import type { CoreDeps } from './deps.js';
import { CoreError } from '../domain/errors.js';
import type { Project } from '../domain/projects.js';
import type { Session } from '../domain/sessions.js';

/** A project in another guild is reported as not found: its existence is not ours to reveal. */
export async function projectVisibleTo(deps: CoreDeps, actor: Actor, projectId: string): Promise<Project> {
  const project = await deps.store.projects.get(projectId);
  if (!project || (!actor.operator && project.guildId !== actor.guildId)) {
    throw new CoreError('not_found', `Project '${projectId.slice(0, 40)}' was not found in this server.`);
  }
  return project;
}

/** Loads the project and checks the actor may do `action`; refusals of admin actions are audited. */
export async function authorize(deps: CoreDeps, actor: Actor, projectId: string, action: Action, session?: Session): Promise<Project> {
  const project = await projectVisibleTo(deps, actor, projectId);
  const verdict = decide({
    actor, action, projectGuildId: project.guildId, role: await deps.store.members.role(project.id, actor.userId),
    sessionOwnerId: session?.userId, allowSelfApproval: project.settings.allow_self_approval,
  });
  if (!verdict.allowed) {
    await deps.audit.record(actor, {
      eventType: 'permission_denied', projectId: project.id, sessionId: session?.id ?? null, action, status: 'denied',
      details: { reason: verdict.reason },
    });
    throw new CoreError('forbidden', verdict.reason);
  }
  return project;
}

export async function loadSession(deps: CoreDeps, actor: Actor, sessionId: string): Promise<Session> {
  const session = await deps.store.sessions.get(sessionId);
  if (!session || (!actor.operator && session.guildId !== actor.guildId)) {
    throw new CoreError('not_found', 'This deployment session no longer exists.');
  }
  return session;
}
