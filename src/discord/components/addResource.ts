import { ComponentType } from 'discord.js';
import { validationError } from '../../core/errors.js';
import type { SessionView } from '../../core/views.js';
import { CATALOGS } from '../../resources/index.js';
import { RESOURCE_TYPE_LABELS, RESOURCE_TYPES, type ResourceType } from '../../resources/types.js';
import { encodeId } from '../customId.js';
import { modalPayload } from '../modals/build.js';
import { resourceForm, type FormContext } from '../modals/forms.js';
import { respond } from '../respond.js';
import { handler } from './types.js';

const EDITABLE = ['DRAFT', 'PLANNED', 'PLAN_FAILED'];

/** Refuses early, with the reason, instead of opening a form whose answers could not be saved. */
export function assertEditable(view: SessionView): void {
  if (!EDITABLE.includes(view.session.state)) throw validationError([`This session is ${view.session.state}; it can no longer be edited. Start a new one with /cloud-deploy.`]);
}

export function formContext(view: SessionView): FormContext {
  const specs = view.resources.map((r) => r.spec);
  return {
    provider: view.session.provider,
    region: specs[0]?.region ?? CATALOGS[view.session.provider].defaultRegion,
    networks: specs.filter((s) => s.type === 'vpc_network').map((s) => s.name),
  };
}

/** Add Resource → an ephemeral select of resource types. */
export const addButton = handler('button', async (ctx, i, id, actor) => {
  ctx.orchestrator.assertCan(actor, id.sessionId, 'session.edit');
  const view = ctx.orchestrator.sessionView(actor, id.sessionId);
  assertEditable(view);
  await respond(i, {
    ephemeral: true,
    content: `What should **${view.project.id}** get? Pick a type to open its form.`,
    components: [{
      type: ComponentType.ActionRow,
      components: [{
        type: ComponentType.StringSelect, custom_id: encodeId('type', id.sessionId), placeholder: 'Resource type',
        options: RESOURCE_TYPES.map((t) => ({ label: RESOURCE_TYPE_LABELS[t], value: t })),
      }],
    }],
  });
});

/** A type picked → that type's modal for the session's provider (a modal must be the first response). */
export const typeSelect = handler('select', async (ctx, i, id, actor) => {
  const type = i.values[0] as ResourceType | undefined;
  if (!type || !RESOURCE_TYPES.includes(type)) throw validationError([`type must be one of ${RESOURCE_TYPES.join(', ')}`]);
  const view = ctx.orchestrator.sessionView(actor, id.sessionId);
  assertEditable(view);
  const form = resourceForm(type, formContext(view));
  await i.showModal(modalPayload(encodeId('modal', id.sessionId, type), form.title, form.fields));
});
