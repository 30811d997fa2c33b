import type { ButtonInteraction, ModalSubmitInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { Actor } from '../../policy/permissions.js';
import type { BotContext } from '../context.js';
import type { CustomId } from '../customId.js';

export interface Handles {
  button: ButtonInteraction;
  select: StringSelectMenuInteraction;
  modal: ModalSubmitInteraction;
}

/**
 * A component handler in two halves, as sapphire does: the codec has already parsed the custom id
 * into typed data; `run` reloads the session through the orchestrator and acts.
 */
export interface ComponentHandler<K extends keyof Handles = keyof Handles> {
  kind: K;
  run(ctx: BotContext, i: Handles[K], id: CustomId, actor: Actor): Promise<void>;
}

export const handler = <K extends keyof Handles>(kind: K, run: ComponentHandler<K>['run']): ComponentHandler<K> => ({ kind, run });
