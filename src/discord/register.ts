import { Routes, type REST } from 'discord.js';
import { commandDefinitions } from './commands/index.js';

/** Replaces the application's commands with ours: on one guild (instant) or globally (slow to appear). */
export async function registerCommands(rest: REST, applicationId: string, guildId?: string): Promise<number> {
  const body = commandDefinitions();
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  await rest.put(route, { body });
  return body.length;
}

export async function applicationId(rest: REST): Promise<string> {
  return ((await rest.get(Routes.currentApplication())) as { id: string }).id;
}
