import {
  ComponentType, TextInputStyle, type APIComponentInLabel, type APILabelComponent, type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import { z } from 'zod';
import type { FieldDef, FieldValues } from './fields.js';

export const MAX_MODAL_COMPONENTS = 5;

function inner(field: FieldDef): APIComponentInLabel {
  if (field.kind === 'text') {
    return {
      type: ComponentType.TextInput, custom_id: field.id, style: field.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
      required: field.required, max_length: field.maxLength ?? (field.paragraph ? 1000 : 200),
      ...(field.placeholder ? { placeholder: field.placeholder.slice(0, 100) } : {}),
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
  z.object({ customId: z.string(), value: z.string().max(4000) }),
  z.object({ customId: z.string(), values: z.array(z.string().max(100)).max(25) }),
]);

/** Reads what a modal submitted (discord.js's parsed fields) into plain values; zod guards the edge. */
export function readModalValues(fields: Iterable<unknown>): FieldValues {
  const out: FieldValues = {};
  for (const raw of fields) {
    const parsed = submittedField.safeParse(raw);
    if (!parsed.success) continue; // a component kind our forms never show
    const f = parsed.data;
    out[f.customId] = 'values' in f ? f.values : f.value;
  }
  return out;
}
