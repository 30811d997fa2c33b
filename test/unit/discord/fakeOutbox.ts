import type { OutgoingMessage, Outbox } from '../../../src/discord/outbox.js';

/** An Outbox that records what the bot would have sent; `fail` makes chosen calls throw. */
export class FakeOutbox implements Outbox {
  readonly sent: Array<{ channelId: string; message: OutgoingMessage }> = [];
  readonly edits: Array<{ channelId: string; messageId: string; message: OutgoingMessage }> = [];
  readonly threads: Array<{ channelId: string; messageId: string; name: string }> = [];
  fail: { send?: (channelId: string) => unknown; dm?: (userId: string) => unknown; thread?: unknown } = {};
  private next = 1;

  /** Whether the send being tried carries files (what `fail.send` may look at). */
  lastFiles = false;

  async send(channelId: string, message: OutgoingMessage) {
    this.lastFiles = (message.files?.length ?? 0) > 0;
    const err = this.fail.send?.(channelId);
    if (err) throw err;
    this.sent.push({ channelId, message });
    return { id: `m${this.next++}` };
  }

  async edit(channelId: string, messageId: string, message: OutgoingMessage) {
    this.edits.push({ channelId, messageId, message });
  }

  async startThread(channelId: string, messageId: string, name: string) {
    if (this.fail.thread) throw this.fail.thread;
    this.threads.push({ channelId, messageId, name });
    return { id: `thread-of-${messageId}` };
  }

  readonly archived: string[] = [];

  async archiveThread(threadId: string) {
    this.archived.push(threadId);
  }

  async openDm(userId: string) {
    const err = this.fail.dm?.(userId);
    if (err) throw err;
    return { id: `dm-${userId}` };
  }

  textIn(channelId: string): string[] {
    return this.sent.filter((s) => s.channelId === channelId).map((s) => s.message.content ?? '');
  }
}
