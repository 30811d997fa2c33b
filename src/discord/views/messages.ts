import type { ApplyResult } from '../../core/applying.js';
import type { ApplyCounts, ApplyError } from '../../terraform/applyProgress.js';
import type { ResourceEdit } from '../../core/sessions.js';
import type { BudgetAlertNotice, ResourceEstimate } from '../../core/ports.js';
import type { ResourceSpec } from '../../domain/resources.js';
import type { Session } from '../../domain/sessions.js';
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

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `counts` is what Terraform reported; without it (a failed run) the summary says what was planned. */
export interface SummaryExtras {
  /** The log is attached to the summary; `omittedLines` at its start were left out to keep it under the upload limit. */
  attached?: { omittedLines: number };
  /** Errors beyond those posted one by one. */
  unpostedErrors?: number;
}

export function applySummaryMessage(result: ApplyResult, counts: ApplyCounts | undefined, extras: SummaryExtras = {}): string {
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
  if (result.push) lines.push(result.push.ok ? '⬆️ Pushed to the project\'s git remote.' : `⚠️ **The commit was not pushed** to the project's git remote: ${truncate(oneLine(result.push.error ?? 'push failed'), 300)}. It stays in the project's repository; fix the remote (\`/cloud-git-remote\`) and the next deployment pushes it.`);
  if (extras.unpostedErrors) lines.push(`❌ ${extras.unpostedErrors} more error(s) Terraform reported are ${extras.attached ? 'in the attached output' : 'not shown here'}.`);
  if (extras.attached) {
    lines.push(extras.attached.omittedLines
      ? `📎 Terraform's output is attached, without its first ${extras.attached.omittedLines} lines (the file is kept under Discord's upload limit).`
      : '📎 The whole Terraform output is attached.');
  }
  return truncate(lines.join('\n'), LIMITS.content);
}

/** The first words of an apply's thread, above its status board. */
export function applyHeader(session: Session, approverId: string | undefined, onWorker: boolean): string {
  const by = approverId ? `, approved by <@${approverId}>` : '';
  return `🚀 Applying the reviewed plan for **${projectName(session.projectId)}** (session \`${session.id.slice(0, 8)}\`)${by}.${onWorker ? ' A worker runs it.' : ''}`;
}

/** git's multi-line complaint as one line of the summary. */
const oneLine = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');

/** One error Terraform reported, as its own message in the apply's thread. */
export function applyErrorMessage(e: ApplyError): string {
  const at = e.address ? ` on \`${truncate(e.address, 200)}\`` : '';
  return truncate(`❌ **Terraform reported an error**${at}\n${codeBlock(truncate(e.lines.join('\n').trimEnd(), LIMITS.content - 300))}`, LIMITS.content);
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
