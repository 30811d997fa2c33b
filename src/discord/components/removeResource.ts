import { validationError } from '../../domain/errors.js';
import { respond, update } from '../respond.js';
import { removeStep } from '../views/removal.js';
import { assertEditable } from './addResource.js';
import { handler } from './types.js';

/** Remove Resource → an ephemeral select of the session's resources. */
export const removeButton = handler('button', async (ctx, i, id, actor) => {
  await ctx.orchestrator.assertCan(actor, id.sessionId, 'session.edit');
  const view = await ctx.orchestrator.sessionView(actor, id.sessionId);
  assertEditable(view);
  if (!view.resources.length) throw validationError(['This session has no resources to remove.']);
  await respond(i, { ephemeral: true, ...removeStep(id.sessionId, view.resources.map((r) => r.spec)) });
});

export const removeSelect = handler('select', async (ctx, i, id, actor) => {
  const name = i.values[0];
  if (!name) throw validationError(['pick a resource to remove']);
  await ctx.orchestrator.removeResource(actor, id.sessionId, name);
  await update(i, { content: `🗑️ Removed **${name}**. Click **Refresh** on the lobby to plan again.`, components: [] });
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});
