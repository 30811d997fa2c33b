import { planOutputMessage } from '../views/plan.js';
import { handler } from './types.js';

/**
 * Refresh runs `terraform plan`, which takes longer than Discord's 3 seconds: acknowledge first,
 * show PLANNING, then the result. The full output is posted under the lobby as a channel message.
 */
export const planButton = handler('button', async (ctx, i, id, actor) => {
  await i.deferUpdate();
  const planning = ctx.orchestrator.plan(actor, id.sessionId);
  // Rejections are handled by the await below; this only keeps one from going unhandled meanwhile.
  planning.catch(() => undefined);
  // The orchestrator moved the session to PLANNING before its first await, so this redraw shows it.
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
  const outcome = await planning;
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
  const { channelId, messageId } = outcome.session;
  if (channelId) {
    await ctx.outbox.send(channelId, { ...planOutputMessage(outcome.session.projectId, outcome.session.id, outcome.plan), ...(messageId ? { replyTo: messageId } : {}) });
  }
});
