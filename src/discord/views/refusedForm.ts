import { ButtonStyle, ComponentType } from 'discord.js';
import { encodeId } from '../customId.js';
import { LIMITS, linesWithin } from './limits.js';
import type { StepMessage } from './placement.js';

/** One thing wrong with a submitted form: the input it is about, when it came from one. */
export interface FormProblem {
  label?: string;
  message: string;
}

/**
 * A refused form, privately: what is wrong, input by input, and a button that opens the form again with
 * what was typed (kept in the store as `draftId`), so nothing has to be typed twice.
 */
export function refusedFormMessage(sessionId: string, draftId: string, problems: FormProblem[]): StepMessage {
  const lines = problems.map((p) => (p.label ? `• **${p.label}**: ${p.message}` : `• ${p.message}`));
  const head = `❌ Not saved: ${problems.length === 1 ? 'one thing to fix' : `${problems.length} things to fix`}.`;
  const tail = 'Click **Edit and retry**: the form opens again with what you typed (kept for an hour).';
  return {
    content: `${head}\n${linesWithin(lines, LIMITS.content - head.length - tail.length - 2)}\n${tail}`,
    components: [{
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Edit and retry', custom_id: encodeId('retry', sessionId, draftId) }],
    }],
  };
}
