/**
 * Turns a stream of log lines into Discord messages: code blocks under the message limit, about
 * one a second, one send in flight at a time (order is kept and the REST queue is never flooded),
 * every line delivered. A send that fails with a retryable error is retried with the same content
 * and the same key, so a sender that passes the key as a Discord nonce never posts it twice.
 */
export interface BatcherTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LogBatcherOptions {
  /** Sends one message. `key` is identical on every retry of the same content. */
  send(content: string, key: string): Promise<void>;
  flushIntervalMs?: number;
  maxMessageChars?: number;
  maxAttempts?: number;
  retryDelayMs?(attempt: number): number;
  isRetryable?(err: unknown): boolean;
  /** Called when a message could not be delivered after every attempt (or was refused for good). */
  onGiveUp?(err: unknown, lines: number): void;
  timers?: BatcherTimers;
  keyPrefix?: string;
}

export interface BatcherStats {
  lines: number;
  messages: number;
  retries: number;
  undelivered: number;
}

const FENCE_OPEN = '```\n';
const FENCE_CLOSE = '\n```';
const globalTimers: BatcherTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** 5xx, 429 and network failures (no HTTP status) are worth another try; a 4xx refusal is not. */
export function isRetryableSendError(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status !== 'number' || status >= 500 || status === 429;
}

/** Header and summary are retried like output batches: more 5xx than discord.js retries must not lose them. */
const MESSAGE_ATTEMPTS = 6;

/** One message, retried under the same nonce: a retry after a lost response is never posted twice. */
export async function sendRetrying(send: (content: string, nonce: string) => Promise<unknown>, content: string, nonce: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send(content, nonce);
      return;
    } catch (err) {
      if (attempt >= MESSAGE_ATTEMPTS || !isRetryableSendError(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(8000, 500 * 2 ** (attempt - 1))));
    }
  }
}

export class LogBatcher {
  readonly stats: BatcherStats = { lines: 0, messages: 0, retries: 0, undelivered: 0 };
  private readonly pending: string[] = [];
  private pendingChars = 0;
  private timer: unknown;
  private sending = false;
  private closed = false;
  private seq = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly bodyMax: number;
  private readonly o: Required<Omit<LogBatcherOptions, 'onGiveUp'>> & Pick<LogBatcherOptions, 'onGiveUp'>;

  constructor(options: LogBatcherOptions) {
    this.o = {
      flushIntervalMs: 1000, maxMessageChars: 2000, maxAttempts: 6, timers: globalTimers, isRetryable: isRetryableSendError,
      retryDelayMs: (attempt) => Math.min(8000, 500 * 2 ** (attempt - 1)), keyPrefix: Math.random().toString(36).slice(2, 10),
      ...options,
    };
    this.bodyMax = this.o.maxMessageChars - FENCE_OPEN.length - FENCE_CLOSE.length;
    if (this.bodyMax < 2) throw new Error('LogBatcher: maxMessageChars leaves no room for text');
  }

  push(line: string): void {
    if (this.closed) throw new Error('LogBatcher: push after close');
    this.stats.lines++;
    for (const piece of splitLine(escapeFences(line), this.bodyMax)) {
      this.pending.push(piece);
      this.pendingChars += piece.length + 1;
    }
    if (this.sending) return; // backpressure: keep batching until the send in flight settles
    if (this.pendingChars > this.bodyMax) this.pump();
    else this.armTimer();
  }

  /** Sends everything still buffered; resolves when the last message is delivered (or given up). */
  close(): Promise<void> {
    this.closed = true;
    this.disarmTimer();
    this.pump();
    if (!this.sending && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private armTimer(): void {
    if (this.timer !== undefined || this.pending.length === 0) return;
    this.timer = this.o.timers.setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, this.o.flushIntervalMs);
  }

  private disarmTimer(): void {
    if (this.timer === undefined) return;
    this.o.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    if (this.sending || this.pending.length === 0) return;
    this.disarmTimer();
    const chunk = this.takeChunk();
    this.sending = true;
    void this.deliver(chunk).then(() => {
      this.sending = false;
      if (this.pending.length === 0) {
        if (this.closed) this.idleWaiters.splice(0).forEach((w) => w());
      } else if (this.closed || this.pendingChars > this.bodyMax) {
        this.pump();
      } else {
        this.armTimer();
      }
    });
  }

  private takeChunk(): string[] {
    const chunk: string[] = [];
    let size = -1;
    while (this.pending.length && size + 1 + this.pending[0]!.length <= this.bodyMax) {
      const piece = this.pending.shift()!;
      size += piece.length + 1;
      this.pendingChars -= piece.length + 1;
      chunk.push(piece);
    }
    return chunk;
  }

  private async deliver(chunk: string[]): Promise<void> {
    const content = FENCE_OPEN + chunk.join('\n') + FENCE_CLOSE;
    const key = `${this.o.keyPrefix}-${this.seq++}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.o.send(content, key);
        this.stats.messages++;
        return;
      } catch (err) {
        if (attempt >= this.o.maxAttempts || !this.o.isRetryable(err)) {
          this.stats.undelivered += chunk.length;
          this.o.onGiveUp?.(err, chunk.length);
          return;
        }
        this.stats.retries++;
        await new Promise<void>((r) => this.o.timers.setTimeout(r, this.o.retryDelayMs(attempt)));
      }
    }
  }
}

/** A line holding ``` would end the code block early; a zero-width space keeps it literal. */
export function escapeFences(line: string): string {
  return line.replace(/```/g, '``\u200b`');
}

/** Pieces of at most `max` UTF-16 units, never cutting a surrogate pair in half. */
export function splitLine(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = max;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}
