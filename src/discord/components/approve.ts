import { ButtonStyle, ComponentType } from 'discord.js';
import { CoreError, isCoreError } from '../../domain/errors.js';
import type { Session } from '../../domain/sessions.js';
import type { Actor } from '../../policy/permissions.js';
import type { BotContext } from '../context.js';
import { encodeId, type CustomId } from '../customId.js';
import { respond, update } from '../respond.js';
import { refusalText } from '../views/refusals.js';
import { handler } from './types.js';

async function isProjectAdmin(ctx: BotContext, actor: Actor, projectName: string): Promise<boolean> {
  return actor.isGuildAdmin || (await ctx.orchestrator.members(actor, projectName)).some((m) => m.userId === actor.userId && m.role === 'admin');
}

/**
 * Approval is a compare-and-set in the orchestrator: of two simultaneous clicks one wins and the
 * other is told it was already approved. The winner's click starts the apply stream.
 */
const refsOf = (s: Session) => (s.channelId && s.messageId ? { channelId: s.channelId, messageId: s.messageId } : undefined);

async function approveAndApply(ctx: BotContext, actor: Actor, id: CustomId, budgetOverride: boolean, lobby?: { channelId: string; messageId: string }): Promise<void> {
  // Where the apply will be followed is settled before anything is approved: Terraform never runs unwatched.
  const fallback = lobby ?? refsOf((await ctx.orchestrator.sessionView(actor, id.sessionId)).session);
  if (!fallback) throw new CoreError('invalid_state', 'This session\'s lobby message is not known, so its apply could not be followed here; nothing was approved. Approve it from its lobby.');
  const { session, run } = await ctx.orchestrator.approveAndApply(actor, id.sessionId, { budgetOverride });
  ctx.applies.follow({ session, lobby: refsOf(session) ?? fallback, approverId: actor.userId, approverName: actor.userName }, run);
}

export const approveButton = handler('button', async (ctx, i, id, actor) => {
  try {
    await approveAndApply(ctx, actor, id, false, { channelId: i.channelId, messageId: i.message.id });
  } catch (e) {
    if (!isCoreError(e) || e.code !== 'budget') throw e;
    const admin = await isProjectAdmin(ctx, actor, (await ctx.orchestrator.sessionView(actor, id.sessionId)).project.name);
    return respond(i, {
      ephemeral: true,
      content: `💸 ${e.refusal ? refusalText(e.refusal) : e.userMessage}${admin ? '\nAs a project admin you may approve anyway; the override is recorded in the audit log.' : ''}`,
      components: admin ? [{
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.Button, custom_id: encodeId('override', id.sessionId), label: 'Approve with budget override', style: ButtonStyle.Danger }],
      }] : [],
    });
  }
  await i.deferUpdate();
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});

export const overrideButton = handler('button', async (ctx, i, id, actor) => {
  await approveAndApply(ctx, actor, id, true);
  await update(i, { content: '💸 Approved with a budget override. Deploying — follow the thread on the lobby.', components: [] });
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});
