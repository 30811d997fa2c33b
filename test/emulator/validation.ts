import { ComponentType, MessageFlags } from './constants.js';
import { Errors, FormErrors } from './errors.js';
import { asArray, asObject, asString, isObject, type JsonObject } from './json.js';

type Path = (string | number)[];

/** Discord's documented message limits. */
const Limits = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  actionRows: 5,
  rowButtons: 5,
  componentsV2: 40,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectText: 100,
  placeholder: 150,
} as const;

const LINK_BUTTON = 5;
const PREMIUM_BUTTON = 6;
const SELECT_TYPES: readonly number[] = [
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
];

/** Validates content, embeds and components of a message create/edit body. */
function validateMessage(body: JsonObject, errors: FormErrors, at: Path = []): void {
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  errors.maxLength([...at, 'content'], body.content, Limits.content);
  validateEmbeds(asArray(body.embeds), errors, [...at, 'embeds']);
  if (flags & MessageFlags.IsComponentsV2) {
    for (const legacy of ['content', 'embeds'] as const) {
      if (body[legacy]) {
        errors.add([...at, legacy], 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'The \'content\' and \'embeds\' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2');
      }
    }
    validateComponentTree(asArray(body.components), errors, [...at, 'components']);
  } else {
    validateActionRows(asArray(body.components), errors, [...at, 'components']);
  }
}

/** Throws Discord's 400 (50035, or 50006 when empty) for a message create body. */
export function assertValidNewMessage(body: JsonObject, fileCount: number, at: Path = []): void {
  const errors = new FormErrors();
  validateMessage(body, errors, at);
  errors.throwIfAny();
  if (isEmptyMessage(body, fileCount)) throw Errors.emptyMessage();
}

/** Same for an edit, which is checked against the message it changes (e.g. its components-v2 flag). */
export function assertValidEdit(message: JsonObject & { attachments: unknown[] }, body: JsonObject, fileCount: number, at: Path = []): void {
  const errors = new FormErrors();
  validateMessage({ ...body, flags: body.flags ?? message.flags }, errors, at);
  errors.throwIfAny();
  const attachments = Array.isArray(body.attachments) ? body.attachments.length : message.attachments.length + fileCount;
  if (isEmptyMessage({ ...message, ...body }, attachments)) throw Errors.emptyMessage();
}

/** True when Discord would answer 50006 "Cannot send an empty message". */
function isEmptyMessage(body: JsonObject, fileCount: number): boolean {
  const nonEmpty = (value: unknown) => (Array.isArray(value) ? value.length > 0 : Boolean(value));
  return fileCount === 0 && !['content', 'embeds', 'components', 'sticker_ids', 'poll'].some((key) => nonEmpty(body[key]));
}

function validateEmbeds(embeds: unknown[], errors: FormErrors, at: Path): void {
  errors.maxLength(at, embeds, Limits.embeds);
  let total = 0;
  embeds.forEach((raw, i) => {
    const embed = asObject(raw);
    const path = [...at, i];
    const footer = asObject(embed.footer);
    const author = asObject(embed.author);
    errors.maxLength([...path, 'title'], embed.title, Limits.title);
    errors.maxLength([...path, 'description'], embed.description, Limits.description);
    errors.maxLength([...path, 'footer', 'text'], footer.text, Limits.footer);
    errors.maxLength([...path, 'author', 'name'], author.name, Limits.author);
    const fields = asArray(embed.fields);
    errors.maxLength([...path, 'fields'], fields, Limits.fields);
    total += [embed.title, embed.description, footer.text, author.name].reduce<number>((n, s) => n + (asString(s)?.length ?? 0), 0);
    fields.forEach((rawField, j) => {
      const field = asObject(rawField);
      errors.lengthBetween([...path, 'fields', j, 'name'], field.name, 1, Limits.fieldName);
      errors.lengthBetween([...path, 'fields', j, 'value'], field.value, 1, Limits.fieldValue);
      total += (asString(field.name)?.length ?? 0) + (asString(field.value)?.length ?? 0);
    });
  });
  if (total > Limits.embedTotal) {
    errors.add(at, 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${Limits.embedTotal}`);
  }
}

function validateActionRows(rows: unknown[], errors: FormErrors, at: Path): void {
  errors.maxLength(at, rows, Limits.actionRows);
  const customIds = new Set<string>();
  rows.forEach((raw, i) => {
    const row = asObject(raw);
    const path = [...at, i];
    if (row.type !== ComponentType.ActionRow) {
      errors.add([...path, 'type'], 'UNION_TYPE_CHOICES', `Value of field "type" must be one of (${ComponentType.ActionRow},).`);
      return;
    }
    const children = asArray(row.components);
    const hasSelect = children.some((c) => SELECT_TYPES.includes(asObject(c).type as number));
    if (children.length === 0 || children.length > (hasSelect ? 1 : Limits.rowButtons)) {
      errors.add([...path, 'components'], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${hasSelect ? 1 : Limits.rowButtons} in length.`);
    }
    children.forEach((child, j) => validateInteractive(asObject(child), errors, [...path, 'components', j], customIds));
  });
}

/** Components V2 nest layouts arbitrarily; only the interactive leaves have limits we check. */
function validateComponentTree(components: unknown[], errors: FormErrors, at: Path): void {
  const customIds = new Set<string>();
  let count = 0;
  const visit = (nodes: unknown[], path: Path) =>
    nodes.forEach((raw, i) => {
      const node = asObject(raw);
      count++;
      validateInteractive(node, errors, [...path, i], customIds);
      if (Array.isArray(node.components)) visit(node.components, [...path, i, 'components']);
      if (isObject(node.accessory)) visit([node.accessory], [...path, i, 'accessory']);
    });
  visit(components, at);
  if (count > Limits.componentsV2) {
    errors.add(at, 'COMPONENT_MAX_TOTAL_COMPONENTS_EXCEEDED', `Must be ${Limits.componentsV2} or fewer in length.`);
  }
}

function validateInteractive(component: JsonObject, errors: FormErrors, at: Path, customIds: Set<string>): void {
  const type = component.type;
  if (type !== ComponentType.Button && !SELECT_TYPES.includes(type as number)) return;
  const needsCustomId = type !== ComponentType.Button || (component.style !== LINK_BUTTON && component.style !== PREMIUM_BUTTON);
  if (needsCustomId) {
    errors.lengthBetween([...at, 'custom_id'], component.custom_id, 1, Limits.customId);
    const customId = asString(component.custom_id);
    if (customId !== undefined && customIds.has(customId)) {
      errors.add([...at, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
    }
    if (customId !== undefined) customIds.add(customId);
  } else if (component.style === LINK_BUTTON && !component.url) {
    errors.add([...at, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
  }
  if (type === ComponentType.Button) {
    errors.maxLength([...at, 'label'], component.label, Limits.buttonLabel);
    return;
  }
  validateSelect(component, errors, at);
}

const intBetween = (errors: FormErrors, path: Path, value: unknown, min: number, max: number) => {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    errors.add(path, 'NUMBER_TYPE_MAX', `Must be an integer between ${min} and ${max}.`);
  }
};

/**
 * A select menu in a message or a modal: placeholder, value counts and, for a string select, its
 * options — 1 to 25, values unique (Discord refuses duplicates), and no more defaults than can be chosen.
 */
export function validateSelect(select: JsonObject, errors: FormErrors, at: Path): void {
  errors.maxLength([...at, 'placeholder'], select.placeholder, Limits.placeholder);
  intBetween(errors, [...at, 'min_values'], select.min_values, 0, Limits.selectOptions);
  intBetween(errors, [...at, 'max_values'], select.max_values, 1, Limits.selectOptions);
  const min = typeof select.min_values === 'number' ? select.min_values : 1;
  const max = typeof select.max_values === 'number' ? select.max_values : 1;
  if (min > max) errors.add([...at, 'min_values'], 'SELECT_COMPONENT_MIN_VALUES_GREATER_THAN_MAX', 'min_values must be less than or equal to max_values.');
  if (select.type !== ComponentType.StringSelect) return;
  const options = asArray(select.options);
  const path = [...at, 'options'];
  if (options.length === 0 || options.length > Limits.selectOptions) {
    errors.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${Limits.selectOptions} in length.`);
  }
  if (max > options.length) errors.add([...at, 'max_values'], 'SELECT_COMPONENT_MAX_VALUES_TOO_LARGE', 'max_values must be less than or equal to the number of options.');
  const values = new Set<unknown>();
  let defaults = 0;
  options.forEach((raw, i) => {
    const option = asObject(raw);
    errors.lengthBetween([...path, i, 'label'], option.label, 1, Limits.selectText);
    errors.lengthBetween([...path, i, 'value'], option.value, 1, Limits.selectText);
    errors.maxLength([...path, i, 'description'], option.description, Limits.selectText);
    if (values.has(option.value)) errors.add([...path, i, 'value'], 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', 'Select menu option values must be unique.');
    values.add(option.value);
    if (option.default === true) defaults++;
  });
  if (defaults > max) errors.add(path, 'SELECT_COMPONENT_TOO_MANY_DEFAULT_VALUES', `At most ${max} option(s) can be default.`);
}
