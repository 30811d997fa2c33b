import type { ExpiryStarted } from '../core/expiryDestroy.js';
import type { Project } from '../domain/projects.js';
import type { BotContext } from './context.js';
import { awaitingText, heldText, outcomeText, reminderMessage } from './views/lease.js';
import { planOutputMessage } from './views/plan.js';
import { renderLobby } from './views/lobby.js';

/** The project's channel: where its lease was set or it last deployed, else its alert channel, else the bot's. */
const channelOf = (ctx: BotContext, project: Project, leaseChannel: string | null) =>
  leaseChannel ?? project.settings.alert_channel_id ?? ctx.config.DISCORD_ALERT_CHANNEL_ID;

/**
 * Once per interval across every bot process: post the reminders newly due (each claimed in the store before it
 * is posted, so once across processes and restarts), start the destroy session of each lease whose end came
 * (claimed once), and say each settled expiry (expired with its cost, or stopped and why) once.
 */
export async function sweepLeases(ctx: BotContext): Promise<void> {
  for (const reminder of await ctx.orchestrator.claimLeaseReminders()) {
    const channelId = channelOf(ctx, reminder.project, reminder.lease.channelId);
    if (!channelId) continue;
    await ctx.outbox.send(channelId, reminderMessage(reminder)).catch((err: unknown) => ctx.log.warn({ err, projectId: reminder.project.id }, 'could not post a lease reminder'));
  }
  // An expiry plans and may apply for minutes: followed in the background, the sweep goes on.
  for (const started of await ctx.orchestrator.expireDueLeases()) void followExpiry(ctx, started);
  await announceLeaseOutcomes(ctx);
}

export async function announceLeaseOutcomes(ctx: BotContext): Promise<void> {
  for (const outcome of await ctx.orchestrator.claimLeaseOutcomes()) {
    const channelId = channelOf(ctx, outcome.project, outcome.lease.channelId);
    if (!channelId) continue;
    await ctx.outbox.send(channelId, { content: outcomeText(outcome) }).catch((err: unknown) => ctx.log.warn({ err, projectId: outcome.project.id }, 'could not say how a lease ended'));
  }
}

/**
 * An expiry's destroy session in the project's channel: its lobby and plan once planned; then, by the project's
 * rule, a wait for one approver, or the system's approval and the apply followed in the lobby's thread. Never throws.
 */
export async function followExpiry(ctx: BotContext, started: ExpiryStarted): Promise<void> {
  const { project, session } = started;
  try {
    const planned = await started.outcome;
    const channelId = channelOf(ctx, project, started.channelId);
    if (!channelId) {
      ctx.log.warn({ projectId: project.id, sessionId: session.id }, 'a lease ended with no channel to show its destroy session in');
      return;
    }
    const lobby = await ctx.outbox.send(channelId, renderLobby(await ctx.lobbies.view(session.id, project.guildId)));
    await ctx.refs.remember(session.id, { channelId, messageId: lobby.id });
    await ctx.outbox.send(channelId, { ...planOutputMessage(project.id, session.id, planned.plan), replyTo: lobby.id });
    if (planned.decision.kind === 'awaiting_approval') await ctx.outbox.send(channelId, { content: awaitingText(project.name), replyTo: lobby.id });
    if (planned.decision.kind === 'auto') {
      const approved = await ctx.orchestrator.approveExpiry(session.id);
      if (approved.kind === 'held') await ctx.outbox.send(channelId, { content: heldText(project.name), replyTo: lobby.id });
      else {
        // The system approved it: no one to name as approver in the thread (the lobby names it as the owner).
        ctx.applies.follow({ session: approved.session, lobby: { channelId, messageId: lobby.id }, approverId: '', approverName: approved.session.userName }, approved.run);
        await approved.run.result;
      }
      await ctx.lobbies.refresh(session.id, project.guildId);
    }
    await announceLeaseOutcomes(ctx);
  } catch (err) {
    ctx.log.error({ err, projectId: project.id, sessionId: session.id }, 'following an expiry failed');
  }
}
