import type { AutocompleteInteraction, Interaction, RepliableInteraction } from 'discord.js';
import { actorOf } from './actor.js';
import { autocompleteProjects } from './commands/options.js';
import type { SlashCommand } from './commands/types.js';
import type { ComponentHandler, Handles } from './components/types.js';
import type { BotContext } from './context.js';
import { decodeId, type ActionKey } from './customId.js';
import { errorReply } from './errors.js';
import { respond } from './respond.js';

const kindOf = (i: Interaction): keyof Handles | undefined =>
  i.isButton() ? 'button' : i.isStringSelectMenu() ? 'select' : i.isModalSubmit() ? 'modal' : undefined;

/** The one place interactions enter: commands by name, components by their decoded custom id. */
export class InteractionRouter {
  private accepting = true;
  private readonly commands: Map<string, SlashCommand>;

  constructor(
    private readonly ctx: BotContext,
    commands: readonly SlashCommand[],
    private readonly components: Record<ActionKey, ComponentHandler>,
  ) {
    this.commands = new Map(commands.map((c) => [c.data.name, c]));
  }

  /** On shutdown: every new interaction is answered with a refusal, none starts work. */
  stopAccepting(): void {
    this.accepting = false;
  }

  async handle(i: Interaction): Promise<void> {
    try {
      if (i.isAutocomplete()) return await this.autocomplete(i);
      if (i.isRepliable()) await this.dispatch(i);
    } catch (e) {
      if (i.isRepliable()) await this.fail(i, e);
      else this.ctx.log.error({ err: e, interaction: i.id }, 'interaction failed');
    }
  }

  private async dispatch(i: RepliableInteraction): Promise<void> {
    const actor = actorOf(i, this.ctx.config.DISCORD_ADMIN_ROLE_ID);
    if (!actor) return respond(i, { content: 'Cloud Engine works inside a server, not in DMs.', ephemeral: true });
    if (!this.accepting) return respond(i, { content: '⏳ Cloud Engine is restarting; try again in a minute.', ephemeral: true });
    if (i.isChatInputCommand()) {
      const command = this.commands.get(i.commandName);
      if (!command) return this.unknown(i, `command /${i.commandName}`);
      return command.run(this.ctx, i, actor);
    }
    const kind = kindOf(i);
    if (!kind || !('customId' in i)) return this.unknown(i, `interaction type ${i.type}`);
    const id = decodeId(i.customId);
    const handler = id && this.components[id.action];
    if (!id || !handler || handler.kind !== kind) return this.unknown(i, `custom id '${i.customId}'`);
    return handler.run(this.ctx, i as never, id, actor);
  }

  private async autocomplete(i: AutocompleteInteraction): Promise<void> {
    const actor = actorOf(i, this.ctx.config.DISCORD_ADMIN_ROLE_ID);
    const command = this.commands.get(i.commandName);
    if (!actor || !command || !this.accepting) return void (await i.respond([]));
    try {
      await (command.autocomplete ?? autocompleteProjects)(this.ctx, i, actor);
    } catch (e) {
      this.ctx.log.warn({ err: e, command: i.commandName }, 'autocomplete failed');
      if (!i.responded) await i.respond([]).catch(() => undefined);
    }
  }

  /** Logged, not thrown: old messages and other bots' leftovers must not break anything. */
  private async unknown(i: RepliableInteraction, what: string): Promise<void> {
    this.ctx.log.warn({ interaction: i.id, what }, 'unknown interaction');
    await respond(i, { content: 'This control is no longer supported. Open a new lobby with /cloud-deploy.', ephemeral: true });
  }

  private async fail(i: RepliableInteraction, e: unknown): Promise<void> {
    const reply = errorReply(e, this.ctx.log, { interaction: i.id, user: i.user.id, ...('customId' in i ? { customId: i.customId } : {}) });
    await respond(i, reply).catch((err: unknown) => this.ctx.log.warn({ err, interaction: i.id }, 'could not report a failure to the user'));
  }
}
