import type { ButtonInteraction, StringSelectMenuInteraction } from 'discord.js';
import { CoreError, sessionStateError } from '../../domain/errors.js';
import type { ResourceSpec } from '../../domain/resources.js';
import { allows } from '../../domain/sessions.js';
import type { SessionView } from '../../core/views.js';
import type { Actor } from '../../policy/permissions.js';
import { CATALOGS } from '../../resources/index.js';
import type { BotContext } from '../context.js';
import { encodeId } from '../customId.js';
import { modalPayload } from '../modals/build.js';
import { maxLengthOf, type FieldValues } from '../modals/fields.js';
import { resourceForm, type Direction, type FormContext, type ResourceForm } from '../modals/forms.js';
import { specValues } from '../modals/prefill.js';
import { encodePlacement, resourceRef, type Editing, type Placement } from '../views/placement.js';

/** Refuses early, with the reason, instead of opening a form whose answers could not be saved. */
export function assertEditable(view: SessionView): void {
  if (!allows(view.session.state, 'edit')) throw sessionStateError(view.session.state, 'edit', { kind: 'new_session', projectId: view.session.projectId });
}

export async function editableView(ctx: BotContext, actor: Actor, sessionId: string): Promise<SessionView> {
  await ctx.orchestrator.assertCan(actor, sessionId, 'session.edit');
  const view = await ctx.orchestrator.sessionView(actor, sessionId);
  assertEditable(view);
  return view;
}

/** Where this session's resources are: its first one's region, else the provider's default. */
export const usualRegion = (view: SessionView) => view.resources[0]?.spec.region ?? CATALOGS[view.session.provider].defaultRegion;

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

/** The resource an edit's controls point at; one renamed or removed meanwhile (or, against all odds, two alike) is a refusal, never a guess. */
export function editTarget(view: SessionView, ref: string): ResourceSpec {
  const [spec, ...alike] = view.resources.filter((r) => resourceRef(r.spec.name) === ref).map((r) => r.spec);
  if (!spec) throw new CoreError('not_found', 'The resource being edited is no longer in this session (renamed or removed meanwhile); pick it again with Edit Resource.');
  if (alike.length) throw new CoreError('conflict', `Resources ${[spec, ...alike].map((s) => s.name).join(' and ')} cannot be told apart by this control; rename one of them in a resources file or remove and add it again.`);
  return spec;
}

/** An edited resource as its steps show it: where it is now. */
export function editingOf(spec: ResourceSpec): Editing {
  // A VM in a region without zones (Azure westus) carries the region's name as its zone: no zone to show or keep.
  const zone = spec.type === 'compute_vm' && spec.zone !== spec.region ? spec.zone : undefined;
  const detail = spec.type === 'firewall_rule' ? spec.direction : zone;
  return { ref: resourceRef(spec.name), name: spec.name, region: spec.region, ...(detail ? { detail } : {}) };
}

export const editingFor = (view: SessionView, placement: Placement): Editing | undefined =>
  (placement.edit ? editingOf(editTarget(view, placement.edit)) : undefined);

/** The modal for a placement: empty for a new resource, the resource as it is for an edit, or `typed` (Edit and retry). */
export function formFor(view: SessionView, placement: Placement, typed?: FieldValues): ResourceForm {
  const target = placement.edit ? editTarget(view, placement.edit) : undefined;
  const values = typed ?? (target ? specValues(target) : undefined);
  const form = resourceForm(placement.type, formContext(view, placement), { verb: target ? 'Edit' : 'Add', ...(values ? { values } : {}), ...(target ? { editing: target } : {}) });
  // Opened cut short, a save would change what nobody touched.
  const cut = !typed && values ? form.fields.find((f) => f.kind === 'text' && typeof values[f.id] === 'string' && (values[f.id] as string).length > maxLengthOf(f)) : undefined;
  if (cut) throw new CoreError('validation', `${target!.name}'s ${cut.label} holds more than its box in the form takes; edit it in a resources file (/cloud-export, then /cloud-import).`);
  return form;
}

/** The last step: the modal (it must be the interaction's first response). */
export async function showForm(i: StringSelectMenuInteraction | ButtonInteraction, view: SessionView, placement: Placement, typed?: FieldValues): Promise<void> {
  const form = formFor(view, placement, typed);
  await i.showModal(modalPayload(encodeId('modal', view.session.id, encodePlacement(placement)), form.title, form.fields));
}
