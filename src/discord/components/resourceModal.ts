import { isCoreError, type CoreError } from '../../domain/errors.js';
import type { SessionView } from '../../core/views.js';
import type { Actor } from '../../policy/permissions.js';
import { CATALOGS } from '../../resources/index.js';
import type { BotContext } from '../context.js';
import { readModalValues } from '../modals/build.js';
import type { FieldDef, FieldValues } from '../modals/fields.js';
import type { ResourceForm } from '../modals/forms.js';
import { inputLabel, withinForm } from '../modals/prefill.js';
import { respond } from '../respond.js';
import { resourceAddedMessage, resourceEditedMessage } from '../views/messages.js';
import { decodePlacement, type Placement } from '../views/placement.js';
import { refusedFormMessage, type FormProblem } from '../views/refusedForm.js';
import { editableView, editTarget, formFor, showForm } from './resourceForms.js';
import { handler } from './types.js';

/** Adds the resource, or replaces the one an edit is about; the answer the user sees. */
async function save(ctx: BotContext, actor: Actor, view: SessionView, placement: Placement, form: ResourceForm, values: FieldValues): Promise<string> {
  const raw = form.toRaw(values);
  if (!placement.edit) {
    const { spec, estimate } = await ctx.orchestrator.addResource(actor, view.session.id, raw);
    return resourceAddedMessage(spec, estimate);
  }
  return resourceEditedMessage(await ctx.orchestrator.editResource(actor, view.session.id, editTarget(view, placement.edit).name, raw));
}

const formProblems = (e: CoreError, fields: FieldDef[]): FormProblem[] =>
  (e.problems.length ? e.problems : [{ message: e.userMessage }]).map((p) => {
    const label = inputLabel(fields, p.field);
    return label ? { label, message: p.message } : { message: p.message };
  });

/**
 * A resource modal submitted: the values become a raw spec the orchestrator validates and saves. A refusal
 * names each wrong input, keeps what was typed (in the store: the button must outlive a restart) and offers
 * to open the form again with it; nothing is saved.
 */
export const resourceModal = handler('modal', async (ctx, i, id, actor) => {
  const view = await ctx.orchestrator.sessionView(actor, id.sessionId);
  const placement = decodePlacement(id.arg, CATALOGS[view.session.provider]);
  const form = formFor(view, placement);
  const values = readModalValues(i.fields.fields.values(), form.fields);
  let answer: string;
  try {
    answer = await save(ctx, actor, view, placement, form, values);
  } catch (e) {
    if (!isCoreError(e) || e.code !== 'validation') throw e;
    const draftId = await ctx.orchestrator.keepDraft(actor, id.sessionId, { form: id.arg!, values: withinForm(values, form.fields) });
    return respond(i, { ephemeral: true, ...refusedFormMessage(id.sessionId, draftId, formProblems(e, form.fields)) });
  }
  await respond(i, { content: answer, ephemeral: true });
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});

/** Edit and retry → the refused form again, opening with what was typed into it. */
export const retryButton = handler('button', async (ctx, i, id, actor) => {
  const typed = await ctx.orchestrator.draft(actor, id.sessionId, id.arg ?? '');
  const view = await editableView(ctx, actor, id.sessionId);
  await showForm(i, view, decodePlacement(typed.form, CATALOGS[view.session.provider]), typed.values);
});
