import { DiscordAPIError } from 'discord.js';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { DriftState, DriftThread } from '../../../src/domain/drift.js';
import { projectKey, type Project } from '../../../src/domain/projects.js';
import type { BotContext } from '../../../src/discord/context.js';
import { syncDriftThread } from '../../../src/discord/driftThreads.js';
import { FakeOutbox } from './fakeOutbox.js';

const P = projectKey('g1', 'shop');
const T0 = '2026-12-01T10:00:00.000Z';
const open: DriftState['open'] = { since: T0, resources: [{ name: 'web', type: 'compute_vm', kind: 'missing', attributes: [], since: T0 }] };

/** A bot context whose orchestrator keeps one project's drift state in memory, its thread claim as the store's is. */
function context(state: DriftState) {
  const outbox = new FakeOutbox();
  let claimed = false;
  const ctx = {
    outbox, log: pino({ level: 'silent' }),
    orchestrator: {
      driftOf: async () => ({ project: { id: P, name: 'shop' } as Project, state }),
      driftChannel: async (_p: Project, asked?: string) => asked ?? 'lobby-channel',
      claimDriftThread: async () => !claimed && !state.thread && (claimed = true),
      driftThreadOpened: async (_id: string, thread: DriftThread) => { state.thread = thread; return true; },
      driftThreadShown: async () => undefined,
      driftThreadClosed: async () => { const had = state.thread !== undefined; delete state.thread; return had; },
    },
  } as unknown as BotContext;
  return { ctx, outbox, state };
}

const apiError = (code: number) => new DiscordAPIError({ code, message: 'refused' }, code, 400, 'POST', '/x', { body: undefined, files: undefined });

describe('the drift thread in Discord', () => {
  it('GIVEN a new drift THEN one card is posted where the check was asked, a thread started on it and recorded; syncing again posts nothing', async () => {
    const { ctx, outbox, state } = context({ projectId: P, open, checkedAt: T0, revision: 1, nextCheckAt: null });
    await syncDriftThread(ctx, P, 'asked-here');
    await syncDriftThread(ctx, P, 'asked-here');
    expect(outbox.sent.map((s) => s.channelId)).toEqual(['asked-here', 'thread-of-m1']);
    expect(outbox.sent[0]!.message.nonce).toMatch(/^ce-dc-[0-9a-f]{19}$/);
    expect(state.thread).toEqual({ channelId: 'asked-here', threadId: 'thread-of-m1', messageId: 'm1', revision: 1 });
  });

  it('GIVEN the card already has its thread (a claim taken over) THEN that thread is the one recorded; GIVEN no thread can be started THEN the drift follows in the channel and is never archived', async () => {
    const taken = context({ projectId: P, open, checkedAt: T0, revision: 1, nextCheckAt: null });
    taken.outbox.fail.thread = apiError(160004);
    await syncDriftThread(taken.ctx, P);
    expect(taken.state.thread).toMatchObject({ channelId: 'lobby-channel', threadId: 'm1' });

    const refused = context({ projectId: P, open, checkedAt: T0, revision: 1, nextCheckAt: null });
    refused.outbox.fail.thread = apiError(50013);
    await syncDriftThread(refused.ctx, P);
    expect(refused.state.thread).toMatchObject({ channelId: 'lobby-channel', threadId: 'lobby-channel' });
    delete refused.state.open;
    await syncDriftThread(refused.ctx, P);
    expect(refused.outbox.textIn('lobby-channel').at(-1)).toMatch(/^✅ The drift in \*\*shop\*\* is gone/);
    expect([refused.outbox.archived, refused.state.thread]).toEqual([[], undefined]);
  });

  it('GIVEN a resolved drift THEN its thread gets the closing message, its card loses its buttons, it is archived and forgotten', async () => {
    const { ctx, outbox, state } = context({ projectId: P, checkedAt: T0, revision: 3, nextCheckAt: null, thread: { channelId: 'c', threadId: 't', messageId: 'card', revision: 2 } });
    await syncDriftThread(ctx, P);
    expect(outbox.textIn('t')).toHaveLength(1);
    expect(outbox.edits.map((e) => [e.messageId, e.message.components])).toEqual([['card', []]]);
    expect([outbox.archived, state.thread]).toEqual([['t'], undefined]);
  });
});
