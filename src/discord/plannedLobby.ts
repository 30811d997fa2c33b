import type { RepliableInteraction } from 'discord.js';
import type { PlanOutcome } from '../core/planning.js';
import type { Actor } from '../policy/permissions.js';
import type { BotContext } from './context.js';
import { replyOptions } from './respond.js';
import { renderLobby } from './views/lobby.js';
import { planOutputMessage } from './views/plan.js';

/**
 * A session an action started already planned (a rollback, a drift adopted or reverted): its lobby as the
 * deferred reply, for the team to review and approve, and the plan's output under it. Returns the lobby's link.
 */
export async function replyWithPlannedLobby(ctx: BotContext, i: RepliableInteraction, actor: Actor, outcome: PlanOutcome): Promise<string> {
  const channelId = i.channelId!;
  const view = await ctx.orchestrator.sessionView(actor, outcome.session.id);
  const { flags: _public, ...lobby } = replyOptions(renderLobby(view));
  const message = await i.editReply(lobby);
  await ctx.refs.remember(outcome.session.id, { channelId, messageId: message.id });
  await ctx.outbox.send(channelId, { ...planOutputMessage(outcome.session.projectId, outcome.session.id, outcome.plan), replyTo: message.id });
  return `https://discord.com/channels/${outcome.session.guildId}/${channelId}/${message.id}`;
}
