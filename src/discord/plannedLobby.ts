import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { PlanOutcome } from '../core/planning.js';
import type { Actor } from '../policy/permissions.js';
import type { BotContext } from './context.js';
import { replyOptions } from './respond.js';
import { renderLobby } from './views/lobby.js';
import { planOutputMessage } from './views/plan.js';

/**
 * A session an action started already planned (a rollback, a recovery): once its plan is done, its lobby
 * is the deferred reply, for the team to review and approve, and the plan's output goes under it.
 */
export async function showPlannedLobby(ctx: BotContext, i: ChatInputCommandInteraction | ButtonInteraction, actor: Actor, planned: Promise<PlanOutcome>): Promise<void> {
  const outcome = await planned;
  const view = await ctx.orchestrator.sessionView(actor, outcome.session.id);
  const { flags: _public, ...lobby } = replyOptions(renderLobby(view));
  const message = await i.editReply(lobby);
  await ctx.refs.remember(outcome.session.id, { channelId: i.channelId, messageId: message.id });
  await ctx.outbox.send(i.channelId, { ...planOutputMessage(outcome.session.projectId, outcome.session.id, outcome.plan), replyTo: message.id });
}
