import { ConfigError } from '../config.js';
import { isCoreError, type ErrorCode } from '../domain/errors.js';
import { nextStepText } from './nextStep.js';
import { refusalText } from './refusals.js';
import type { CliIo } from './types.js';

const EXIT: Partial<Record<ErrorCode, number>> = { validation: 1, not_found: 4, forbidden: 3, locked: 5, conflict: 5, stale_plan: 5, budget: 6, quota: 6, storage: 74, git: 74, terraform: 78, unavailable: 69, policy: 7 };

/** C0/C1 controls (ANSI and OSC escapes, CR that rewrites a line, bells) and Unicode line separators; line feeds apart. */
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Shows control characters as escapes, so text from a file or a name can neither style the terminal nor forge a line. */
function visible(text: string, newlines: 'keep' | 'escape'): string {
  const shown = text.replace(CONTROLS, (c) => (c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  // A line break inside one problem is user text; the message's own lines are indented, so none passes for our output.
  return newlines === 'escape' ? shown.replace(/\n/g, '\\n') : shown.replace(/\n/g, '\n  ');
}

/** The one place the CLI turns errors into text and exit codes; bugs never print a stack unless asked. */
export function renderCliError(e: unknown, io: CliIo): number {
  if (e instanceof ConfigError) {
    for (const p of e.problems) io.err(`config: ${visible(p, 'escape')}`);
    return 78;
  }
  if (isCoreError(e)) {
    io.err(`error: ${visible(e.refusal ? refusalText(e.refusal) : e.message, 'keep')}`);
    for (const d of e.details) io.err(`  • ${visible(d, 'escape')}`);
    if (e.next) io.err(`  → ${visible(nextStepText(e.next), 'escape')}`);
    return EXIT[e.code] ?? 2;
  }
  io.err(`internal error: ${visible((e as Error)?.message ?? String(e), 'keep')}`);
  if (process.env.CLOUD_ENGINE_DEBUG) io.err((e as Error)?.stack ?? '');
  return 70;
}
