import { noSuchResource, validationError } from '../../domain/errors.js';
import { CATALOGS } from '../../resources/index.js';
import { respond, update } from '../respond.js';
import { decodePickPage, pickStep, type PickPurpose } from '../views/picker.js';
import { decodePlacement, providerRegionStep } from '../views/placement.js';
import { editableView, editingOf, showForm } from './resourceForms.js';
import { handler } from './types.js';

/** Edit Resource / Remove Resource → an ephemeral select of the session's resources, a page at a time. */
const pickerButton = (purpose: PickPurpose) => handler('button', async (ctx, i, id, actor) => {
  const view = await editableView(ctx, actor, id.sessionId);
  if (!view.resources.length) throw validationError([`This session has no resources to ${purpose}.`]);
  await respond(i, { ephemeral: true, ...pickStep(id.sessionId, view.resources.map((r) => r.spec), purpose) });
});

export const editButton = pickerButton('edit');
export const removeButton = pickerButton('remove');

export const pickPage = handler('button', async (ctx, i, id, actor) => {
  const { purpose, page } = decodePickPage(id.arg);
  const view = await editableView(ctx, actor, id.sessionId);
  await update(i, pickStep(id.sessionId, view.resources.map((r) => r.spec), purpose, page));
});

export const removeSelect = handler('select', async (ctx, i, id, actor) => {
  const name = i.values[0];
  if (!name) throw validationError(['pick a resource to remove']);
  await ctx.orchestrator.removeResource(actor, id.sessionId, name);
  await update(i, { content: `🗑️ Removed **${name}**. Click **Refresh** on the lobby to plan again.`, components: [] });
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});

/** A resource picked to edit → where it goes: its region step, marked where it is now, with a button to keep it there. */
export const editSelect = handler('select', async (ctx, i, id, actor) => {
  const name = i.values[0] ?? '';
  const view = await editableView(ctx, actor, id.sessionId);
  const spec = view.resources.find((r) => r.spec.name === name)?.spec;
  if (!spec) throw noSuchResource(name);
  await update(i, providerRegionStep(id.sessionId, spec.type, view.session.provider, spec.region, undefined, editingOf(spec)));
});

/** Keep it where it is → the modal, prefilled with the resource as it is. */
export const keepButton = handler('button', async (ctx, i, id, actor) => {
  const view = await editableView(ctx, actor, id.sessionId);
  await showForm(i, view, decodePlacement(id.arg, CATALOGS[view.session.provider]));
});
