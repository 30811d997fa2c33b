import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ApplyResult, ApplyRun } from '../../../src/core/applying.js';
import { ApplyStreams } from '../../../src/discord/applies.js';
import type { MessageRefs } from '../../../src/domain/sessions.js';
import { FakeOutbox } from './fakeOutbox.js';
import type { Session } from '../../../src/domain/sessions.js';

const session = { id: 'sess-1234-5678', projectId: 'shop', guildId: 'g1', channelId: 'chan', messageId: 'lobby' } as Session;
const OUTPUT = ['terraform_data.web: Creating...', 'terraform_data.web: Creation complete after 0s', '', 'Apply complete! Resources: 1 added, 0 changed, 0 destroyed.'];

function fakeRun(lines: string[], result: Partial<ApplyResult> = {}): ApplyRun {
  return {
    planned: [{ address: 'terraform_data.web', type: 'terraform_data', name: 'web', actions: ['create'] }, { address: 'terraform_data.db', type: 'terraform_data', name: 'db', actions: ['create'] }],
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
    outbox, { refresh: async (id) => void refreshed.push(id), recoveryCard: async () => undefined }, { remember: async (_id, refs) => void remembered.push(refs) },
    pino({ level: 'silent' }), 10,
  );
  return { outbox, refreshed, remembered, streams };
}

describe('apply streams', () => {
  it('GIVEN an approved session THEN opens a thread on the lobby, posts one board, closes it with the outcome, posts the summary with the log attached, then redraws the lobby', async () => {
    const { outbox, refreshed, remembered, streams } = setup();
    streams.follow({ session, lobby: { channelId: 'chan', messageId: 'lobby' }, approverId: 'u9', approverName: 'ann' }, fakeRun(OUTPUT));
    await streams.drain();
    expect(outbox.threads).toEqual([{ channelId: 'chan', messageId: 'lobby', name: 'deploy shop sess-123' }]);
    expect(remembered).toEqual([{ threadId: 'thread-of-lobby' }, { boardMessageId: 'm1' }]);
    const [board, summary, ...more] = outbox.sent;
    expect(more).toEqual([]);
    expect(board!.message.content).toContain('approved by <@u9>');
    expect(board!.message.nonce).toBe('sess-123-start');
    expect(board!.message.embeds![0]!.description).toBe('⏳ `terraform_data.web` · to create\n⏳ `terraform_data.db` · to create');
    const closed = outbox.edits.at(-1)!;
    expect(closed.messageId).toBe('m1');
    expect(closed.message.embeds![0]!.description).toBe('⏳ `terraform_data.db` · to create\n✅ `terraform_data.web` · created in 0 s');
    expect(closed.message.embeds![0]!.footer!.text).toMatch(/^✅ 1 done · 🔄 0 running · ⏳ 1 pending · complete/);
    expect(summary!.message.content).toBe('✅ **Apply complete** · 1 created, 0 changed, 0 destroyed · 2.0 s\nstate serial 3 · git commit `abcdef1`\n📎 The whole Terraform output is attached.');
    expect(summary!.message.nonce).toBe('sess-123-end');
    expect(summary!.message.files!.map((f) => [f.name, f.data.toString()])).toEqual([['apply-sess-123.log', `${OUTPUT.join('\n')}\n`]]);
    expect(refreshed).toEqual(['sess-1234-5678']);
  });

  it('GIVEN the store refuses to save the thread reference THEN the board and summary are still posted and the lobby redrawn', async () => {
    const outbox = new FakeOutbox();
    const refreshed: string[] = [];
    const streams = new ApplyStreams(
      outbox, { refresh: async (id) => void refreshed.push(id), recoveryCard: async () => undefined }, { remember: async () => { throw new Error('The disk is full; nothing was changed.'); } },
      pino({ level: 'silent' }), 10,
    );
    streams.follow({ session, lobby: { channelId: 'chan', messageId: 'lobby' }, approverId: 'u9', approverName: 'ann' }, fakeRun(OUTPUT));
    await streams.drain();
    expect(outbox.textIn('thread-of-lobby')).toHaveLength(2);
    expect(outbox.textIn('thread-of-lobby').at(-1)).toContain('Apply complete');
    expect(refreshed).toEqual(['sess-1234-5678']);
  });

  it('GIVEN Terraform reports an error THEN it is posted once as its own message under a nonce, the resource shows failed and the board closes as failed', async () => {
    const { outbox, streams } = setup();
    const lines = ['terraform_data.web: Creating...', 'terraform_data.db: Creating...', 'terraform_data.db: Creation complete after 1s [id=1]', '', 'Error: local-exec provisioner error', '', '  with terraform_data.web,', '', 'exit status 3'];
    streams.follow({ session, lobby: { channelId: 'chan', messageId: 'lobby' }, approverId: 'u9', approverName: 'ann' }, fakeRun(lines, { status: 'failed', commitHash: null, error: 'terraform apply failed' }));
    await streams.drain();
    const texts = outbox.textIn('thread-of-lobby');
    expect(texts).toHaveLength(3);
    expect(texts[1]).toMatch(/^❌ \*\*Terraform reported an error\*\* on `terraform_data\.web`\n```\nError: local-exec provisioner error\n\n  with terraform_data\.web,\n\nexit status 3\n```$/);
    expect(outbox.sent[1]!.message.nonce).toBe('sess-123-err-5');
    expect(texts[2]).toMatch(/^❌ \*\*Apply failed\*\*/);
    const closed = outbox.edits.at(-1)!.message.embeds![0]!;
    expect(closed.description!.split('\n')[0]).toBe('❌ `terraform_data.web` · failed');
    expect(closed.footer!.text).toMatch(/ · failed · /);
  });

  it('GIVEN no thread can be started THEN streams into the lobby channel instead of losing the output', async () => {
    const { outbox, streams } = setup();
    outbox.fail.thread = Object.assign(new Error('Missing Permissions'), { status: 403 });
    streams.follow({ session, lobby: { channelId: 'chan', messageId: 'lobby' }, approverId: 'u9', approverName: 'ann' }, fakeRun(OUTPUT));
    await streams.drain();
    expect(outbox.textIn('chan').at(-1)).toContain('Apply complete');
  });
});
