import type { ApplyResult } from '../../core/applying.js';
import type { ResourceEdit } from '../../core/sessions.js';
import type { BudgetAlertNotice, ResourceEstimate } from '../../core/ports.js';
import type { ResourceSpec } from '../../domain/resources.js';
import { codeBlock, hourlyUsd, keySettings, typeLabel } from './format.js';
import { LIMITS, linesWithin, truncate } from './limits.js';
import { projectName } from '../../domain/projects.js';
import { formatUsd } from '../../domain/money.js';

/** What the user sees, ephemerally, after a resource modal is accepted (seed Example 1). */
export function resourceAddedMessage(spec: ResourceSpec, estimate: ResourceEstimate, verb = 'Added'): string {
  const cost = estimate.price_unknown
    ? `💰 Estimated Cost: not priced (${estimate.price_unknown})`
    : `💰 Estimated Cost: ${hourlyUsd(estimate.hourly)}/hour, ${formatUsd(estimate.monthly)}/month`;
  const lines = [`✅ ${typeLabel(spec.type)} ${verb}`, `**${spec.name}** · Configuration: ${keySettings(spec)}`, cost];
  if (estimate.recommendations.length) {
    lines.push('💡 Recommendations:', ...estimate.recommendations.map((r) => `  - ${r.message}`));
  }
  lines.push(...estimate.warnings.map((w) => `⚠️ ${w}`));
  return linesWithin(lines, LIMITS.content);
}

/** An accepted edit: as an added resource reads, and what its rename did. */
export function resourceEditedMessage(edit: ResourceEdit): string {
  const renamed = edit.renamedFrom ? [`✏️ Renamed from **${edit.renamedFrom}**${edit.movedRules.length ? `; firewall rule(s) ${edit.movedRules.join(', ')} moved with it` : ''}.`] : [];
  return linesWithin([...resourceAddedMessage(edit.spec, edit.estimate, 'Updated').split('\n'), ...renamed, 'Click **Refresh** on the lobby to plan again.'], LIMITS.content);
}

export interface ApplyCounts {
  added: number;
  changed: number;
  destroyed: number;
}

/** Terraform's own closing line is the truth about what happened; the plan's counts are the fallback. */
export function parseApplyCounts(line: string): ApplyCounts | undefined {
  const m = /Resources: (\d+) added, (\d+) changed, (\d+) destroyed/.exec(line);
  return m ? { added: Number(m[1]), changed: Number(m[2]), destroyed: Number(m[3]) } : undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `counts` is what Terraform reported; without it (a failed run) the summary says what was planned. */
export function applySummaryMessage(result: ApplyResult, counts: ApplyCounts | undefined): string {
  const d = result.deployment;
  const tally = counts
    ? `${counts.added} created, ${counts.changed} changed, ${counts.destroyed} destroyed`
    : `planned: ${d.toAdd} to add, ${d.toChange} to change, ${d.toDestroy} to destroy`;
  const serial = result.stateSerial === null ? 'no state saved' : `state serial ${result.stateSerial}`;
  const commit = result.commitHash ? `git commit \`${result.commitHash.slice(0, 7)}\`` : 'no git commit';
  const head = !result.recorded
    ? `⚠️ **Apply not recorded**: Terraform ${result.status} after ${seconds(result.durationMs)} · ${tally}, but this run had lost its lease — see below`
    : {
    succeeded: `✅ **Apply complete** · ${tally} · ${seconds(result.durationMs)}`,
    failed: `❌ **Apply failed** after ${seconds(result.durationMs)} · ${tally}`,
    interrupted: `⏹️ **Apply interrupted** after ${seconds(result.durationMs)} · ${tally}`,
    }[result.status];
  const lines = [head, `${serial} · ${commit}`];
  if (result.error) lines.push(codeBlock(truncate(result.error, 1200)));
  lines.push(...result.warnings.map((w) => `⚠️ ${w}`));
  return truncate(lines.join('\n'), LIMITS.content);
}

/**
 * The budget alert as admins receive it (seed Example 2). `withServer` names the project's server too, for
 * the operator's one alert channel that hears from every server.
 */
export function budgetAlertMessage(n: BudgetAlertNotice, withServer = false): string {
  const overage = n.overage > 0 ? `${formatUsd(n.overage)}/month over the limit` : 'None (still under limit)';
  return [
    `🚨 **Budget Alert: ${projectName(n.projectId)} project**${withServer ? ` (server ${n.guildId})` : ''}`,
    `Current estimate: ${formatUsd(n.estimate)}/month`,
    `Budget limit: ${formatUsd(n.budgetLimit)}/month`,
    `Overage: ${overage}`,
    `Alert threshold: ${formatUsd(n.threshold)}/month (exceeded)`,
    ...(n.sessionId ? [`Session: \`${n.sessionId.slice(0, 8)}\``] : []),
  ].join('\n');
}
