import type { APIEmbed } from 'discord.js';
import type { ApplyStatus } from '../../core/applying.js';
import type { ResourcePhase, ResourceProgress } from '../../terraform/applyProgress.js';
import { LIMITS, truncate } from './limits.js';

/** What the board shows: the apply's resources as they stand, and whether it is still running. */
export interface BoardView {
  rows: ResourceProgress[];
  tally: Record<ResourcePhase, number>;
  startedAt: number;
  now: number;
  /** Set once the apply has ended. */
  outcome?: ApplyStatus;
}

const TITLE = 'Apply progress';
const ICON: Record<ResourcePhase, string> = { pending: '⏳', running: '🔄', done: '✅', failed: '❌', stopped: '⏹️' };
const RUNNING: Record<string, string> = { create: 'creating', update: 'updating', delete: 'destroying', read: 'reading' };
const DONE: Record<string, string> = { create: 'created', update: 'updated', delete: 'destroyed', replace: 'replaced', read: 'read' };
const PLANNED: Record<string, string> = { create: 'to create', update: 'to update', delete: 'to destroy', replace: 'to replace', read: 'to read' };
const COLOR = { running: 0xf1c40f, succeeded: 0x2ecc71, failed: 0xe74c3c, interrupted: 0x95a5a6 } as const;
/** Failed first, then what is running (longest first), then what is next, then what finished most recently. */
const RANK: Record<ResourcePhase, number> = { failed: 0, stopped: 1, running: 2, pending: 3, done: 4 };

const duration = (s: number) => (s < 60 ? `${Math.floor(s)} s` : `${Math.floor(s / 60)} min ${Math.floor(s % 60)} s`);

function elapsed(r: ResourceProgress, now: number): number {
  const seen = r.seenStartAt === undefined ? 0 : (now - r.seenStartAt) / 1000;
  return Math.max(r.seconds ?? 0, seen);
}

/** An address as inline code; a backtick in a for_each key would end the code early, so it becomes a look-alike. */
const code = (address: string) => `\`${truncate(address.replace(/`/g, 'ˋ'), 120)}\``;

function describe(r: ResourceProgress, now: number, ended: boolean): string {
  const name = code(r.address);
  switch (r.phase) {
    case 'pending': return ended ? `⏸️ ${name} · not started` : `${ICON.pending} ${name} · ${PLANNED[r.action]}`;
    case 'running': return `${ICON.running} ${name} · ${RUNNING[r.doing ?? r.action] ?? 'running'} · ${duration(elapsed(r, now))}`;
    case 'done': return `${ICON.done} ${name} · ${DONE[r.action]}${r.seconds === undefined ? '' : ` in ${duration(r.seconds)}`}`;
    case 'failed': return `${ICON.failed} ${name} · failed`;
    case 'stopped': return `${ICON.stopped} ${name} · did not finish (${RUNNING[r.doing ?? r.action] ?? 'running'} when the apply ended)`;
  }
}

function order(rows: ResourceProgress[], now: number): ResourceProgress[] {
  return [...rows].sort((a, b) => RANK[a.phase] - RANK[b.phase]
    || (a.phase === 'running' ? elapsed(b, now) - elapsed(a, now) : 0)
    || (a.phase === 'done' ? b.changedAt - a.changedAt : 0));
}

function tallyLine(t: Record<ResourcePhase, number>, ended: boolean): string {
  const parts = [`✅ ${t.done} done`, `🔄 ${t.running} running`, ended && t.pending ? `⏸️ ${t.pending} not started` : `⏳ ${t.pending} pending`];
  if (t.failed) parts.push(`❌ ${t.failed} failed`);
  if (t.stopped) parts.push(`⏹️ ${t.stopped} unfinished`);
  return parts.join(' · ');
}

/**
 * One embed for the whole apply, whatever its size: as many resources as fit, in the order a reader
 * needs them (failures, then what runs now), and the rest summarised by phase.
 */
export function boardEmbed(v: BoardView): APIEmbed {
  const ended = v.outcome !== undefined && v.outcome !== 'succeeded';
  const rows = order(v.rows, v.now);
  const budget = LIMITS.embedDescription - 200;
  const shown: string[] = [];
  let size = 0;
  // Only the rows that fit are written out: a board of thousands is redrawn every second.
  for (const r of rows) {
    const line = describe(r, v.now, ended);
    if (size + line.length + 1 > budget) break;
    shown.push(line);
    size += line.length + 1;
  }
  const hidden = rows.slice(shown.length);
  if (hidden.length) {
    const byPhase = new Map<ResourcePhase, number>();
    for (const r of hidden) byPhase.set(r.phase, (byPhase.get(r.phase) ?? 0) + 1);
    const word = (p: ResourcePhase) => (p === 'stopped' ? 'unfinished' : p === 'pending' && ended ? 'not started' : p);
    shown.push(`… and ${hidden.length} more: ${[...byPhase].map(([p, n]) => `${n} ${word(p)}`).join(', ')}`);
  }
  const state = v.outcome ?? 'running';
  const status = { running: 'applying', succeeded: 'complete', failed: 'failed', interrupted: 'interrupted' }[state];
  return {
    title: TITLE,
    description: shown.length ? shown.join('\n') : 'Waiting for Terraform to start…',
    color: COLOR[state],
    footer: { text: `${tallyLine(v.tally, ended)} · ${status} · ${duration((v.now - v.startedAt) / 1000)}` },
  };
}

/** The board of an apply whose process stopped mid-way: what it showed is out of date, and says so. */
export function cutOffBoardEmbed(): APIEmbed {
  return {
    title: TITLE,
    description: 'The process running this apply stopped before it finished, so this board stopped too. The message below says what Terraform saved.',
    color: COLOR.interrupted,
    footer: { text: 'interrupted' },
  };
}
