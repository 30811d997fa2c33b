import { planOutputMessage } from '../views/plan.js';
import { handler } from './types.js';

/**
 * Refresh runs `terraform plan`, which takes longer than Discord's 3 seconds. A refusal is answered
 * directly (ephemeral, nothing changes); otherwise acknowledge, show PLANNING, then the result.
 * The full output is posted under the lobby as a channel message, independent of the 15-minute token.
 */
export const planButton = handler('button', async (ctx, i, id, actor) => {
  const { outcome: planning } = await ctx.orchestrator.beginPlan(actor, id.sessionId);
  await i.deferUpdate();
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
  const outcome = await planning;
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
  const { channelId, messageId } = outcome.session;
  if (channelId) {
    await ctx.outbox.send(channelId, { ...planOutputMessage(outcome.session.projectId, outcome.session.id, outcome.plan), ...(messageId ? { replyTo: messageId } : {}) });
  }
});
