import type { APIEmbed } from 'discord.js';
import type { BudgetVerdict } from '../../core/costing.js';
import type { DeploymentEstimate } from '../../core/ports.js';
import { formatUsd, type Money } from '../../domain/money.js';
import { PROVIDER_LABELS, type Provider } from '../../domain/resources.js';
import { STATE_BADGE, relativeTime, typeLabel } from './format.js';
import { clampEmbed, LIMITS, linesWithin } from './limits.js';
import { projectName, type Quota } from '../../domain/projects.js';
import type { Session } from '../../domain/sessions.js';

const messageLink = (s: Session) => (s.channelId && s.messageId ? ` · [lobby](https://discord.com/channels/${s.guildId}/${s.channelId}/${s.messageId})` : '');

export function sessionsEmbed(rows: Array<{ session: Session; holdsLock: boolean }>, projectId?: string): APIEmbed {
  const lines = rows.map(({ session: s, holdsLock }) =>
    `\`${s.id.slice(0, 8)}\` **${projectName(s.projectId)}** · ${STATE_BADGE[s.state]} · <@${s.userId}>${holdsLock ? ' · 🔒 holds the lock' : ''} · expires ${relativeTime(s.expiresAt)}${messageLink(s)}`);
  return clampEmbed({
    title: `Active sessions${projectId ? ` · ${projectId}` : ''}`,
    description: lines.length ? linesWithin(lines, LIMITS.embedDescription) : 'No active sessions.',
  });
}

export interface ProjectCostReport {
  project: { name: string };
  provider: Provider;
  estimate: DeploymentEstimate;
  budget: BudgetVerdict;
  alerts: Array<{ threshold: Money; above: boolean }>;
}

export function costEmbed(r: ProjectCostReport): APIEmbed {
  const lines = r.estimate.resources.map((e) => `• **${e.name}** · ${typeLabel(e.type)} · ${e.price_unknown ? 'price unknown' : `${formatUsd(e.monthly)}/mo`}`);
  const b = r.budget;
  const budget = b.compliant ? `${b.usage_pct ?? 0}% of ${formatUsd(b.limit)} (${formatUsd(b.remaining)} left)` : `🚫 ${formatUsd(b.overage)} over ${formatUsd(b.limit)}`;
  const alerts = r.alerts.map((a) => `${a.above ? '🔔' : '🔕'} ${formatUsd(a.threshold)}/month${a.above ? ' (exceeded)' : ''}`);
  return clampEmbed({
    title: `💰 Running cost · ${r.project.name} (${PROVIDER_LABELS[r.provider]})`,
    description: lines.length ? linesWithin(lines, LIMITS.embedDescription) : 'Nothing deployed yet.',
    fields: [
      { name: 'Total', value: `**${formatUsd(r.estimate.total_monthly)}/month**${r.estimate.complete ? '' : ' (some prices unknown)'}`, inline: true },
      { name: 'Budget', value: budget, inline: true },
      ...(alerts.length ? [{ name: 'Alerts', value: linesWithin(alerts, LIMITS.fieldValue) }] : []),
    ],
  });
}

export function quotaMessage(q: Quota): string {
  const or = <T>(v: T | null, show: (x: T) => string) => (v === null ? 'no limit' : show(v));
  return [
    `✅ Quota for **${projectName(q.projectId)}**:`,
    `• Max resources: ${or(q.maxResources, String)}`,
    `• Max monthly cost: ${or(q.maxMonthlyCostMicros, formatUsd)}`,
    `• Allowed regions: ${or(q.allowedRegions, (r) => r.join(', '))}`,
    `• Allowed machine types: ${or(q.allowedMachineTypes, (t) => t.join(', '))}`,
  ].join('\n');
}
