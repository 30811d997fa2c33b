import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplyResult } from '../../../src/core/applying.js';
import type { BotContext } from '../../../src/discord/context.js';
import type { PendingNotice } from '../../../src/core/notices.js';
import { announceNotices } from '../../../src/discord/announcements.js';
import { announceRecovery, startSweep } from '../../../src/discord/housekeeping.js';
import { projectKey } from '../../../src/domain/projects.js';
import { FakeOutbox } from './fakeOutbox.js';
import type { Session } from '../../../src/domain/sessions.js';

const session = (id: string, extra: Partial<Session> = {}) => ({ id, guildId: 'g1', ...extra }) as Session;

function context(expireIdle: () => Session[], ourTurn: () => boolean = () => true, driftChecks: () => Promise<unknown[]> = async () => []) {
  const refreshed: string[] = [];
  const adopted: number[] = [];
  const pending: PendingNotice[] = [];
  const announced: number[] = [];
  let auditId = 0;
  /** What the store holds unannounced: an expiry of each session given, each claimed at most once (as the store's claims are). */
  const expiries = (sessions: Session[]) => {
    pending.push(...sessions.map((s) => ({ session: { ...s, projectId: projectKey('g1', 'shop'), channelId: 'c1', messageId: `lobby-${s.id}` }, notice: { kind: 'expired' as const, auditId: ++auditId, at: '2026-01-01T00:00:00.000Z', idleMinutes: 60 } })));
    return sessions;
  };
  const outbox = new FakeOutbox();
  const log = pino({ level: 'silent' });
  const ctx = {
    orchestrator: {
      recover: async () => ({ interrupted: [], planFailed: [], expired: expiries(expireIdle()) }), claimSweep: async (name: string) => name !== 'recover' || ourTurn(), runsOnWorkers: false,
      // Environment leases have their own turn and nothing to do here (test/e2e/bot-lease.test.ts covers them).
      claimLeaseReminders: async () => [], expireDueLeases: async () => [], claimLeaseOutcomes: async () => [],
      claimNotices: async () => pending.splice(0), noticeAnnounced: async (id: number) => void announced.push(id),
      runDueDriftChecks: driftChecks, pendingDriftThreads: async () => [],
    },
    relays: { adoptOrphans: async () => void adopted.push(1) },
    lobbies: { refresh: async (id: string) => void refreshed.push(id), recoveryCard: async (id: string) => ({ embeds: [{ title: `🩹 card of ${id}` }], components: [] }) }, outbox, log,
  } as unknown as BotContext;
  return { ctx, refreshed, outbox, log, adopted, expiries, announced };
}

describe('housekeeping', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('GIVEN idle sessions THEN every sweep expires them, redraws their lobbies and replies to each lobby once, marking it announced', async () => {
    const batches = [[session('a'), session('b')], [], [session('c')]];
    const { ctx, refreshed, outbox, announced } = context(() => batches.shift() ?? []);
    const stop = startSweep(ctx, 60_000);
    await vi.advanceTimersByTimeAsync(180_000);
    expect(refreshed).toEqual(['a', 'b', 'c']);
    expect(outbox.sent.map((m) => [m.message.replyTo, m.message.nonce])).toEqual([['lobby-a', 'ce-notice-1'], ['lobby-b', 'ce-notice-2'], ['lobby-c', 'ce-notice-3']]);
    expect(outbox.textIn('c1')[0]).toMatch(/^⌛ Session `a` of \*\*shop\*\* expired <t:\d+:R>, after 60 minutes without activity; the project is free for others/);
    expect(announced).toEqual([1, 2, 3]);
    stop();
  });

  it('GIVEN Discord failing to take a notice THEN a passing failure leaves it for a later sweep, a refusal gives it up', async () => {
    const { ctx, outbox, announced, expiries } = context(() => []);
    expiries([session('a'), session('b')]);
    outbox.fail.send = () => Object.assign(new Error('boom'), { status: 503 });
    await announceNotices(ctx);
    expect(announced).toEqual([]);
    expiries([session('c')]);
    outbox.fail.send = () => Object.assign(new Error('Missing Access'), { status: 403 });
    await announceNotices(ctx);
    expect(announced).toEqual([3]);
  });

  it('GIVEN another process has the turn of this interval THEN this one recovers nothing, yet still takes up stopped relays', async () => {
    let recovered = 0;
    const turns = [false, true, false];
    const { ctx, adopted } = context(() => { recovered++; return []; }, () => turns.shift() ?? false);
    const stop = startSweep(ctx, 1000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(recovered).toBe(1);
    expect(adopted).toHaveLength(3);
    stop();
  });

  it('GIVEN a sweep that fails THEN logs it and keeps sweeping', async () => {
    let calls = 0;
    const { ctx, log } = context(() => {
      if (++calls === 1) throw new Error('database is locked');
      return [];
    });
    const error = vi.spyOn(log, 'error');
    const stop = startSweep(ctx, 1000);
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toBe(3);
    expect(error).toHaveBeenCalledOnce();
    stop();
  });

  it('GIVEN scheduled drift checks that run longer than the interval THEN recovery still sweeps every interval, and no second drift sweep starts beside the first', async () => {
    let recovered = 0;
    let driftSweeps = 0;
    const slowChecks = () => { driftSweeps++; return new Promise<unknown[]>((resolve) => setTimeout(() => resolve([]), 3500)); };
    const { ctx } = context(() => { recovered++; return []; }, () => true, slowChecks);
    const stop = startSweep(ctx, 1000);
    await vi.advanceTimersByTimeAsync(4000);
    expect([recovered, driftSweeps]).toEqual([4, 1]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(driftSweeps).toBe(2);
    stop();
  });

  it('GIVEN an apply cut off by a crash THEN its thread is told, with the recovery card, and its lobby redrawn on start', async () => {
    const { ctx, refreshed, outbox } = context(() => []);
    const interrupted = {
      status: 'interrupted', session: session('s1', { threadId: 't1' }), durationMs: 4000, stateSerial: 2, commitHash: null, warnings: [], recorded: true,
      error: 'The process running this apply stopped (crash, kill or restart; it is gone).', deployment: { toAdd: 1, toChange: 0, toDestroy: 0 },
    } as unknown as ApplyResult;
    await announceRecovery(ctx, { interrupted: [interrupted], planFailed: [session('s2')] });
    expect(outbox.textIn('t1')[0]).toMatch(/^⏹️ \*\*Apply interrupted\*\* after 4\.0 s · planned: 1 to add/);
    expect(outbox.sent.find((m) => m.channelId === 't1')?.message.embeds).toEqual([{ title: '🩹 card of s1' }]);
    expect(refreshed).toEqual(['s1', 's2']);
  });
});
