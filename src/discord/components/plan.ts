import type { PlanOutcome } from '../../core/planning.js';
import { planOutputMessage } from '../views/plan.js';
import { handler } from './types.js';

/**
 * The orchestrator checks rights and state synchronously when plan() is called, so a refusal is
 * already a rejected promise by the next microtask; anything still pending is a running plan.
 */
async function refusedAtOnce(planning: Promise<PlanOutcome>): Promise<unknown> {
  let refusal: unknown;
  planning.catch((e: unknown) => (refusal = e ?? new Error('plan rejected')));
  await null;
  return refusal;
}

/**
 * Refresh runs `terraform plan`, which takes longer than Discord's 3 seconds. A refusal is answered
 * directly (ephemeral, nothing changes); otherwise acknowledge, show PLANNING, then the result.
 * The full output is posted under the lobby as a channel message, independent of the 15-minute token.
 */
export const planButton = handler('button', async (ctx, i, id, actor) => {
  const planning = ctx.orchestrator.plan(actor, id.sessionId);
  const refusal = await refusedAtOnce(planning);
  if (refusal) throw refusal;
  await i.deferUpdate();
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
  const outcome = await planning;
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
  const { channelId, messageId } = outcome.session;
  if (channelId) {
    await ctx.outbox.send(channelId, { ...planOutputMessage(outcome.session.projectId, outcome.session.id, outcome.plan), ...(messageId ? { replyTo: messageId } : {}) });
  }
});
