import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { isCoreError, type ErrorCode } from '../domain/errors.js';
import type { Reply } from './respond.js';
import { nextStepText } from './views/nextStep.js';
import { refusalText } from './views/refusals.js';

const ICON: Record<ErrorCode, string> = {
  validation: '❌', not_found: '🔍', forbidden: '🚫', conflict: '⚠️', locked: '🔒', invalid_state: '⚠️', stale_plan: '♻️',
  quota: '🚫', budget: '💸', terraform: '🛠️', git: '🗂️', storage: '💾', unavailable: '📡', policy: '🛡️',
};

/**
 * Expected failures (CoreError) are shown to the user as they are; anything else is a bug: logged
 * with a reference the user can quote, and shown only as an apology.
 */
export function errorReply(e: unknown, log: Logger, context: Record<string, unknown>): Reply {
  if (isCoreError(e)) return { content: `${ICON[e.code]} ${e.refusal ? refusalText(e.refusal) : e.userMessage}${e.next ? `\n${nextStepText(e.next)}` : ''}`, ephemeral: true };
  const ref = randomUUID().slice(0, 8);
  log.error({ err: e, ref, ...context }, 'interaction failed');
  return { content: `😵 Something went wrong on our side. It has been logged (ref \`${ref}\`); please try again.`, ephemeral: true };
}
