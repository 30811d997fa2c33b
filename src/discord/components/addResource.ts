import { CATALOGS } from '../../resources/index.js';
import { respond, update } from '../respond.js';
import { decodePlacement, decodeRegionPage, parseResourceType, directionStep, nextStep, providerRegionStep, typeStep, zoneStep } from '../views/placement.js';
import { editableView, editingFor, editingOf, editTarget, showForm, usualRegion } from './resourceForms.js';
import { handler } from './types.js';

/** Add Resource → an ephemeral select of resource types. */
export const addButton = handler('button', async (ctx, i, id, actor) => {
  const view = await editableView(ctx, actor, id.sessionId);
  await respond(i, { ephemeral: true, ...typeStep(id.sessionId, view.project.name) });
});

/** A type picked → its region step, on the page holding the session's usual region. */
export const typeSelect = handler('select', async (ctx, i, id, actor) => {
  const type = parseResourceType(i.values[0]);
  const view = await editableView(ctx, actor, id.sessionId);
  await update(i, providerRegionStep(id.sessionId, type, view.session.provider, usualRegion(view)));
});

/** Another page of regions, for a new resource or an edited one. */
export const regionPage = handler('button', async (ctx, i, id, actor) => {
  const { type, edit, page } = decodeRegionPage(id.arg);
  const view = await editableView(ctx, actor, id.sessionId);
  const editing = edit ? editingOf(editTarget(view, edit)) : undefined;
  await update(i, providerRegionStep(id.sessionId, type, view.session.provider, usualRegion(view), page, editing));
});

/** A region picked → the zone or direction step, or straight to the modal. */
export const regionSelect = handler('select', async (ctx, i, id, actor) => {
  const view = await editableView(ctx, actor, id.sessionId);
  const c = CATALOGS[view.session.provider];
  const placement = decodePlacement(`${id.arg ?? ''}.${i.values[0] ?? ''}`, c);
  const region = placement.region!;
  const step = nextStep(placement.type, c, region);
  if (step === 'zone') return update(i, zoneStep(id.sessionId, region, c.regions[region]!, editingFor(view, placement)));
  if (step === 'direction') return update(i, directionStep(id.sessionId, region, editingFor(view, placement)));
  return showForm(i, view, placement);
});

/** A VM's zone or a firewall rule's direction picked → the modal. */
export const detailSelect = handler('select', async (ctx, i, id, actor) => {
  const view = await editableView(ctx, actor, id.sessionId);
  await showForm(i, view, decodePlacement(`${id.arg ?? ''}.${i.values[0] ?? ''}`, CATALOGS[view.session.provider]));
});
