import type { BotContext } from './context.js';
import { isRetryableSendError } from './retries.js';
import { noticeAnnouncement } from './views/notices.js';

/**
 * Tells each lobby what happened to its session in any process (it expired; the CLI, another bot process
 * or an admin here force-released its lock): redraws the lobby and replies to it in its channel. Each
 * event is claimed in the store and posted under a nonce of its own, so two bot processes, a restart or a
 * retry after a lost response post it once. Never throws: what fails is logged and retried later.
 */
export async function announceNotices(ctx: BotContext): Promise<void> {
  try {
    for (const pending of await ctx.orchestrator.claimNotices()) {
      const { session, notice } = pending;
      await ctx.lobbies.refresh(session.id, session.guildId);
      try {
        await ctx.outbox.send(session.channelId!, { content: noticeAnnouncement(pending), nonce: `ce-notice-${notice.auditId}`, replyTo: session.messageId! });
      } catch (err) {
        // A channel the bot can no longer post in stays so: that notice is given up. Anything else is retried once the claim expires.
        ctx.log.warn({ err, sessionId: session.id, auditId: notice.auditId }, isRetryableSendError(err) ? 'notice not posted; retried later' : 'notice cannot be posted; given up');
        if (isRetryableSendError(err)) continue;
      }
      await ctx.orchestrator.noticeAnnounced(notice.auditId);
    }
  } catch (err) {
    ctx.log.error({ err }, 'announcing session events failed; retried at the next sweep');
  }
}
