import type { DeploymentStatistics } from '../domain/stats.js';

const BAR_WIDTH = 30;

const ms = (v: number | null) => (v === null ? 'n/a' : v < 60_000 ? `${(v / 1000).toFixed(1)} s` : `${(v / 60_000).toFixed(1)} min`);

/** Columns padded to their widest cell; the last column is left ragged. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** What the statistics counted, in the terminal's words. */
export const statisticsScope = (guildId?: string): string => (guildId ? `guild ${guildId}` : 'all guilds');

/** The statistics as terminal text: a summary, the two rankings, and a bar per day (# succeeded, x failed, ~ interrupted). */
export function formatStatistics(s: DeploymentStatistics, guildId?: string): string[] {
  const scope = statisticsScope(guildId);
  const peak = Math.max(1, ...s.per_day.map((d) => d.succeeded + d.failed + d.interrupted));
  const bar = (n: number, ch: string) => ch.repeat(Math.round((n / peak) * BAR_WIDTH));
  return [
    `Deployments, last ${s.days} day(s), ${scope}`,
    `  total ${s.total}: ${s.successful} succeeded, ${s.failed} failed, ${s.interrupted} interrupted, ${s.running} running`,
    `  success rate ${s.success_rate === null ? 'n/a' : `${s.success_rate}%`}, average apply ${ms(s.avg_apply_duration_ms)}, active sessions ${s.active_sessions}`,
    `  drift: ${s.drift.checks} check(s), ${s.drift.detected} found drift, ${s.drift.open} project(s) drifting now`,
    '',
    ...(s.top_users.length ? table(['author', 'id', 'deployments'], s.top_users.map((u) => [u.user_name, u.user_id, String(u.count)])) : ['No deployments in this window.']),
    '',
    ...(s.top_resource_types.length ? [...table(['resource type', 'deployments'], s.top_resource_types.map((t) => [t.type, String(t.count)])), ''] : []),
    ...table(['day', 'ok', 'failed', 'interrupted', ''], s.per_day.map((d) => [d.date, String(d.succeeded), String(d.failed), String(d.interrupted), bar(d.succeeded, '#') + bar(d.failed, 'x') + bar(d.interrupted, '~')])),
  ];
}
