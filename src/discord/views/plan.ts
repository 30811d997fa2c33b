import type { APIEmbedField } from 'discord.js';
import type { SessionView } from '../../core/views.js';
import { codeBlock } from './format.js';
import { staleText } from './refusals.js';
import { LIMITS, linesWithin, truncate } from './limits.js';
import type { PlanRecord, ResourceChange } from '../../domain/plans.js';
import { projectName, type ProjectKey } from '../../domain/projects.js';

/** The seed's summary line, kept word for word: `📋 Plan: N to add, M to change, K to destroy`. */
export const planCountsLine = (p: Pick<PlanRecord, 'toAdd' | 'toChange' | 'toDestroy'>): string =>
  `📋 Plan: ${p.toAdd} to add, ${p.toChange} to change, ${p.toDestroy} to destroy`;

const SYMBOL: Record<string, string> = { create: '+', update: '~', delete: '-', read: '<=' };

function changeLine(c: ResourceChange): string {
  const replace = c.actions.includes('create') && c.actions.includes('delete');
  const symbol = replace ? '-/+' : (SYMBOL[c.actions[0] ?? ''] ?? '?');
  return `${symbol} ${c.address}`;
}

export function planField(view: SessionView): APIEmbedField {
  const { plan, session } = view;
  const name = '📋 Plan';
  if (session.state === 'PLANNING' || plan?.status === 'running') return { name, value: '⏳ Running `terraform plan`…' };
  if (!plan) return { name, value: view.resources.length ? 'Not planned yet. Click **Refresh** to run `terraform plan`.' : 'Add resources, then click **Refresh**.' };
  if (plan.status === 'failed') return { name, value: truncate(`⚠️ Plan failed: ${plan.error ?? 'see the plan output'}`, LIMITS.fieldValue) };
  if (plan.status === 'superseded') return { name, value: 'The resources changed since the last plan. Click **Refresh** to plan again.' };
  const changes = plan.changes.filter((c) => !c.actions.every((a) => a === 'no-op'));
  const lines = [
    planCountsLine(plan),
    ...(view.planStale ? [`⚠️ Stale: ${staleText(view.planStale)}. Click **Refresh** to plan again.`] : []),
    ...(plan.budgetOverrideBy ? [`💸 Budget override by <@${plan.budgetOverrideBy}>`] : []),
  ];
  const head = lines.join('\n');
  if (!changes.length) return { name, value: truncate(head, LIMITS.fieldValue) };
  const room = LIMITS.fieldValue - head.length - 10;
  return { name, value: `${head}\n${codeBlock(linesWithin(changes.map(changeLine), Math.max(20, room)))}` };
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
