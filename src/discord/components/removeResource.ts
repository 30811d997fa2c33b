import { ComponentType } from 'discord.js';
import { validationError } from '../../core/errors.js';
import { encodeId } from '../customId.js';
import { respond, update } from '../respond.js';
import { keySettings, typeLabel } from '../views/format.js';
import { LIMITS, truncate } from '../views/limits.js';
import { assertEditable } from './addResource.js';
import { handler } from './types.js';

/** Remove Resource → an ephemeral select of the session's resources. */
export const removeButton = handler('button', async (ctx, i, id, actor) => {
  ctx.orchestrator.assertCan(actor, id.sessionId, 'session.edit');
  const view = ctx.orchestrator.sessionView(actor, id.sessionId);
  assertEditable(view);
  if (!view.resources.length) throw validationError(['This session has no resources to remove.']);
  const shown = view.resources.slice(0, LIMITS.selectOptions);
  const more = view.resources.length - shown.length;
  await respond(i, {
    ephemeral: true,
    content: `Which resource should go?${more ? ` (the first ${shown.length} are listed; ${more} more)` : ''}`,
    components: [{
      type: ComponentType.ActionRow,
      components: [{
        type: ComponentType.StringSelect, custom_id: encodeId('removeSelect', id.sessionId), placeholder: 'Resource to remove',
        options: shown.map(({ spec }) => ({
          label: truncate(spec.name, LIMITS.optionLabel), value: spec.name,
          description: truncate(`${typeLabel(spec.type)} · ${keySettings(spec)}`, LIMITS.optionDescription),
        })),
      }],
    }],
  });
});

export const removeSelect = handler('select', async (ctx, i, id, actor) => {
  const name = i.values[0];
  if (!name) throw validationError(['pick a resource to remove']);
  ctx.orchestrator.removeResource(actor, id.sessionId, name);
  await update(i, { content: `🗑️ Removed **${name}**. Click **Refresh** on the lobby to plan again.`, components: [] });
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});
