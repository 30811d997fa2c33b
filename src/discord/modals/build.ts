import {
  ComponentType, TextInputStyle, type APIComponentInLabel, type APILabelComponent, type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import { z } from 'zod';
import { validationError } from '../../domain/errors.js';
import { maxLengthOf, type FieldDef, type FieldValues } from './fields.js';

export const MAX_MODAL_COMPONENTS = 5;

function inner(field: FieldDef): APIComponentInLabel {
  if (field.kind === 'text') {
    return {
      type: ComponentType.TextInput, custom_id: field.id, style: field.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
      required: field.required, max_length: maxLengthOf(field),
      ...(field.placeholder ? { placeholder: field.placeholder.slice(0, 100) } : {}),
      ...(field.value ? { value: field.value.slice(0, maxLengthOf(field)) } : {}),
    };
  }
  const min = field.minValues ?? 1;
  return {
    type: ComponentType.StringSelect, custom_id: field.id, required: min > 0, min_values: min, max_values: field.maxValues ?? 1,
    options: field.options.slice(0, 25).map((o) => ({
      label: o.label.slice(0, 100), value: o.value.slice(0, 100),
      ...(o.description ? { description: o.description.slice(0, 100) } : {}), ...(o.default ? { default: true } : {}),
    })),
  };
}

/** A modal of Label components (each wrapping one text input or string select), at most five. */
export function modalPayload(customId: string, title: string, fields: FieldDef[]): APIModalInteractionResponseCallbackData {
  if (fields.length > MAX_MODAL_COMPONENTS) throw new Error(`modal '${title}' has ${fields.length} inputs; Discord allows ${MAX_MODAL_COMPONENTS}`);
  const components: APILabelComponent[] = fields.map((f) => ({
    type: ComponentType.Label, label: f.label.slice(0, 45), ...(f.description ? { description: f.description.slice(0, 100) } : {}), component: inner(f),
  }));
  return { custom_id: customId, title: title.slice(0, 45), components };
}

const submittedField = z.union([
  z.object({ customId: z.string(), value: z.string() }),
  z.object({ customId: z.string(), values: z.array(z.string()) }),
]);

/** Discord's own limits: a text input holds at most 4000 characters, a select 25 values of 100. */
const withinDiscordLimits = (f: z.infer<typeof submittedField>) =>
  'values' in f ? f.values.length <= 25 && f.values.every((v) => v.length <= 100) : f.value.length <= 4000;

/** A select answered with something it never offered (a forged submission) would otherwise fall back to a default. */
function unofferedChoice(def: FieldDef | undefined, f: z.infer<typeof submittedField>): string | undefined {
  if (def?.kind !== 'select') return undefined;
  const offered = new Set(def.options.slice(0, 25).map((o) => o.value));
  return ('values' in f ? f.values : [f.value]).find((v) => !offered.has(v));
}

/**
 * Reads what a modal submitted (discord.js's parsed fields) into plain values; zod guards the edge.
 * A field beyond Discord's limits, or a choice the form (`defs`) never offered, is refused, never
 * dropped or mapped: either way it would silently take its default.
 */
export function readModalValues(fields: Iterable<unknown>, defs: FieldDef[] = []): FieldValues {
  const out: FieldValues = {};
  for (const raw of fields) {
    const parsed = submittedField.safeParse(raw);
    if (!parsed.success) continue; // a component kind our forms never show
    const f = parsed.data;
    if (!withinDiscordLimits(f)) throw validationError([`${f.customId.slice(0, 40)}: longer than a Discord form allows`]);
    const unoffered = unofferedChoice(defs.find((d) => d.id === f.customId), f);
    if (unoffered !== undefined) throw validationError([`${f.customId}: '${unoffered.slice(0, 40)}' is not one of the choices offered`]);
    out[f.customId] = 'values' in f ? f.values : f.value;
  }
  return out;
}
