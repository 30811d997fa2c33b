import type { RecoveryReport } from '../core/recovery.js';
import { announceNotices } from './announcements.js';
import { driftSweep } from './driftThreads.js';
import { sweepLeases } from './leases.js';
import type { BotContext } from './context.js';
import { cutOffBoardEmbed } from './views/board.js';
import { applySummaryMessage } from './views/messages.js';

/**
 * On a timer, in every bot process: take up the relays of bot processes that stopped; and, once per
 * interval across every process on the store, settle runs whose owner died or whose lease expired (in
 * any process), expire idle sessions, and redraw the lobbies concerned; remind and expire environment leases; then
 * announce session events. Beside it, on the same timer but never holding it up (a check runs Terraform): the
 * scheduled drift checks due (each claimed per project) and the drift threads behind their drift. Returns the stop function.
 */
export function startSweep(ctx: BotContext, intervalMs: number): () => void {
  let busy = false;
  let drifting = false;
  const sweep = async () => {
    await ctx.relays.adoptOrphans();
    if (await ctx.orchestrator.claimSweep('recover', intervalMs)) await announceRecovery(ctx, await ctx.orchestrator.recover());
    if (await ctx.orchestrator.claimSweep('leases', intervalMs)) await sweepLeases(ctx);
    // Every process: what any process expired or force-unlocked (this sweep included), each event claimed once.
    await announceNotices(ctx);
  };
  const timer = setInterval(() => {
    if (!drifting) {
      drifting = true;
      driftSweep(ctx)
        .catch((err: unknown) => ctx.log.error({ err }, 'drift sweep failed'))
        .finally(() => { drifting = false; });
    }
    if (busy) return;
    busy = true;
    sweep()
      .catch((err: unknown) => ctx.log.error({ err }, 'sweep failed'))
      .finally(() => { busy = false; });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * After recovery: redraw lobbies the core marked INTERRUPTED / PLAN_FAILED, close the threads of cut-off applies
 * with what was saved and the recovery card (expiries are announced as notices).
 */
export async function announceRecovery(ctx: BotContext, report: RecoveryReport): Promise<void> {
  for (const result of report.interrupted) {
    const { session } = result;
    // On workers, the apply's relay closes its thread (with the same summary), whichever bot process carries it.
    if (session.threadId && !ctx.orchestrator.runsOnWorkers) {
      // The board stopped where the process died: it says so, and the note below says what was saved.
      if (session.boardMessageId) {
        await ctx.outbox.edit(session.threadId, session.boardMessageId, { embeds: [cutOffBoardEmbed()] })
          .catch((err: unknown) => ctx.log.warn({ err, sessionId: session.id }, 'could not close the status board'));
      }
      const card = await ctx.lobbies.recoveryCard(session.id, session.guildId);
      await ctx.outbox.send(session.threadId, { content: applySummaryMessage(result, undefined), ...card })
        .catch((err: unknown) => ctx.log.warn({ err, sessionId: session.id }, 'could not post the recovery note'));
    }
    await ctx.lobbies.refresh(session.id, session.guildId);
  }
  for (const session of report.planFailed) await ctx.lobbies.refresh(session.id, session.guildId);
}
