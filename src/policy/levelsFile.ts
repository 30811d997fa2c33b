import { parseDocument } from 'yaml';

/**
 * A pack file's text with `levels.<ruleId>` set to `level` (`text` null: a new file holding only that).
 * Edited as a YAML document, so whatever else the file holds — rules, other levels, comments — stays as
 * it was. The result is reviewed like any upload before it is committed.
 */
export function withLevel(text: string | null, ruleId: string, level: string): string {
  const doc = parseDocument(text ?? '');
  doc.setIn(['levels', ruleId], level);
  return doc.toString();
}
