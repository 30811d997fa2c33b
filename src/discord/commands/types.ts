import type { AutocompleteInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Actor } from '../../policy/permissions.js';
import type { BotContext } from '../context.js';

/** A slash command: its definition is data (registered as is), its handler one orchestrator call. */
export interface SlashCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  run(ctx: BotContext, i: ChatInputCommandInteraction, actor: Actor): Promise<void>;
  /** Defaults to project-name completion for commands with an autocompleted `project` option. */
  autocomplete?(ctx: BotContext, i: AutocompleteInteraction, actor: Actor): Promise<void>;
}
