/**
 * Project-wide labels: one set a project admin gives once, carried by every resource of the project
 * beside each spec's own, with the very rules and words of the spec's `labels` field.
 */
import { validationError } from '../domain/errors.js';
import type { Labels, ResourceSpec } from '../domain/resources.js';
import { labels } from './fields.js';
import { MAX_LABELS_TEXT } from './validate.js';

/** What clears the setting besides blank text (a Discord option cannot be blank). */
const NONE = 'none';

/**
 * `owner=web, environment=prod` → the labels sorted by key; blank or `none` → undefined (no project labels).
 * Bad text is a validation error whose every problem names the field `labels`.
 */
export function parseProjectLabels(text: string): Labels | undefined {
  if (text.trim().toLowerCase() === NONE) return undefined;
  if (text.length > MAX_LABELS_TEXT) throw validationError([{ field: 'labels', message: `labels is ${text.length} characters long; at most ${MAX_LABELS_TEXT} are allowed` }]);
  const parsed = labels().safeParse(text);
  if (!parsed.success) throw validationError(parsed.error.issues.map((i) => ({ field: 'labels', message: i.message })));
  return parsed.data;
}

/**
 * The spec with the labels its cloud resources will carry: the project's, and over them the spec's own
 * (its value wins for a key both give), sorted by key. No project labels: the very spec, unchanged.
 */
export function withProjectLabels<S extends ResourceSpec>(spec: S, projectLabels: Labels | undefined): S {
  if (!projectLabels || !Object.keys(projectLabels).length) return spec;
  const merged = Object.entries({ ...projectLabels, ...spec.labels }).sort(([a], [b]) => (a < b ? -1 : 1));
  return { ...spec, labels: Object.fromEntries(merged) };
}
