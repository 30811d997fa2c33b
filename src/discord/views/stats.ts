import type { APIEmbed } from 'discord.js';
import { typeLabel } from './format.js';
import { clampEmbed } from './limits.js';
import type { DeploymentStatistics } from '../../domain/stats.js';

export const CHART_FILE = 'deployments.png';

const duration = (ms: number | null) => (ms === null ? 'n/a' : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);

/** The seed's /cloud-stats: totals, success rate, top users and resource types, with the daily chart. */
export function statsEmbed(s: DeploymentStatistics): APIEmbed {
  const users = s.top_users.map((u, i) => `${i + 1}. <@${u.user_id}> · ${u.count}`).join('\n');
  const types = s.top_resource_types.map((t, i) => `${i + 1}. ${typeLabel(t.type)} · ${t.count}`).join('\n');
  return clampEmbed({
    title: `📊 Deployments · last ${s.days} day${s.days === 1 ? '' : 's'}`,
    description: s.total
      ? `**${s.total}** deployments: ${s.successful} succeeded, ${s.failed} failed, ${s.interrupted} interrupted, ${s.running} running`
      : 'No deployments in this window.',
    fields: [
      { name: 'Success rate', value: s.success_rate === null ? 'n/a' : `${s.success_rate}%`, inline: true },
      { name: 'Average apply', value: duration(s.avg_apply_duration_ms), inline: true },
      { name: 'Active sessions', value: String(s.active_sessions), inline: true },
      { name: 'Drift', value: `${s.drift.checks} check${s.drift.checks === 1 ? '' : 's'} · ${s.drift.detected} found drift · ${s.drift.open} drifting now`, inline: true },
      ...(users ? [{ name: 'Top deployers', value: users, inline: true }] : []),
      ...(types ? [{ name: 'Top resource types', value: types, inline: true }] : []),
    ],
    image: { url: `attachment://${CHART_FILE}` },
  });
}
