import type { Logger } from 'pino';
import type { ApplyResult } from '../core/applying.js';
import type { ResourceChange } from '../domain/plans.js';
import { ApplyProgress, type ApplyError } from '../terraform/applyProgress.js';
import { withRetries } from './retries.js';
import type { Outbox } from './outbox.js';
import { boardEmbed } from './views/board.js';
import { LIMITS } from './views/limits.js';
import { applyErrorMessage, applySummaryMessage } from './views/messages.js';

export interface StatusBoardOptions {
  outbox: Outbox;
  log: Logger;
  channelId: string;
  /** The message's text above the board (who approved what). */
  header: string;
  /** Stable for the apply (its short id): the nonces of the board, its errors and its summary derive from it. */
  key: string;
  /** The board is edited at most this often. */
  minEditMs: number;
  now?: () => number;
}

/** Without a change in any resource, a running board is edited only this often (its elapsed times). */
const IDLE_EDIT_MS = 5000;

/**
 * One apply's progress in one Discord message, edited in place (at most once per `minEditMs`) instead of
 * a message per batch of lines: Discord takes about 5 messages per 5 s per channel, so an apply of
 * thousands of resources streamed line by line would need minutes of sending. Only errors and the
 * summary are new messages; the summary carries the full log as a file.
 */
export class StatusBoard {
  readonly progress: ApplyProgress;
  private messageId: string | undefined;
  private shape = 0;
  private inFlight = false;
  private lastEditAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private editing: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly startedAt: number;

  constructor(private readonly o: StatusBoardOptions, planned: ResourceChange[]) {
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
    this.progress = new ApplyProgress(planned, this.now);
  }

  /** Posts the board, or carries on the one posted before (a relay taken over); returns its message id. */
  async open(existing?: string | null): Promise<string> {
    if (existing) {
      this.messageId = existing;
    } else {
      // Under a nonce: a retry after a lost response, or a successor resending, finds the same message.
      this.messageId = (await withRetries(() => this.o.outbox.send(this.o.channelId, { content: this.o.header, embeds: [this.embed()], nonce: `${this.o.key}-start` }))).id;
    }
    this.shape = this.progress.version;
    this.lastEditAt = this.now();
    this.timer = setInterval(() => this.refresh(), this.o.minEditMs);
    this.timer.unref();
    return this.messageId;
  }

  /** Posts one error Terraform reported, once: its nonce is its line number in the run's output. */
  async postError(e: ApplyError): Promise<void> {
    await withRetries(() => this.o.outbox.send(this.o.channelId, { content: applyErrorMessage(e), nonce: `${this.o.key}-err-${e.seq}` }));
  }

  /**
   * The end: the board's last edit, then the summary with the whole output attached. Errors must have
   * been posted. Throws when Discord kept refusing the summary (the caller decides whether to retry).
   */
  async finish(result: ApplyResult, output: string[]): Promise<void> {
    this.stopTimer();
    if (result.status !== 'succeeded') this.progress.stopRunning();
    await this.editing;
    if (this.messageId) {
      const id = this.messageId;
      // The board's last word is retried like a message: a board left showing "applying" would mislead.
      await withRetries(() => this.o.outbox.edit(this.o.channelId, id, { embeds: [this.embed(result)] }))
        .catch((err: unknown) => this.o.log.warn({ err, channelId: this.o.channelId }, 'status board not closed'));
    }
    const content = applySummaryMessage(result, this.progress.counts, true);
    const file = { name: `apply-${this.o.key}.log`, data: logFile(output) };
    await withRetries(() => this.o.outbox.send(this.o.channelId, { content, nonce: `${this.o.key}-end`, files: [file] }));
  }

  /** Stops editing (this process gives the apply up; another carries the board on). */
  stop(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private refresh(): void {
    const shape = this.progress.version;
    const running = this.progress.tally().running > 0;
    // One edit at a time: while Discord is slow, ticks are skipped rather than queueing edits of a board already outdated.
    if (this.inFlight || !this.messageId || (shape === this.shape && !(running && this.now() - this.lastEditAt >= IDLE_EDIT_MS))) return;
    this.inFlight = true;
    this.shape = shape;
    this.lastEditAt = this.now();
    this.editing = this.o.outbox.edit(this.o.channelId, this.messageId, { embeds: [this.embed()] })
      .catch((err: unknown) => {
        this.shape = -1; // the next tick tries again, with the board as it is then
        this.o.log.warn({ err, channelId: this.o.channelId }, 'status board not edited');
      })
      .finally(() => { this.inFlight = false; });
  }

  private embed(result?: ApplyResult) {
    return boardEmbed({ rows: this.progress.list(), tally: this.progress.tally(), startedAt: this.startedAt, now: this.now(), ...(result ? { outcome: result.status } : {}) });
  }

}

/** Terraform's whole output as a file under Discord's upload limit; beyond it the start is cut, and says so. */
export function logFile(lines: string[]): Buffer {
  const whole = Buffer.from(`${lines.join('\n')}\n`);
  if (whole.length <= LIMITS.attachmentBytes) return whole;
  let size = 0;
  let from = lines.length;
  while (from > 0 && size + Buffer.byteLength(lines[from - 1]!) + 1 <= LIMITS.attachmentBytes - 200) size += Buffer.byteLength(lines[--from]!) + 1;
  return Buffer.from(`[the first ${from} of ${lines.length} lines are left out: Discord takes files up to ${LIMITS.attachmentBytes / 1024 / 1024} MiB]\n${lines.slice(from).join('\n')}\n`);
}
