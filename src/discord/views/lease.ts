import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import type { LeaseReminder, LeaseView } from '../../core/expiry.js';
import type { LeaseOutcome } from '../../core/expiryDestroy.js';
import type { PolicyHit } from '../../domain/errors.js';
import type { EnvLease } from '../../domain/expiry.js';
import { formatUsd, micros } from '../../domain/money.js';
import { encodeId } from '../customId.js';
import type { OutgoingMessage } from '../outbox.js';
import { relativeTime } from './format.js';

/** `86400` → `1d`, `7200` → `2h`: a lease's length as users type it. */
export const durationText = (seconds: number) => (seconds % 86_400 === 0 ? `${seconds / 86_400}d` : `${Math.round(seconds / 3600)}h`);

/** Extend and Destroy now; their custom ids carry the project's name (the server is the clicker's), so they work after a restart. */
export function leaseButtons(project: string): APIActionRowComponent<APIButtonComponent> {
  return {
    type: ComponentType.ActionRow, components: [
      { type: ComponentType.Button, custom_id: encodeId('leaseExtend', project), label: 'Extend', style: ButtonStyle.Primary },
      { type: ComponentType.Button, custom_id: encodeId('leaseDestroy', project), label: 'Destroy now', style: ButtonStyle.Danger },
    ],
  };
}

export function reminderMessage(r: LeaseReminder): OutgoingMessage {
  const { lease, project } = r;
  return {
    content: `⏳ **${project.name}**'s environment lease ends ${relativeTime(lease.endsAt!)}: then a destroy plan removes everything it runs. `
      + `**Extend** pushes the end back by ${durationText(lease.ttlSeconds)} (an approver's click while the project is over budget); **Destroy now** starts that destroy session at once.`,
    components: [leaseButtons(project.name)],
    nonce: `ce-lr${r.lease.remindersSent}-${Math.floor(Date.parse(lease.endsAt!) / 1000)}`,
  };
}

export const extendedText = (project: string, lease: EnvLease, userId: string) =>
  `⏳ <@${userId}> extended **${project}**'s environment lease: it now ends ${relativeTime(lease.endsAt!)}.`;

export const destroyNowText = (project: string, sessionId: string, userId: string) =>
  `🗑️ <@${userId}> chose Destroy now for **${project}**: its destroy session \`${sessionId.slice(0, 8)}\` is planning; its lobby follows here.`;

const rulesText = (rules: PolicyHit[]) => rules.map((r) => `\`${r.ruleId}\`${r.resource ? ` (${r.resource})` : ''}`).join(', ');

const STOPPED: Record<NonNullable<EnvLease['stopReason']>, string> = {
  policy_blocked: 'policy blocks its destroy plan',
  plan_failed: 'its destroy plan failed',
  apply_failed: 'its destroy did not finish (the recovery card of its session says what it changed)',
  session_ended: 'its destroy session was cancelled or expired before it was approved',
};

/** What the channel is told once an expiry is settled. */
export function outcomeText(o: LeaseOutcome): string {
  const { lease, project } = o;
  if (lease.status === 'expired') {
    return `🗑️ **${project.name}**'s environment expired and was destroyed by its reviewed destroy plan (session \`${lease.destroySessionId?.slice(0, 8)}\`). `
      + `It ran up ${formatUsd(lease.costMicros ?? micros(0))} since ${relativeTime(lease.armedAt)} (monthly cost × hours it ran / 730).`;
  }
  const why = lease.stopReason ? STOPPED[lease.stopReason] : 'it was stopped';
  const rules = o.rules.length ? `: ${rulesText(o.rules)}` : '';
  return `🛡️ **${project.name}**'s lease ended but its environment was **not** destroyed: ${why}${rules}. It keeps running until someone extends the lease, chooses Destroy now, or ends the lease (\`/cloud-lease\`).`;
}

export const awaitingText = (project: string) => `⏳ **${project}**'s environment lease ended: its destroy plan (above) waits for one approver (the project's rule for expiry).`;
export const heldText = (project: string) => `🛡️ **${project}**'s destroy plan has soft-mandatory findings: a project admin overrides them in its lobby (above), then an approver approves it.`;

export function leaseShown(v: LeaseView): string {
  const rule = v.expiryApproval === 'auto' ? 'the system approves the destroy plan when policy allows it' : 'one approver approves the destroy plan';
  const budget = v.budget > 0 ? ` · runs ${formatUsd(v.deployedMonthly)}/month of its ${formatUsd(v.budget)} budget${v.deployedMonthly > v.budget ? ' (over: only an approver may extend)' : ''}` : '';
  const { lease } = v;
  if (!lease) return `**${v.project.name}** has no environment lease: it runs until someone destroys it.`;
  const state = {
    active: lease.endsAt ? `ends ${relativeTime(lease.endsAt)}` : 'starts counting at the first apply',
    expiring: `has ended: destroy session \`${lease.destroySessionId?.slice(0, 8) ?? '…'}\` is under way`,
    expired: `expired and was destroyed (it ran up ${formatUsd(lease.costMicros ?? micros(0))})`,
    stopped: `ended, but its destroy was stopped (${lease.stopReason ? STOPPED[lease.stopReason] : 'stopped'})`,
  }[lease.status];
  return `⏳ **${v.project.name}**'s environment lease (${durationText(lease.ttlSeconds)} after the last apply) ${state}. At the end, ${rule}${budget}.`;
}
