import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ApplyResult, ApplyRun } from '../../../src/core/applying.js';
import { ApplyStreams } from '../../../src/discord/applies.js';
import type { MessageRefs } from '../../../src/discord/lobbyRefs.js';
import { FakeOutbox } from './fakeOutbox.js';
import type { Session } from '../../../src/domain/sessions.js';

const session = { id: 'sess-1234-5678', projectId: 'shop', guildId: 'g1', channelId: 'chan', messageId: 'lobby' } as Session;
const OUTPUT = ['terraform_data.web: Creating...', 'terraform_data.web: Creation complete after 0s', '', 'Apply complete! Resources: 1 added, 0 changed, 0 destroyed.'];

function fakeRun(lines: string[], result: Partial<ApplyResult> = {}): ApplyRun {
  return {
    lines: (async function* () { yield* lines; })(),
    result: Promise.resolve({
      status: 'succeeded', session, stateSerial: 3, commitHash: 'abcdef1234', durationMs: 2000, error: null, warnings: [], recorded: true,
      deployment: { toAdd: 1, toChange: 0, toDestroy: 0 }, ...result,
    } as ApplyResult),
  };
}

function setup() {
  const outbox = new FakeOutbox();
  const refreshed: string[] = [];
  const remembered: MessageRefs[] = [];
  const streams = new ApplyStreams(
    outbox, { refresh: async (id) => void refreshed.push(id) }, { remember: async (_id, refs) => void remembered.push(refs) },
    pino({ level: 'silent' }), 10,
  );
  return { outbox, refreshed, remembered, streams };
}

describe('apply streams', () => {
  it('GIVEN an approved session THEN opens a thread on the lobby, posts header, output and summary, then redraws the lobby', async () => {
    const { outbox, refreshed, remembered, streams } = setup();
    streams.follow({ session, lobby: { channelId: 'chan', messageId: 'lobby' }, approverId: 'u9', approverName: 'ann' }, fakeRun(OUTPUT));
    await streams.drain();
    expect(outbox.threads).toEqual([{ channelId: 'chan', messageId: 'lobby', name: 'deploy shop sess-123' }]);
    expect(remembered).toEqual([{ threadId: 'thread-of-lobby' }]);
    const posted = outbox.textIn('thread-of-lobby');
    expect(posted[0]).toContain('approved by <@u9>');
    expect(posted[1]).toBe(`\`\`\`\n${OUTPUT.join('\n')}\n\`\`\``);
    expect(posted[2]).toBe('✅ **Apply complete** · 1 created, 0 changed, 0 destroyed · 2.0 s\nstate serial 3 · git commit `abcdef1`');
    expect(refreshed).toEqual(['sess-1234-5678']);
  });

  it('GIVEN the store refuses to save the thread reference THEN the header, output and summary are still posted and the lobby redrawn', async () => {
    const outbox = new FakeOutbox();
    const refreshed: string[] = [];
    const streams = new ApplyStreams(
      outbox, { refresh: async (id) => void refreshed.push(id) }, { remember: async () => { throw new Error('The disk is full; nothing was changed.'); } },
      pino({ level: 'silent' }), 10,
    );
    streams.follow({ session, lobby: { channelId: 'chan', messageId: 'lobby' }, approverId: 'u9', approverName: 'ann' }, fakeRun(OUTPUT));
    await streams.drain();
    expect(outbox.textIn('thread-of-lobby')).toHaveLength(3);
    expect(outbox.textIn('thread-of-lobby').at(-1)).toContain('Apply complete');
    expect(refreshed).toEqual(['sess-1234-5678']);
  });

  it('GIVEN output batches THEN every batch carries a nonce so a retried send is never posted twice', async () => {
    const { outbox, streams } = setup();
    streams.follow({ session, lobby: { channelId: 'chan', messageId: 'lobby' }, approverId: 'u9', approverName: 'ann' }, fakeRun(OUTPUT));
    await streams.drain();
    const batches = outbox.sent.filter((s) => s.message.content?.startsWith('```'));
    expect(batches.every((b) => typeof b.message.nonce === 'string' && b.message.nonce.length <= 25)).toBe(true);
  });

  it('GIVEN no thread can be started THEN streams into the lobby channel instead of losing the output', async () => {
    const { outbox, streams } = setup();
    outbox.fail.thread = Object.assign(new Error('Missing Permissions'), { status: 403 });
    streams.follow({ session, lobby: { channelId: 'chan', messageId: 'lobby' }, approverId: 'u9', approverName: 'ann' }, fakeRun(OUTPUT));
    await streams.drain();
    expect(outbox.textIn('chan').at(-1)).toContain('Apply complete');
  });
});
