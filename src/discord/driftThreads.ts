import { createHash } from 'node:crypto';
import { DiscordAPIError } from 'discord.js';
import type { ProjectKey } from '../domain/projects.js';
import type { BotContext } from './context.js';
import { driftCard, driftThreadClosedNote, driftThreadOpenedNote, resolvedCard } from './views/drift.js';

/** Discord: "A thread has already been created for this message" — another process (or this one before a restart) made it. */
const THREAD_ALREADY_CREATED = 160004;

/** A nonce (≤ 25 characters) per drift and message: a takeover that posts again is dropped by Discord as a duplicate. */
const nonceOf = (kind: 'card' | 'open' | 'close', projectId: ProjectKey, since: string) =>
  `ce-d${kind[0]}-${createHash('sha256').update(`${projectId}\n${since}`).digest('hex').slice(0, 19)}`;

/**
 * Brings the project's drift thread in line with its drift, as kept in the store: opens it (one per
 * drift, claimed by compare-and-set so two processes, two sweeps or a restart never open two), updates its
 * card when a check changed what it shows, or closes it (a final message, the card without buttons,
 * archived) once the drift is gone. `askedFrom` is the channel a check was asked in: where a new thread opens.
 */
export async function syncDriftThread(ctx: BotContext, projectId: ProjectKey, askedFrom?: string): Promise<void> {
  const found = await ctx.orchestrator.driftOf(projectId);
  if (!found) return;
  const { project, state } = found;
  const { open, thread } = state;
  if (open && !thread) {
    const channelId = await ctx.orchestrator.driftChannel(project, askedFrom);
    if (!channelId || !await ctx.orchestrator.claimDriftThread(projectId)) return;
    const card = await ctx.outbox.send(channelId, { ...driftCard(project.name, open, state.checkedAt), nonce: nonceOf('card', projectId, open.since) });
    const threadId = await threadOn(ctx, channelId, card.id, project.name);
    // The card and its thread are what must not be made twice: recorded even when this note does not go through.
    await ctx.outbox.send(threadId, { content: driftThreadOpenedNote(project.name), nonce: nonceOf('open', projectId, open.since) })
      .catch((err: unknown) => ctx.log.warn({ err, projectId }, 'could not post the first message of a drift thread'));
    if (!await ctx.orchestrator.driftThreadOpened(projectId, { channelId, threadId, messageId: card.id, revision: state.revision })) {
      ctx.log.warn({ projectId }, 'a drift thread was opened after its claim was taken over');
    }
    return;
  }
  if (open && thread && thread.revision < state.revision) {
    await ctx.outbox.edit(thread.channelId, thread.messageId, driftCard(project.name, open, state.checkedAt));
    await ctx.orchestrator.driftThreadShown(projectId, thread.threadId, state.revision);
    return;
  }
  if (!open && thread) {
    // Each step is worth trying on its own (a deleted card or thread must not keep the thread open forever).
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['post the closing message', () => ctx.outbox.send(thread.threadId, { content: driftThreadClosedNote(project.name, state), nonce: nonceOf('close', projectId, thread.messageId) })],
      ['update the drift card', () => ctx.outbox.edit(thread.channelId, thread.messageId, resolvedCard(project.name, state))],
    ];
    if (thread.threadId !== thread.channelId) steps.push(['archive the thread', () => ctx.outbox.archiveThread(thread.threadId)]);
    for (const [doing, step] of steps) await step().catch((err: unknown) => ctx.log.warn({ err, projectId }, `could not ${doing} of a resolved drift`));
    await ctx.orchestrator.driftThreadClosed(projectId, thread.threadId);
  }
}

/**
 * The thread on the drift's card. One already started on it (by a process whose claim this one took over)
 * shares the card's id; where no thread can be started (no permission, a channel without threads) the drift
 * follows in the card's channel — recorded all the same, so the card is never posted again.
 */
async function threadOn(ctx: BotContext, channelId: string, cardId: string, project: string): Promise<string> {
  try {
    return (await ctx.outbox.startThread(channelId, cardId, `Drift: ${project}`)).id;
  } catch (err) {
    if (err instanceof DiscordAPIError && err.code === THREAD_ALREADY_CREATED) return cardId;
    ctx.log.warn({ err, project }, 'could not start a drift thread; the drift follows in the channel');
    return channelId;
  }
}

/** Every project whose drift thread is behind its drift (checks from the CLI, another process, a schedule). */
export async function syncDriftThreads(ctx: BotContext): Promise<void> {
  for (const projectId of await ctx.orchestrator.pendingDriftThreads()) {
    await syncDriftThread(ctx, projectId).catch((err: unknown) => ctx.log.warn({ err, projectId }, 'could not bring a drift thread up to date'));
  }
}

/** The bot's share of scheduled drift: the checks due now (claimed per project across processes), then the threads. */
export async function driftSweep(ctx: BotContext): Promise<void> {
  for (const check of await ctx.orchestrator.runDueDriftChecks()) {
    if (check.outcome !== 'checked') ctx.log.info({ projectId: check.projectId, outcome: check.outcome }, 'scheduled drift check did not run through');
  }
  await syncDriftThreads(ctx);
}
