import { ComponentType } from './constants.js';
import { asArray, asObject, type JsonObject } from './json.js';

/** Text inputs take a string; string selects inside modals take the chosen option values. */
export type ModalFields = Record<string, string | string[]>;

function textInput(component: JsonObject, fields: ModalFields): JsonObject {
  const customId = String(component.custom_id);
  const value = fields[customId] ?? '';
  if (Array.isArray(value)) throw new Error(`emulator: modal field '${customId}' is a text input; pass a string`);
  if (value === '' && component.required !== false) throw new Error(`emulator: modal field '${customId}' is required`);
  const min = typeof component.min_length === 'number' ? component.min_length : 0;
  const max = typeof component.max_length === 'number' ? component.max_length : 4000;
  if (value !== '' && (value.length < min || value.length > max)) {
    throw new Error(`emulator: modal field '${customId}' must be ${min}-${max} characters, got ${value.length}`);
  }
  return { type: ComponentType.TextInput, id: component.id, custom_id: customId, value };
}

function stringSelect(component: JsonObject, fields: ModalFields): JsonObject {
  const customId = String(component.custom_id);
  const raw = fields[customId] ?? [];
  const values = Array.isArray(raw) ? raw : [raw];
  const allowed = asArray(component.options).map((o) => asObject(o).value);
  const unknown = values.filter((v) => !allowed.includes(v));
  if (unknown.length) throw new Error(`emulator: select '${customId}' has no option(s) ${unknown.join(', ')}`);
  const required = component.required !== false;
  const min = typeof component.min_values === 'number' ? component.min_values : required ? 1 : 0;
  const max = typeof component.max_values === 'number' ? component.max_values : 1;
  if (values.length < min || values.length > max) throw new Error(`emulator: select '${customId}' takes ${min}-${max} values, got ${values.length}`);
  return { type: ComponentType.StringSelect, id: component.id, custom_id: customId, values };
}

function submitted(component: JsonObject, fields: ModalFields): JsonObject {
  if (component.type === ComponentType.TextInput) return textInput(component, fields);
  if (component.type === ComponentType.StringSelect) return stringSelect(component, fields);
  throw new Error(`emulator: submitting modal components of type ${String(component.type)} is not supported`);
}

/**
 * The `data.components` of a MODAL_SUBMIT for the modal the bot showed. The submission
 * mirrors the modal's layout: legacy action rows (type 1) wrap a text input, while the
 * newer Label components (type 18) wrap a single text input or select in `component`.
 * discord.js 14.28 reads both shapes in ModalSubmitFields.
 */
export function modalComponents(modal: JsonObject, fields: ModalFields): JsonObject[] {
  const seen = new Set<string>();
  let nextId = 1;
  const withId = (component: JsonObject): JsonObject => {
    const id = typeof component.id === 'number' ? component.id : nextId;
    nextId = id + 1;
    if (typeof component.custom_id === 'string') seen.add(component.custom_id);
    return { ...component, id };
  };
  const components = asArray(modal.components).map((raw) => {
    const top = withId(asObject(raw));
    if (top.type === ComponentType.ActionRow) {
      return { type: top.type, id: top.id, components: asArray(top.components).map((c) => submitted(withId(asObject(c)), fields)) };
    }
    if (top.type === ComponentType.Label) return { type: top.type, id: top.id, component: submitted(withId(asObject(top.component)), fields) };
    return { type: top.type, id: top.id };
  });
  const extra = Object.keys(fields).filter((key) => !seen.has(key));
  if (extra.length) throw new Error(`emulator: the modal has no field(s) ${extra.join(', ')}`);
  return components;
}

/** A modal the bot never showed (e.g. a test of a submit handler alone): Labels inferred from values. */
export function inferredModal(customId: string, fields: ModalFields): JsonObject {
  return {
    custom_id: customId,
    components: Object.entries(fields).map(([key, value]) => ({
      type: ComponentType.Label,
      component: Array.isArray(value)
        ? { type: ComponentType.StringSelect, custom_id: key, options: value.map((v) => ({ value: v })), min_values: 0, max_values: Math.max(1, value.length) }
        : { type: ComponentType.TextInput, custom_id: key, required: false },
    })),
  };
}
