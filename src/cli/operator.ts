import { userInfo } from 'node:os';
import type { App } from '../app.js';
import { CoreError } from '../domain/errors.js';
import type { Actor } from '../policy/permissions.js';
import type { Project } from '../domain/projects.js';

/** The CLI acts as the local operator: whoever can run it already owns the database and workspaces. */
export function operatorActor(guildId = 'local'): Actor {
  let name = 'operator';
  try {
    name = userInfo().username || name;
  } catch {
    // Some containers have no passwd entry for the uid; the generic name is fine.
  }
  return { userId: `cli-${name}`, userName: name, guildId, isGuildAdmin: true, operator: true };
}

/** The project the operator named, or a not-found error that says how to create it. */
export async function existingProject(app: App, projectId: string): Promise<Project> {
  try {
    return await app.orchestrator.project(operatorActor(), projectId);
  } catch (e) {
    if (e instanceof CoreError && e.code === 'not_found') {
      throw new CoreError('not_found', `Project '${projectId.slice(0, 40)}' does not exist; create it with: cloud-engine project create <id> --provider sandbox`);
    }
    throw e;
  }
}
