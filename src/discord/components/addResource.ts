import type { StringSelectMenuInteraction } from 'discord.js';
import { sessionStateError } from '../../domain/errors.js';
import { allows } from '../../domain/sessions.js';
import type { SessionView } from '../../core/views.js';
import type { Actor } from '../../policy/permissions.js';
import { CATALOGS } from '../../resources/index.js';
import type { BotContext } from '../context.js';
import { encodeId } from '../customId.js';
import { modalPayload } from '../modals/build.js';
import { resourceForm, type Direction, type FormContext } from '../modals/forms.js';
import { respond, update } from '../respond.js';
import { decodePlacement, decodeRegionPage, parseResourceType, directionStep, encodePlacement, nextStep, regionPageOf, regionStep, typeStep, zoneStep, type Placement } from '../views/placement.js';
import { handler } from './types.js';


/** Refuses early, with the reason, instead of opening a form whose answers could not be saved. */
export function assertEditable(view: SessionView): void {
  if (!allows(view.session.state, 'edit')) throw sessionStateError(view.session.state, 'edit', { kind: 'new_session', projectId: view.session.projectId });
}

/** Where this session's resources are: its first one's region, else the provider's default. */
const usualRegion = (view: SessionView) => view.resources[0]?.spec.region ?? CATALOGS[view.session.provider].defaultRegion;

/** The form's context: what the steps chose (a modal from before the steps existed has only its type). */
export function formContext(view: SessionView, placement: Placement): FormContext {
  const specs = view.resources.map((r) => r.spec);
  const detail = placement.detail;
  return {
    provider: view.session.provider,
    region: placement.region ?? usualRegion(view),
    ...(detail !== undefined && placement.type === 'compute_vm' ? { zone: detail } : {}),
    ...(detail !== undefined && placement.type === 'firewall_rule' ? { direction: detail as Direction } : {}),
    networks: specs.filter((s) => s.type === 'vpc_network').map((s) => s.name),
  };
}

async function editableView(ctx: BotContext, actor: Actor, sessionId: string): Promise<SessionView> {
  await ctx.orchestrator.assertCan(actor, sessionId, 'session.edit');
  const view = await ctx.orchestrator.sessionView(actor, sessionId);
  assertEditable(view);
  return view;
}

/** The last step: the type's modal, for the place chosen (a modal must be the interaction's first response). */
async function showForm(i: StringSelectMenuInteraction, view: SessionView, placement: Placement): Promise<void> {
  const form = resourceForm(placement.type, formContext(view, placement));
  await i.showModal(modalPayload(encodeId('modal', view.session.id, encodePlacement(placement)), form.title, form.fields));
}

/** Add Resource → an ephemeral select of resource types. */
export const addButton = handler('button', async (ctx, i, id, actor) => {
  await ctx.orchestrator.assertCan(actor, id.sessionId, 'session.edit');
  const view = await ctx.orchestrator.sessionView(actor, id.sessionId);
  assertEditable(view);
  await respond(i, { ephemeral: true, ...typeStep(id.sessionId, view.project.name) });
});

/** A type picked → its region step, on the page holding the session's usual region. */
export const typeSelect = handler('select', async (ctx, i, id, actor) => {
  const type = parseResourceType(i.values[0]);
  const view = await editableView(ctx, actor, id.sessionId);
  const regions = Object.keys(CATALOGS[view.session.provider].regions);
  await update(i, regionStep(id.sessionId, type, regions, usualRegion(view), regionPageOf(regions, usualRegion(view))));
});

export const regionPage = handler('button', async (ctx, i, id, actor) => {
  const { type, page } = decodeRegionPage(id.arg);
  const view = await editableView(ctx, actor, id.sessionId);
  await update(i, regionStep(id.sessionId, type, Object.keys(CATALOGS[view.session.provider].regions), usualRegion(view), page));
});

/** A region picked → the zone or direction step, or straight to the modal. */
export const regionSelect = handler('select', async (ctx, i, id, actor) => {
  const view = await editableView(ctx, actor, id.sessionId);
  const c = CATALOGS[view.session.provider];
  const { type, region } = decodePlacement(`${id.arg ?? ''}.${i.values[0] ?? ''}`, c);
  const step = nextStep(type, c, region!);
  if (step === 'zone') return update(i, zoneStep(id.sessionId, region!, c.regions[region!]!));
  if (step === 'direction') return update(i, directionStep(id.sessionId, region!));
  return showForm(i, view, { type, region: region! });
});

/** A VM's zone or a firewall rule's direction picked → the modal. */
export const detailSelect = handler('select', async (ctx, i, id, actor) => {
  const view = await editableView(ctx, actor, id.sessionId);
  await showForm(i, view, decodePlacement(`${id.arg ?? ''}.${i.values[0] ?? ''}`, CATALOGS[view.session.provider]));
});
