import type { Logger } from 'pino';
import type { CloudOrchestrator } from '../core/orchestrator.js';
import { END_OF_LOG } from '../core/queuedRuns.js';
import type { Deployment, Relay } from '../domain/runs.js';
import type { Session } from '../domain/sessions.js';
import type { Lobbies } from './lobbies.js';
import type { Outbox } from './outbox.js';
import { isRetryableSendError } from './retries.js';
import { StatusBoard } from './statusBoard.js';
import { applyHeader } from './views/messages.js';
import type { ApplyError } from '../terraform/applyProgress.js';

const SILENT_AFTER_RECORD_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Relays applies that workers run (RUN_QUEUE=workers) from the store into their threads' status boards.
 * Progress is in the store: how many lines the board has taken in, recorded after the errors among them
 * were posted. A bot process that takes the relay over after a restart reads those lines again to rebuild
 * the board, edits the same board message, and posts an error the previous owner may have posted under
 * the same nonce (Discord drops the second copy) — every error and summary in the thread once.
 */
export class QueuedRelays {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly orchestrator: CloudOrchestrator,
    private readonly outbox: Outbox,
    private readonly lobbies: Pick<Lobbies, 'refresh' | 'recoveryCard'>,
    private readonly log: Logger,
    private readonly flushIntervalMs = 1000,
  ) {}

  /** Relays one apply in the background, once per process. */
  relay(relay: Relay, session: Session, approverId?: string): void {
    if (this.stopped || this.running.has(relay.deploymentId)) return;
    const relaying = this.run(relay, session, approverId)
      .catch((err: unknown) => this.log.error({ err, sessionId: session.id }, 'apply relay failed; another sweep takes it up'))
      .finally(() => this.running.delete(relay.deploymentId));
    this.running.set(relay.deploymentId, relaying);
  }

  /** Starts relaying an apply this process's approval queued. */
  async begin(deployment: Deployment, threadId: string, session: Session, approverId: string): Promise<void> {
    const relay = await this.orchestrator.beginRelay(deployment, threadId);
    if (relay) this.relay(relay, session, approverId);
  }

  /** Takes up the relays whose bot process stopped. */
  async adoptOrphans(): Promise<void> {
    for (const { relay, session } of await this.orchestrator.adoptOrphanRelays()) this.relay(relay, session);
  }

  /** Stops relaying here; progress is in the store, and another bot process carries each relay on. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private async run(relay: Relay, session: Session, approverId: string | undefined): Promise<void> {
    const o = this.orchestrator;
    const id = relay.deploymentId;
    const hold = new Hold(relay);
    const start = await o.boardStart(session.id);
    const board = new StatusBoard({
      outbox: this.outbox, log: this.log, channelId: relay.threadId, key: session.id.slice(0, 8), minEditMs: this.flushIntervalMs,
      header: applyHeader(session, approverId, true), mayEdit: () => hold.held(),
      ...(start.terraformStartedAt ? { startedAt: Date.parse(start.terraformStartedAt) } : {}),
    }, start.planned);
    // What the board showed when the previous owner stopped: the same lines, read again (their errors were posted).
    const output: string[] = [];
    for (let seq = 0; seq < relay.postedSeq;) {
      const rows = (await o.runLogAfter(id, seq, 1000)).filter((r) => r.seq <= relay.postedSeq && r.line !== END_OF_LOG);
      if (!rows.length) break;
      for (const r of rows) board.progress.feed(r.line);
      output.push(...rows.map((r) => r.line));
      seq = rows.at(-1)!.seq;
    }
    const boardId = await board.open(session.boardMessageId);
    try {
      if (!session.boardMessageId) await o.attachMessage(session.id, { boardMessageId: boardId });
      if (!await this.follow(relay, board, output, hold)) return;
      let result = await o.recordedApply(session.id);
      while (!result) {
        await sleep(this.flushIntervalMs);
        if (this.stopped || !await hold.renew(o)) return;
        result = await o.recordedApply(session.id);
      }
      try {
        await board.finish(result, output, await this.lobbies.recoveryCard(session.id, session.guildId));
      } catch (err) {
        // Discord kept failing: the relay stays open for the next sweep to send it (the same nonce). A refusal for good (the thread is gone) closes it.
        if (isRetryableSendError(err)) throw err;
        this.log.warn({ err, sessionId: session.id }, 'the apply summary was refused; the lobby shows the outcome');
      }
      await o.recordRelay(id, { done: true });
      await this.lobbies.refresh(session.id, session.guildId);
    } finally {
      board.stop();
    }
  }

  /**
   * Takes the worker's lines into the board until its end marker (or, for a worker that died, until the
   * apply is recorded and nothing more comes), posting each error before recording the lines as taken in.
   * False when this process lost the relay.
   */
  private async follow(relay: Relay, board: StatusBoard, output: string[], hold: Hold): Promise<boolean> {
    const o = this.orchestrator;
    const id = relay.deploymentId;
    let taken = relay.postedSeq;
    let recordedAt: number | undefined;
    // Renewed per message: posting errors must not outlast the hold.
    const post = async (errors: ApplyError[]) => {
      for (const e of errors) {
        if (!await hold.renew(o)) return false;
        await board.postError(e);
      }
      return true;
    };
    for (;;) {
      if (this.stopped || !await hold.renew(o)) return false;
      const rows = await o.runLogAfter(id, taken, 500);
      const end = rows.findIndex((r) => r.line === END_OF_LOG);
      const lines = end >= 0 ? rows.slice(0, end) : rows;
      for (const r of lines) {
        output.push(r.line);
        if (!await post(board.progress.feed(r.line))) return false;
      }
      if (lines.length) {
        taken = lines.at(-1)!.seq;
        if (!await o.recordRelay(id, { postedSeq: taken })) return false;
      }
      if (end >= 0) break;
      if (!rows.length) {
        // Recorded with no end marker: its worker died; the last lines it wrote are all there is.
        if (await o.recordedApply(relay.sessionId)) recordedAt ??= Date.now();
        if (recordedAt !== undefined && Date.now() - recordedAt > SILENT_AFTER_RECORD_MS) break;
        await sleep(this.flushIntervalMs);
      }
    }
    return post(board.progress.end());
  }
}

/**
 * This process's hold on a relay, as it knows it: held until halfway to the expiry its last renewal set,
 * so a process stalled past that (a hung store call) stops speaking for the apply before another takes it.
 */
class Hold {
  private until: number;
  private readonly id: string;

  constructor(relay: Relay) {
    this.id = relay.deploymentId;
    this.until = Hold.halfway(relay.expiresAt);
  }

  held(): boolean {
    return Date.now() < this.until;
  }

  async renew(o: CloudOrchestrator): Promise<boolean> {
    const relay = await o.renewRelay(this.id);
    this.until = relay ? Hold.halfway(relay.expiresAt) : 0;
    return relay !== undefined;
  }

  private static halfway(expiresAt: string): number {
    return (Date.now() + Date.parse(expiresAt)) / 2;
  }
}
