import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { respond } from '../respond.js';
import type { SlashCommand } from './types.js';

/**
 * A command whose name and options are already part of the interface but whose handler is not
 * written yet: it says so plainly instead of pretending. Replace `comingSoon(...)` in its file.
 */
export const comingSoon = (data: RESTPostAPIChatInputApplicationCommandsJSONBody): SlashCommand => ({
  data,
  async run(_ctx, i) {
    await respond(i, { content: `🚧 /${data.name} is coming soon; it is not available yet.`, ephemeral: true });
  },
});
