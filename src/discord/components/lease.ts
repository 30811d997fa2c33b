import { followExpiry } from '../leases.js';
import { respond } from '../respond.js';
import { destroyNowText, extendedText } from '../views/lease.js';
import { handler } from './types.js';

/** A reminder's Extend: its custom id carries the project's name; the core checks who may, and the budget. */
export const leaseExtendButton = handler('button', async (ctx, i, id, actor) => {
  const lease = await ctx.orchestrator.extendLease(actor, id.sessionId);
  await respond(i, { content: extendedText(id.sessionId, lease, actor.userId) });
});

/**
 * A reminder's Destroy now: the expiry's destroy session starts at once, for those who may start sessions. Answered
 * without deferring: the call returns once the session holds the project, before Terraform runs.
 */
export const leaseDestroyButton = handler('button', async (ctx, i, id, actor) => {
  const started = await ctx.orchestrator.destroyNow(actor, id.sessionId);
  await respond(i, { content: destroyNowText(id.sessionId, started.session.id, actor.userId) });
  void followExpiry(ctx, started);
});
