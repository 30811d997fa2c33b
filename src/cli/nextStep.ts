import type { NextStep } from '../domain/errors.js';

/** What the operator can do about a refusal, as the command that does it (the project as <server>/<name>, which --project always takes). */
export function nextStepText(next: NextStep): string {
  switch (next.kind) {
    case 'new_session': return `start again: cloud-engine plan --project ${next.projectId} --resources <file>`;
    case 'replan': return `plan again: cloud-engine plan --project ${next.projectId} --resources <file>, then apply the new plan`;
    case 'wait_or_unlock': return `it is held by user ${next.holderUserId}: wait for it to finish, or release it with: cloud-engine unlock --project ${next.projectId} --reason <why>`;
    case 'pick_deployment': return `pick a deployment commit from: cloud-engine git log --project ${next.projectId}`;
    case 'set_identity': return `set one with: cloud-engine credentials --project ${next.projectId} --aws-role-arn <arn> (or --gcp-service-account, --azure-…); or let the operator allow the bot's own with CLOUD_DEFAULT_CREDENTIALS=allow`;
  }
}
