import { validationError } from '../../core/errors.js';
import { RESOURCE_TYPES, type ResourceType } from '../../resources/types.js';
import { readModalValues } from '../modals/build.js';
import { resourceForm } from '../modals/forms.js';
import { respond } from '../respond.js';
import { resourceAddedMessage } from '../views/messages.js';
import { formContext } from './addResource.js';
import { handler } from './types.js';

/**
 * A resource modal submitted: the values become a raw spec and the orchestrator validates and
 * saves it — or refuses it, naming each wrong field, and nothing is saved.
 */
export const resourceModal = handler('modal', async (ctx, i, id, actor) => {
  const type = id.arg as ResourceType | undefined;
  if (!type || !RESOURCE_TYPES.includes(type)) throw validationError([`type must be one of ${RESOURCE_TYPES.join(', ')}`]);
  const view = ctx.orchestrator.sessionView(actor, id.sessionId);
  const form = resourceForm(type, formContext(view));
  const raw = form.toRaw(readModalValues(i.fields.fields.values(), form.fields));
  const { spec, estimate } = ctx.orchestrator.addResource(actor, id.sessionId, raw);
  await respond(i, { content: resourceAddedMessage(spec, estimate), ephemeral: true });
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});
