import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogBatcher, escapeFences, splitLine } from '../../../src/discord/logBatcher.js';

interface Sent {
  content: string;
  key: string;
}

/** A sender that records every call and lets a test decide when (and how) each one settles. */
function manualSender() {
  const calls: Array<Sent & { resolve(): void; reject(e: unknown): void }> = [];
  const send = (content: string, key: string) =>
    new Promise<void>((resolve, reject) => calls.push({ content, key, resolve, reject }));
  return { calls, send };
}

const linesOf = (messages: string[]) => messages.flatMap((m) => m.replace(/^```\n/, '').replace(/\n```$/, '').split('\n'));
const instantSender = (sink: string[]) => async (content: string) => void sink.push(content);

describe('LogBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('GIVEN a few lines THEN sends them as one code block about a second later', async () => {
    const sent: string[] = [];
    const b = new LogBatcher({ send: instantSender(sent) });
    b.push('terraform_data.web: Creating...');
    b.push('terraform_data.web: Creation complete after 0s');
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual(['```\nterraform_data.web: Creating...\nterraform_data.web: Creation complete after 0s\n```']);
  });

  it('GIVEN 5,000 lines THEN every line arrives once, in order, and no message exceeds 2,000 characters', async () => {
    const sent: string[] = [];
    const b = new LogBatcher({ send: instantSender(sent) });
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}`);
    lines.forEach((l) => b.push(l));
    await b.close();
    expect(linesOf(sent)).toEqual(lines);
    expect(Math.max(...sent.map((m) => m.length))).toBeLessThanOrEqual(2000);
    expect(b.stats).toMatchObject({ lines: 5000, messages: sent.length, undelivered: 0 });
  });

  it('GIVEN a line longer than a message THEN splits it across messages without losing a character', async () => {
    const sent: string[] = [];
    const b = new LogBatcher({ send: instantSender(sent) });
    const long = 'a'.repeat(4500);
    b.push(long);
    await b.close();
    expect(sent.length).toBe(3);
    expect(sent.every((m) => m.length <= 2000)).toBe(true);
    expect(linesOf(sent).join('')).toBe(long);
  });

  it('GIVEN a send in flight THEN keeps batching and sends the backlog in one message after it settles', async () => {
    const { calls, send } = manualSender();
    const b = new LogBatcher({ send });
    b.push('first');
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    for (let i = 0; i < 10; i++) b.push(`during ${i}`);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(1); // nothing else goes out while the first send is pending
    calls[0]!.resolve();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    expect(linesOf([calls[1]!.content])).toEqual(Array.from({ length: 10 }, (_, i) => `during ${i}`));
  });

  it('GIVEN a full message worth of lines THEN sends it without waiting for the timer', async () => {
    const sent: string[] = [];
    const b = new LogBatcher({ send: instantSender(sent) });
    for (let i = 0; i < 30; i++) b.push('y'.repeat(99));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.length).toBe(1);
    expect(sent[0]!.length).toBeLessThanOrEqual(2000);
  });

  it('GIVEN a send that fails with a 5xx THEN retries the same content with the same key, once delivered never again', async () => {
    const { calls, send } = manualSender();
    const b = new LogBatcher({ send, retryDelayMs: () => 200 });
    b.push('Apply complete!');
    await vi.advanceTimersByTimeAsync(1000);
    calls[0]!.reject(Object.assign(new Error('Bad Gateway'), { status: 502 }));
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.content).toBe(calls[0]!.content);
    expect(calls[1]!.key).toBe(calls[0]!.key);
    calls[1]!.resolve();
    await b.close();
    expect(calls).toHaveLength(2);
    expect(b.stats).toMatchObject({ messages: 1, retries: 1, undelivered: 0 });
  });

  it('GIVEN a send refused with a 4xx THEN gives up on that message, reports it and carries on', async () => {
    const { calls, send } = manualSender();
    const onGiveUp = vi.fn();
    const b = new LogBatcher({ send, onGiveUp });
    b.push('one');
    await vi.advanceTimersByTimeAsync(1000);
    calls[0]!.reject(Object.assign(new Error('Missing Access'), { status: 403 }));
    await vi.advanceTimersByTimeAsync(0);
    b.push('two');
    const closed = b.close();
    await vi.advanceTimersByTimeAsync(0);
    calls[1]!.resolve();
    await closed;
    expect(onGiveUp).toHaveBeenCalledWith(expect.objectContaining({ status: 403 }), 1);
    expect(linesOf([calls[1]!.content])).toEqual(['two']);
    expect(b.stats.undelivered).toBe(1);
  });

  it('GIVEN close THEN flushes at once and resolves only after the last message is sent', async () => {
    const { calls, send } = manualSender();
    const b = new LogBatcher({ send });
    b.push('last words');
    let done = false;
    const closed = b.close().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(done).toBe(false);
    calls[0]!.resolve();
    await closed;
    expect(done).toBe(true);
  });

  it('GIVEN a line holding a code fence THEN keeps it inside the code block', () => {
    expect(escapeFences('echo ```')).not.toContain('```');
  });

  it('GIVEN an emoji at the cut THEN never splits its surrogate pair', () => {
    const pieces = splitLine(`${'a'.repeat(9)}😀b`, 10);
    expect(pieces).toEqual(['a'.repeat(9), '😀b']);
  });
});
