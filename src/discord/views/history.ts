import type { HistoryEntry } from '../../core/history.js';
import { codeBlock } from './format.js';
import { LIMITS, linesWithin } from './limits.js';

const OUTCOME: Record<string, string> = { succeeded: '✅', failed: '❌', interrupted: '⏹️', running: '🚀' };

/** One commit per line: short hash, date, author, message, approver, tags, and the deployment it recorded. */
export function gitLogMessage(projectId: string, entries: HistoryEntry[]): string {
  if (!entries.length) return `🗂️ **${projectId}** has no commits yet.`;
  const lines = entries.map((e) => {
    const d = e.deployment;
    const deployment = d ? ` · ${OUTCOME[d.status] ?? d.status} +${d.toAdd} ~${d.toChange} -${d.toDestroy}` : '';
    const tags = e.tags.length ? ` 🏷️ ${e.tags.join(', ')}` : '';
    const approved = e.approver ? ` · approved by **${e.approver.name}**` : '';
    return `\`${e.shortHash}\` ${e.date.slice(0, 16).replace('T', ' ')} **${e.author}** — ${e.message.split('\n')[0]}${approved}${tags}${deployment}`;
  });
  return `🗂️ History of **${projectId}**, newest first:\n${linesWithin(lines, LIMITS.content - 80)}`;
}

export interface DiffMessage {
  content: string;
  files?: Array<{ name: string; data: Buffer }>;
}

/** A diff inline when it fits one message, otherwise attached as a .diff file. */
export function gitDiffMessage(projectId: string, diff: { from: string; to: string; text: string; filesChanged: number }): DiffMessage {
  const head = `🔀 **${projectId}** \`${diff.from.slice(0, 7)}\` → \`${diff.to.slice(0, 7)}\`: ${diff.filesChanged} file${diff.filesChanged === 1 ? '' : 's'} changed`;
  if (!diff.text.trim()) return { content: `${head}. No differences.` };
  const inline = `${head}\n${codeBlock(diff.text.trimEnd()).replace(/^```/, '```diff')}`;
  if (inline.length <= LIMITS.content) return { content: inline };
  return { content: `${head}; the diff is attached.`, files: [{ name: `${projectId}-${diff.from.slice(0, 7)}-${diff.to.slice(0, 7)}.diff`, data: Buffer.from(diff.text) }] };
}
