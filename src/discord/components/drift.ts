import type { ButtonInteraction } from 'discord.js';
import type { Actor } from '../../policy/permissions.js';
import type { BotContext } from '../context.js';
import type { CustomId } from '../customId.js';
import { showPlannedLobby } from '../plannedLobby.js';
import { driftActionNote } from '../views/drift.js';
import { handler } from './types.js';

/**
 * Adopt / Revert on a drift card: a session of that purpose holding what the action chose, planned under
 * the project's lock (a refusal — no open drift, locked, not a deployer — is answered privately before
 * anything is posted); then its lobby in the card's channel and a note in the drift's thread.
 */
async function startFromCard(ctx: BotContext, i: ButtonInteraction, id: CustomId, actor: Actor, action: 'adopt' | 'revert'): Promise<void> {
  const started = await ctx.orchestrator.startDriftAction(actor, id.sessionId, action, i.channelId);
  await i.deferReply();
  const lobbyUrl = await showPlannedLobby(ctx, i, actor, started.outcome);
  const thread = (await ctx.orchestrator.driftOf(started.session.projectId))?.state.thread;
  if (thread) {
    await ctx.outbox.send(thread.threadId, { content: driftActionNote(action, actor.userId, lobbyUrl) })
      .catch((err: unknown) => ctx.log.warn({ err, sessionId: started.session.id }, 'could not post in the drift thread'));
  }
}

export const driftAdoptButton = handler('button', (ctx, i, id, actor) => startFromCard(ctx, i, id, actor, 'adopt'));
export const driftRevertButton = handler('button', (ctx, i, id, actor) => startFromCard(ctx, i, id, actor, 'revert'));
