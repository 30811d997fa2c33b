import type { NextStep } from '../../domain/errors.js';

/** What the user can do about a refusal, in the lobby's terms: its buttons and the slash commands. */
export function nextStepText(next: NextStep): string {
  switch (next.kind) {
    case 'new_session': return 'Start a new one with `/cloud-deploy`.';
    case 'replan': return 'Click **Refresh** to plan again, then approve the new plan.';
    case 'wait_or_unlock': return `It is held by <@${next.holderUserId}>: wait for it to finish, or ask an admin to \`/cloud-unlock\` it.`;
    case 'pick_deployment': return 'Pick a deployment commit from `/cloud-git-log`.';
    case 'set_identity': return "A project admin sets one with `/cloud-credentials`; the operator may allow the bot's own with CLOUD_DEFAULT_CREDENTIALS=allow.";
  }
}
