import type { RecoveryReport } from '../core/recovery.js';
import type { BotContext } from './context.js';
import { applySummaryMessage } from './views/messages.js';

/** Expires idle sessions on a timer and redraws their lobbies as EXPIRED. Returns the stop function. */
export function startExpirySweep(ctx: BotContext, intervalMs: number): () => void {
  const timer = setInterval(() => {
    try {
      for (const s of ctx.orchestrator.expireIdle()) void ctx.lobbies.refresh(s.id, s.guildId);
    } catch (err) {
      ctx.log.error({ err }, 'expiry sweep failed');
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** After a crash or restart: redraw lobbies the core marked INTERRUPTED / PLAN_FAILED, close their threads. */
export async function announceRecovery(ctx: BotContext, report: RecoveryReport): Promise<void> {
  for (const result of report.interrupted) {
    const { session } = result;
    if (session.threadId) {
      await ctx.outbox.send(session.threadId, { content: applySummaryMessage(result, undefined) })
        .catch((err: unknown) => ctx.log.warn({ err, sessionId: session.id }, 'could not post the recovery note'));
    }
    await ctx.lobbies.refresh(session.id, session.guildId);
  }
  for (const session of report.planFailed) await ctx.lobbies.refresh(session.id, session.guildId);
}
