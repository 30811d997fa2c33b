import type { Logger } from 'pino';
import type { ApplyResult } from '../core/applying.js';
import type { ResourceChange } from '../domain/plans.js';
import { ApplyProgress, type ApplyError } from '../terraform/applyProgress.js';
import { isRetryableSendError, withRetries } from './retries.js';
import type { Outbox, OutgoingMessage } from './outbox.js';
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
  /** When Terraform started (ms), for the board's elapsed time; now by default. */
  startedAt?: number;
  /**
   * False once this process may no longer speak for the apply (a relay whose hold may have lapsed): the
   * board then stops editing, so a stalled process never overwrites what its successor shows.
   */
  mayEdit?: () => boolean;
}

/** Errors posted one by one; the rest are counted in the summary and are in its log. */
export const POSTED_ERRORS = 10;

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
  /** Discord refused an edit for good (the message or the thread is gone, no permission): editing stops. */
  private refused = false;
  private readonly startedAt: number;

  constructor(private readonly o: StatusBoardOptions, planned: ResourceChange[]) {
    this.startedAt = o.startedAt ?? Date.now();
    this.progress = new ApplyProgress(planned);
  }

  /** Posts the board, or carries on the one posted before (a relay taken over); returns its message id. */
  async open(existing?: string | null): Promise<string> {
    if (existing) {
      this.messageId = existing;
    } else {
      // Under a nonce: a retry after a lost response, or a successor resending, finds the same message.
      this.messageId = (await withRetries(() => this.o.outbox.send(this.o.channelId, { content: this.o.header, embeds: [this.embed()], nonce: `${this.o.key}-start` }))).id;
    }
    // A board carried on from another process shows what that process last managed to edit: redrawn at the first tick.
    this.shape = existing ? -1 : this.progress.version;
    this.lastEditAt = Date.now();
    this.timer = setInterval(() => this.refresh(), this.o.minEditMs);
    this.timer.unref();
    return this.messageId;
  }

  /**
   * Posts one error Terraform reported, once (its nonce is its line number in the run's output); beyond
   * the first POSTED_ERRORS, nothing: a failed apply of hundreds would hold the summary back for minutes.
   */
  async postError(e: ApplyError): Promise<void> {
    if (e.index > POSTED_ERRORS) return;
    await withRetries(() => this.o.outbox.send(this.o.channelId, { content: applyErrorMessage(e), nonce: `${this.o.key}-err-${e.seq}` }));
  }

  /**
   * The end: the board's last edit, then the summary with the whole output attached. Errors must have
   * been posted. Throws when Discord kept refusing the summary (the caller decides whether to retry).
   */
  /** `card`: what to offer under the summary (the recovery card of an apply that stopped part-way). */
  async finish(result: ApplyResult, output: string[], card?: Pick<OutgoingMessage, 'embeds' | 'components'>): Promise<void> {
    this.stopTimer();
    if (result.status !== 'succeeded') this.progress.stopRunning();
    await this.editing;
    if (this.messageId && !this.refused) {
      const id = this.messageId;
      // The board's last word is retried like a message: a board left showing "applying" would mislead.
      await withRetries(() => this.o.outbox.edit(this.o.channelId, id, { embeds: [this.embed(result)] }))
        .catch((err: unknown) => this.o.log.warn({ err, channelId: this.o.channelId }, 'status board not closed'));
    }
    const log = logFile(output);
    const unposted = Math.max(0, this.progress.errors - POSTED_ERRORS);
    // An attempt that failed in a way Discord may still have posted (a 5xx, a lost response).
    let uncertain = false;
    const send = (attached: boolean, nonce: string) => withRetries(async () => {
      try {
        return await this.o.outbox.send(this.o.channelId, {
          content: applySummaryMessage(result, this.progress.counts, { attached: attached ? { omittedLines: log.omittedLines } : undefined, unpostedErrors: unposted }),
          ...card, nonce, ...(attached ? { files: [{ name: `apply-${this.o.key}.log`, data: log.data }] } : {}),
        });
      } catch (err) {
        if (isRetryableSendError(err)) uncertain = true;
        throw err;
      }
    });
    try {
      await send(true, `${this.o.key}-end`);
    } catch (err) {
      if (isRetryableSendError(err)) throw err;
      // Refused after an attempt Discord may have taken: a second summary (under another nonce) could double it.
      if (uncertain) return void this.o.log.warn({ err, channelId: this.o.channelId }, 'the apply summary was refused after an uncertain attempt; not sent again');
      // A thread that takes no files (no Attach Files permission, too large): the summary without the log beats none.
      this.o.log.warn({ err, channelId: this.o.channelId }, 'the apply log was refused; the summary goes without it');
      await send(false, `${this.o.key}-end-text`);
    }
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
    if (this.inFlight || this.refused || !this.messageId || (shape === this.shape && !(running && Date.now() - this.lastEditAt >= IDLE_EDIT_MS))) return;
    if (this.o.mayEdit && !this.o.mayEdit()) return;
    this.inFlight = true;
    this.shape = shape;
    this.lastEditAt = Date.now();
    this.editing = this.o.outbox.edit(this.o.channelId, this.messageId, { embeds: [this.embed()] })
      .catch((err: unknown) => {
        if (isRetryableSendError(err)) this.shape = -1; // the next tick tries again, with the board as it is then
        else this.refused = true;
        this.o.log.warn({ err, channelId: this.o.channelId }, 'status board not edited');
      })
      .finally(() => { this.inFlight = false; });
  }

  private embed(result?: ApplyResult) {
    return boardEmbed({ rows: this.progress.list(), tally: this.progress.tally(), startedAt: this.startedAt, now: Date.now(), ...(result ? { outcome: result.status } : {}) });
  }

}

/**
 * Terraform's whole output as a file within our upload budget (LIMITS.attachmentBytes, under Discord's 10
 * MiB); beyond it the start is left out, and the file and `omittedLines` say so. The end is what matters
 * most: the errors and the totals.
 */
export function logFile(lines: string[]): { data: Buffer; omittedLines: number } {
  const whole = Buffer.from(`${lines.join('\n')}\n`);
  if (whole.length <= LIMITS.attachmentBytes) return { data: whole, omittedLines: 0 };
  const budget = LIMITS.attachmentBytes - 200;
  let size = 0;
  let from = lines.length;
  while (from > 0 && size + Buffer.byteLength(lines[from - 1]!) + 1 <= budget) size += Buffer.byteLength(lines[--from]!) + 1;
  // A last line longer than the whole budget: its end, cut at a character (a quarter of the budget in UTF-16 units is at most the budget in bytes).
  const kept = from === lines.length ? [lines.at(-1)!.slice(-Math.floor(budget / 4))] : lines.slice(from);
  const omitted = lines.length - kept.length;
  return { data: Buffer.from(`[the first ${omitted} of ${lines.length} lines are left out to keep this file under ${LIMITS.attachmentBytes / 1024 / 1024} MiB]\n${kept.join('\n')}\n`), omittedLines: omitted };
}
