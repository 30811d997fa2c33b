import { replyOptions } from '../respond.js';
import { renderLobby } from '../views/lobby.js';
import { command, projectOption, providerOption } from './options.js';
import type { SlashCommand } from './types.js';

/** Opens a lobby: one public message that follows the session from DRAFT to its result. */
export const deployCommand: SlashCommand = {
  data: command('cloud-deploy', 'Open a deployment lobby for a project', [
    projectOption(),
    providerOption("Cloud provider (default: the project's)"),
  ]),
  async run(ctx, i, actor) {
    const session = await ctx.orchestrator.startSession(actor, i.options.getString('project', true), i.options.getString('provider') ?? undefined, i.channelId);
    const view = await ctx.orchestrator.sessionView(actor, session.id);
    const response = await i.reply({ ...replyOptions(renderLobby(view)), withResponse: true });
    const messageId = response.resource?.message?.id;
    if (messageId) await ctx.refs.remember(session.id, { channelId: i.channelId, messageId });
    else ctx.log.warn({ sessionId: session.id }, 'lobby reply returned no message; the lobby cannot be redrawn after a restart');
  },
};
