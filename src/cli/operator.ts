import { userInfo } from 'node:os';
import type { App } from '../app.js';
import { CoreError, validationError } from '../domain/errors.js';
import type { Actor } from '../policy/permissions.js';
import { parseProjectKey, type Project } from '../domain/projects.js';

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

/**
 * The project a `--project` (and `--guild`) names, and the operator acting in its server: a project belongs
 * to its server, so a bare name is looked up across servers and must name exactly one.
 */
export async function projectScope(app: App, ref: string, guild?: string): Promise<{ project: Project; actor: Actor; name: string }> {
  const parts = parseProjectKey(ref);
  if (parts && guild !== undefined && guild !== parts.guildId) {
    throw validationError([{ field: 'guild', message: `--guild ${guild.slice(0, 64)} and --project ${ref.slice(0, 110)} name different servers; give one` }]);
  }
  const name = parts?.name ?? ref;
  let server = parts?.guildId ?? guild;
  if (server === undefined) {
    const servers = (await app.orchestrator.listProjects(operatorActor())).filter((p) => p.name === name).map((p) => p.guildId);
    if (servers.length > 1) {
      throw validationError([{ field: 'guild', message: `project '${name}' exists in ${servers.length} servers (${servers.join(', ')}); add --guild <server>, or write --project <server>/${name}` }]);
    }
    server = servers[0] ?? 'local';
  }
  const actor = operatorActor(server);
  try {
    return { project: await app.orchestrator.project(actor, name), actor, name };
  } catch (e) {
    if (e instanceof CoreError && e.code === 'not_found') {
      const where = parts || guild !== undefined ? ` in server ${server.slice(0, 64)}` : '';
      throw new CoreError('not_found', `Project '${name.slice(0, 40)}' does not exist${where}; create it with: cloud-engine project create <name> --provider sandbox --budget <usd> [--guild <server>]`);
    }
    throw e;
  }
}

