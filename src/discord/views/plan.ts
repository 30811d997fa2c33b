import type { APIEmbedField } from 'discord.js';
import type { SessionView } from '../../core/views.js';
import { codeBlock } from './format.js';
import { staleText } from './refusals.js';
import { LIMITS, truncate } from './limits.js';
import type { PlanRecord } from '../../domain/plans.js';
import { projectName, type ProjectKey } from '../../domain/projects.js';
import { FINAL_STATES } from '../../domain/sessions.js';
import { blocksWithin, changeBlock, reviewOrder } from './planChanges.js';

/** The seed's summary line, kept word for word: `📋 Plan: N to add, M to change, K to destroy`. */
export const planCountsLine = (p: Pick<PlanRecord, 'toAdd' | 'toChange' | 'toDestroy'>): string =>
  `📋 Plan: ${p.toAdd} to add, ${p.toChange} to change, ${p.toDestroy} to destroy`;

const moreResources = (n: number) => `+ ${n} more resource${n === 1 ? '' : 's'}: the whole plan is in the plan message`;

/**
 * Each resource's action and, for updates and replacements, what changes (before → after; Terraform's
 * sensitive values hidden) — destructive changes first, as many as fit; the rest are counted.
 */
function changesText(plan: PlanRecord, room: number): string {
  const changes = reviewOrder(plan.changes.filter((c) => !c.actions.every((a) => a === 'no-op')));
  return changes.length ? codeBlock(blocksWithin(changes.map(changeBlock), Math.max(20, room - 8), moreResources)) : '';
}

/** Where a session is over, nothing of the lobby can be clicked any more: the field says what became of the plan. */
function finalPlanText(view: SessionView): string | undefined {
  const { plan } = view;
  if (!FINAL_STATES.includes(view.session.state) || plan?.status === 'applied') return undefined;
  if (!plan) return 'Never planned.';
  if (plan.status === 'running') return 'The plan did not finish.';
  if (plan.status === 'failed') return truncate(`⚠️ Plan failed: ${plan.error ?? 'see the plan output'}`, LIMITS.fieldValue);
  return `${planCountsLine(plan)} — not applied.`;
}

export function planField(view: SessionView): APIEmbedField {
  const { plan, session } = view;
  const name = '📋 Plan';
  const final = finalPlanText(view);
  if (final !== undefined) return { name, value: final };
  if (session.state === 'PLANNING' || plan?.status === 'running') return { name, value: '⏳ Running `terraform plan`…' };
  if (!plan) return { name, value: view.resources.length ? 'Not planned yet. Click **Refresh** to run `terraform plan`.' : 'Add resources, then click **Refresh**.' };
  if (plan.status === 'failed') return { name, value: truncate(`⚠️ Plan failed: ${plan.error ?? 'see the plan output'}`, LIMITS.fieldValue) };
  if (plan.status === 'superseded') return { name, value: 'The resources changed since the last plan. Click **Refresh** to plan again.' };
  const head = [
    planCountsLine(plan),
    ...(view.planStale ? [`⚠️ Stale: ${staleText(view.planStale)}. Click **Refresh** to plan again.`] : []),
    ...(plan.budgetOverrideBy ? [`💸 Budget override by <@${plan.budgetOverrideBy}>`] : []),
  ].join('\n');
  const changes = changesText(plan, LIMITS.fieldValue - head.length - 1);
  return { name, value: truncate(changes ? `${head}\n${changes}` : head, LIMITS.fieldValue) };
}

export interface PlanOutputMessage {
  content: string;
  files?: Array<{ name: string; data: Buffer }>;
}

/** The full plan output: inline when it fits one message, otherwise attached as a text file. */
export function planOutputMessage(key: ProjectKey, sessionId: string, plan: PlanRecord): PlanOutputMessage {
  const project = projectName(key);
  const head = plan.status === 'succeeded'
    ? `${planCountsLine(plan)} · project **${project}**, session \`${sessionId.slice(0, 8)}\``
    : `⚠️ Plan failed · project **${project}**, session \`${sessionId.slice(0, 8)}\``;
  const output = plan.output.trim() || plan.error || '(terraform printed nothing)';
  const inline = `${head}\n${codeBlock(output)}`;
  if (inline.length <= LIMITS.content) return { content: inline };
  const name = `plan-${project}-${sessionId.slice(0, 8)}.txt`;
  return { content: `${head}\nThe full output is attached (${output.split('\n').length} lines).`, files: [{ name, data: Buffer.from(`${output}\n`) }] };
}
