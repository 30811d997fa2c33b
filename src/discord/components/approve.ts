import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { OVERRIDE_REASON } from '../../core/approval.js';
import { CoreError, isCoreError } from '../../domain/errors.js';
import type { Session } from '../../domain/sessions.js';
import type { Actor } from '../../policy/permissions.js';
import type { BotContext } from '../context.js';
import { encodeId, type CustomId } from '../customId.js';
import { modalPayload, readModalValues } from '../modals/build.js';
import { text } from '../modals/fields.js';
import { respond, update } from '../respond.js';
import { votedText } from '../views/policy.js';
import { refusalText } from '../views/refusals.js';
import { handler } from './types.js';

async function isProjectAdmin(ctx: BotContext, actor: Actor, sessionId: string): Promise<boolean> {
  const projectName = (await ctx.orchestrator.sessionView(actor, sessionId)).project.name;
  return actor.isGuildAdmin || (await ctx.orchestrator.members(actor, projectName)).some((m) => m.userId === actor.userId && m.role === 'admin');
}

const refsOf = (s: Session) => (s.channelId && s.messageId ? { channelId: s.channelId, messageId: s.messageId } : undefined);

/**
 * An approval is a vote on the reviewed plan; the vote that completes the plan's tier moves it to
 * APPLYING by compare-and-set in the orchestrator, so of any number of simultaneous last votes one
 * starts the apply and the others are told it was already approved. Returns the vote's standing when
 * more are needed.
 */
async function approveAndApply(ctx: BotContext, actor: Actor, id: CustomId, budgetOverride: boolean, lobby?: { channelId: string; messageId: string }): Promise<{ counted: number; required: number } | undefined> {
  // Where the apply will be followed is settled before anything is approved: Terraform never runs unwatched.
  const fallback = lobby ?? refsOf((await ctx.orchestrator.sessionView(actor, id.sessionId)).session);
  if (!fallback) throw new CoreError('invalid_state', 'This session\'s lobby message is not known, so its apply could not be followed here; nothing was approved. Approve it from its lobby.');
  const approved = await ctx.orchestrator.approveAndApply(actor, id.sessionId, { budgetOverride });
  if (approved.kind === 'voted') return approved;
  ctx.applies.follow({ session: approved.session, lobby: refsOf(approved.session) ?? fallback, approverId: actor.userId, approverName: actor.userName }, approved.run);
  return undefined;
}

const row = (button: APIButtonComponent): APIActionRowComponent<APIButtonComponent> => ({ type: ComponentType.ActionRow, components: [button] });

/** A refusal an admin can get past from here (over budget, soft-mandatory policy), with the button that does it. */
async function refusalWithWayOut(ctx: BotContext, actor: Actor, id: CustomId, e: CoreError) {
  const text = e.refusal ? refusalText(e.refusal) : e.userMessage;
  const admin = await isProjectAdmin(ctx, actor, id.sessionId);
  if (e.code === 'budget') {
    return {
      content: `💸 ${text}${admin ? '\nAs a project admin you may approve anyway; the override is recorded in the audit log.' : ''}`,
      components: admin ? [row({ type: ComponentType.Button, custom_id: encodeId('override', id.sessionId), label: 'Approve with budget override', style: ButtonStyle.Danger })] : [],
    };
  }
  return {
    content: `🛡️ ${text}${admin ? '' : '\nAsk a project admin to review the findings.'}`,
    components: admin ? [row({ type: ComponentType.Button, custom_id: encodeId('policyOverride', id.sessionId), label: 'Override policy', style: ButtonStyle.Danger })] : [],
  };
}

export const approveButton = handler('button', async (ctx, i, id, actor) => {
  let voted: { counted: number; required: number } | undefined;
  try {
    voted = await approveAndApply(ctx, actor, id, false, { channelId: i.channelId, messageId: i.message.id });
  } catch (e) {
    const wayOut = isCoreError(e) && (e.code === 'budget' || e.refusal?.kind === 'policy_override_needed');
    if (!wayOut) throw e;
    return respond(i, { ephemeral: true, ...await refusalWithWayOut(ctx, actor, id, e) });
  }
  if (voted) await respond(i, { ephemeral: true, content: votedText(voted) });
  else await i.deferUpdate();
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});

export const overrideButton = handler('button', async (ctx, i, id, actor) => {
  const voted = await approveAndApply(ctx, actor, id, true);
  await update(i, { content: voted ? `💸 Budget override recorded. ${votedText(voted)}` : '💸 Approved with a budget override. Deploying — follow the thread on the lobby.', components: [] });
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});

const REASON_FIELD = 'reason';
const reasonForm = [text(REASON_FIELD, 'Why may these findings pass?', 'e.g. bastion host, SSH from anywhere until the VPN is up (ticket OPS-142)', true, {
  paragraph: true, maxLength: OVERRIDE_REASON.max, description: `Recorded in the audit log with your name (${OVERRIDE_REASON.min}-${OVERRIDE_REASON.max} characters).`,
})];

export const policyOverrideButton = handler('button', async (ctx, i, id, actor) => {
  // Asked before the form opens: nobody types a reason only to learn they may not give one.
  if (!await isProjectAdmin(ctx, actor, id.sessionId)) return respond(i, { ephemeral: true, content: `🛡️ ${refusalText({ kind: 'not_allowed', denial: 'not_project_admin' })}` });
  await i.showModal(modalPayload(encodeId('policyReason', id.sessionId), 'Override policy', reasonForm));
});

export const policyReasonModal = handler('modal', async (ctx, i, id, actor) => {
  const values = readModalValues(i.fields.fields.values(), reasonForm);
  const reason = values[REASON_FIELD];
  await ctx.orchestrator.overridePolicy(actor, id.sessionId, typeof reason === 'string' ? reason : '');
  await respond(i, { ephemeral: true, content: '🛡️ Policy override recorded in the audit log. The plan can now be approved; it holds while its findings stay the same.' });
  await ctx.lobbies.refresh(id.sessionId, actor.guildId);
});
