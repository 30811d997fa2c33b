import { userInfo } from 'node:os';
import type { Actor } from '../policy/permissions.js';

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
