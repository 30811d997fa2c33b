import { CATALOGS } from '../../resources/index.js';
import { readModalValues } from '../modals/build.js';
import { resourceForm } from '../modals/forms.js';
import { respond } from '../respond.js';
import { resourceAddedMessage } from '../views/messages.js';
import { decodePlacement } from '../views/placement.js';
import { formContext } from './addResource.js';
import { handler } from './types.js';

/**
 * A resource modal submitted: the values become a raw spec and the orchestrator validates and
 * saves it — or refuses it, naming each wrong field, and nothing is saved.
 */
export const resourceModal = handler('modal', async (ctx, i, id, actor) => {
  const view = await ctx.orchestrator.sessionView(actor, id.sessionId);
  const placement = decodePlacement(id.arg, CATALOGS[view.session.provider]);
  const form = resourceForm(placement.type, formContext(view, placement));
  const raw = form.toRaw(readModalValues(i.fields.fields.values(), form.fields));
  const { spec, estimate } = await ctx.orchestrator.addResource(actor, id.sessionId, raw);
  await respond(i, { content: resourceAddedMessage(spec, estimate), ephemeral: true });
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});
