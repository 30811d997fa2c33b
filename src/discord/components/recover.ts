import { RECOVERY_ACTIONS, type RecoveryAction } from '../../core/recoveryView.js';
import { showPlannedLobby } from '../plannedLobby.js';
import { respond } from '../respond.js';
import { handler } from './types.js';

/**
 * A recovery card's button: a refusal (not interrupted or failed, locked, nothing to roll back to, not
 * allowed) is answered at once; otherwise the new session's lobby comes once it is planned.
 */
export const recoverButton = handler('button', async (ctx, i, id, actor) => {
  const action = RECOVERY_ACTIONS.find((a) => a === id.arg) as RecoveryAction | undefined;
  if (!action) return respond(i, { content: 'This control is no longer supported.', ephemeral: true });
  const { outcome } = await ctx.orchestrator.startRecovery(actor, id.sessionId, action, i.channelId);
  await i.deferReply();
  // The stopped session's lobby says which way out was taken, and that the new session holds the project.
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
  await showPlannedLobby(ctx, i, actor, outcome);
});
