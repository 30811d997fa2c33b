import { CoreError } from '../domain/errors.js';
import { MAX_REPORTED_PROBLEMS } from './limits.js';

/** One validation error for a whole file: every problem, each saying where it is, so one fix round is enough. */
export function fileError(filename: string, problems: string[]): CoreError {
  const file = displayName(filename);
  if (problems.length === 1) return new CoreError('validation', `${file}: ${problems[0]}`);
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
  if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
  return new CoreError('validation', `${file}: ${problems.length} problems; nothing was imported`, shown);
}

/** File names come from users (Discord attachments): keep them short and on one line. */
function displayName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? filename;
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 57)}…` : clean;
}

export const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
