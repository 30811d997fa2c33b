import { ComponentType } from './constants.js';
import { FormErrors } from './errors.js';
import { asArray, asObject, type JsonObject } from './json.js';
import { validateSelect } from './validation.js';

type Path = (string | number)[];

const MODAL_SELECTS: readonly number[] = [
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
];

/** Limits of the autocomplete result callback (type 8). */
export function validateAutocompleteResult(data: JsonObject): void {
  const errors = new FormErrors();
  const choices = asArray(data.choices);
  errors.maxLength(['data', 'choices'], choices, 25);
  choices.forEach((raw, i) => {
    const choice = asObject(raw);
    errors.lengthBetween(['data', 'choices', i, 'name'], choice.name, 1, 100);
    if (typeof choice.value === 'string') errors.maxLength(['data', 'choices', i, 'value'], choice.value, 100);
    else if (typeof choice.value !== 'number') errors.add(['data', 'choices', i, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
  });
  errors.throwIfAny();
}

function validateTextInput(input: JsonObject, errors: FormErrors, at: Path, inLabel: boolean): void {
  errors.lengthBetween([...at, 'custom_id'], input.custom_id, 1, 100);
  if (input.style !== 1 && input.style !== 2) errors.add([...at, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2}.');
  // Inside a Label the label text belongs to the Label; legacy action rows need it on the input.
  if (inLabel && input.label !== undefined) errors.add([...at, 'label'], 'COMPONENT_TEXT_INPUT_LABEL_NOT_ALLOWED', 'Label is not allowed on text inputs inside a Label component');
  if (!inLabel) errors.lengthBetween([...at, 'label'], input.label, 1, 45);
  errors.maxLength([...at, 'placeholder'], input.placeholder, 100);
  const bounded = (key: 'min_length' | 'max_length', min: number) => {
    const v = input[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 4000)) errors.add([...at, key], 'NUMBER_TYPE_MAX', `Must be an integer between ${min} and 4000.`);
  };
  bounded('min_length', 0);
  bounded('max_length', 1);
  const maxLength = typeof input.max_length === 'number' ? input.max_length : 4000;
  if (typeof input.min_length === 'number' && input.min_length > maxLength) errors.add([...at, 'min_length'], 'BASE_TYPE_BAD_LENGTH', 'min_length must be less than or equal to max_length.');
  errors.maxLength([...at, 'value'], input.value, maxLength);
}

/** The modal callback (type 9): title, custom_id and 1-5 top-level components. */
export function validateModal(data: JsonObject): void {
  const errors = new FormErrors();
  errors.lengthBetween(['data', 'custom_id'], data.custom_id, 1, 100);
  errors.lengthBetween(['data', 'title'], data.title, 1, 45);
  const components = asArray(data.components);
  const customIds = new Set<unknown>();
  const unique = (id: unknown, at: Path) => {
    if (customIds.has(id)) errors.add([...at, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
    customIds.add(id);
  };
  if (components.length < 1 || components.length > 5) errors.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  components.forEach((raw, i) => {
    const component = asObject(raw);
    const at = ['data', 'components', i];
    if (component.type === ComponentType.ActionRow) {
      const children = asArray(component.components).map(asObject);
      if (children.length !== 1 || children[0]!.type !== ComponentType.TextInput) {
        errors.add([...at, 'components'], 'MODAL_ACTION_ROW_INVALID', 'Action rows in modals must hold exactly one text input');
      } else {
        validateTextInput(children[0]!, errors, [...at, 'components', 0], false);
        unique(children[0]!.custom_id, [...at, 'components', 0]);
      }
    } else if (component.type === ComponentType.Label) {
      errors.lengthBetween([...at, 'label'], component.label, 1, 45);
      errors.maxLength([...at, 'description'], component.description, 100);
      const child = asObject(component.component);
      if (child.type === ComponentType.TextInput || MODAL_SELECTS.includes(child.type as number)) unique(child.custom_id, [...at, 'component']);
      if (child.type === ComponentType.TextInput) validateTextInput(child, errors, [...at, 'component'], true);
      else if (MODAL_SELECTS.includes(child.type as number)) {
        errors.lengthBetween([...at, 'component', 'custom_id'], child.custom_id, 1, 100);
        validateSelect(child, errors, [...at, 'component']);
      } else errors.add([...at, 'component', 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" is not a component allowed in a Label');
    } else if (component.type !== ComponentType.TextDisplay) {
      errors.add([...at, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1, 10, 18).');
    }
  });
  errors.throwIfAny();
}
