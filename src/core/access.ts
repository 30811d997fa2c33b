import { decide, type Action, type Actor } from '../policy/permissions.js';
import type { CoreDeps } from './deps.js';
import { notAllowed, noSuchProject, noSuchSession } from '../domain/errors.js';
import { isProjectName, isServerId, projectKey, type Project } from '../domain/projects.js';
import type { Session } from '../domain/sessions.js';

/**
 * The project `name` of the actor's server: a name is only ever looked up there, so another server's
 * project of the same name is neither reached nor revealed (the operator acts as one server at a time).
 */
export async function projectVisibleTo(deps: CoreDeps, actor: Actor, name: string): Promise<Project> {
  const found = isProjectName(name) && isServerId(actor.guildId) ? await deps.store.projects.get(projectKey(actor.guildId, name)) : undefined;
  // A row whose key disagrees with its own server and name (an edited store or backup) is nobody's project.
  const project = found?.guildId === actor.guildId && found.name === name ? found : undefined;
  if (!project) throw noSuchProject(name);
  return project;
}

/** A session's own project (the session was loaded for this actor, so its server is theirs). */
async function projectOfSession(deps: CoreDeps, actor: Actor, session: Session): Promise<Project> {
  const project = await deps.store.projects.get(session.projectId);
  if (!project || (!actor.operator && project.guildId !== actor.guildId)) throw noSuchSession();
  return project;
}

/**
 * Loads the project — named by the actor (a name in their server) or a session's — and checks the actor
 * may do `action`; refusals are audited.
 */
export async function authorize(deps: CoreDeps, actor: Actor, target: string | Session, action: Action): Promise<Project> {
  const session = typeof target === 'string' ? undefined : target;
  const project = session ? await projectOfSession(deps, actor, session) : await projectVisibleTo(deps, actor, target as string);
  const verdict = decide({
    actor, action, projectGuildId: project.guildId, role: await deps.store.members.role(project.id, actor.userId),
    sessionOwnerId: session?.userId, allowSelfApproval: project.settings.allow_self_approval,
  });
  if (!verdict.allowed) {
    await deps.audit.record(actor, {
      eventType: 'permission_denied', projectId: project.id, sessionId: session?.id ?? null, action, status: 'denied',
      details: { denial: verdict.denial },
    });
    throw notAllowed(verdict.denial);
  }
  return project;
}

export async function loadSession(deps: CoreDeps, actor: Actor, sessionId: string): Promise<Session> {
  const session = await deps.store.sessions.get(sessionId);
  if (!session || (!actor.operator && session.guildId !== actor.guildId)) {
    throw noSuchSession();
  }
  return session;
}
