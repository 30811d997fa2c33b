import { handler } from './types.js';

export const cancelButton = handler('button', async (ctx, i, id, actor) => {
  await ctx.orchestrator.cancel(actor, id.sessionId);
  await i.deferUpdate();
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});
