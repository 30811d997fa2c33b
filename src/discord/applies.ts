import type { Logger } from 'pino';
import type { ApplyRun } from '../core/applying.js';
import type { Lobbies } from './lobbies.js';
import type { LobbyRefs } from './lobbyRefs.js';
import type { Outbox } from './outbox.js';
import type { QueuedRelays } from './relay.js';
import { StatusBoard } from './statusBoard.js';
import { applyHeader } from './views/messages.js';
import type { Session } from '../domain/sessions.js';
import { projectName } from '../domain/projects.js';
import type { ApplyError } from '../terraform/applyProgress.js';

export interface LobbyLocation {
  channelId: string;
  messageId: string;
}

export interface ApplyRequest {
  session: Session;
  lobby: LobbyLocation;
  approverId: string;
  approverName: string;
}

/**
 * Follows approved applies in a thread on the lobby message: a status board edited in place, errors
 * and the summary as messages, the whole output attached. Channel messages, not the interaction token,
 * which dies after 15 minutes.
 */
export class ApplyStreams {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly outbox: Outbox,
    private readonly lobbies: Pick<Lobbies, 'refresh' | 'recoveryCard'>,
    private readonly refs: LobbyRefs,
    private readonly log: Logger,
    private readonly flushIntervalMs = 1000,
    private readonly relays?: QueuedRelays,
  ) {}

  /** Streams a started apply into its lobby's thread, in the background. */
  follow(req: ApplyRequest, run: ApplyRun): void {
    const streaming = this.stream(req, run).catch((err: unknown) => this.log.error({ err, sessionId: req.session.id }, 'apply stream failed'));
    this.running.add(streaming);
    void streaming.finally(() => this.running.delete(streaming));
  }

  /** Resolves when every stream has posted its summary (shutdown waits on this). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async stream(req: ApplyRequest, run: ApplyRun): Promise<void> {
    const { session } = req;
    const threadId = await this.openThread(req);
    // Only lets a restarted bot find the thread: a store that refuses it (full, busy) must not cost the stream.
    await this.refs.remember(session.id, { threadId }).catch((err: unknown) => this.log.warn({ err, sessionId: session.id }, 'thread reference not saved'));
    if (run.queued && this.relays) {
      // A worker runs it; the relay goes from the store, so any bot process can carry it on after a restart.
      void run.result.catch((err: unknown) => this.log.warn({ err, sessionId: session.id }, 'following the queued apply failed; the sweep settles it'));
      await this.relays.begin(run.queued, threadId, session, req.approverId);
      return;
    }
    const board = new StatusBoard({
      outbox: this.outbox, log: this.log, channelId: threadId, key: session.id.slice(0, 8), minEditMs: this.flushIntervalMs,
      header: applyHeader(session, req.approverId, false),
    }, run.planned);
    const boardId = await board.open().catch((err: unknown) => void this.log.warn({ err, sessionId: session.id }, 'status board not posted'));
    if (boardId) await this.refs.remember(session.id, { boardMessageId: boardId }).catch((err: unknown) => this.log.warn({ err, sessionId: session.id }, 'board reference not saved'));
    const output: string[] = [];
    // Errors go out in order, behind the lines: reading Terraform's output never waits on Discord.
    let posting = Promise.resolve();
    const post = (errors: ApplyError[]) => {
      for (const e of errors) posting = posting.then(() => board.postError(e)).catch((err: unknown) => this.log.warn({ err, sessionId: session.id }, 'apply error not posted'));
    };
    try {
      for await (const line of run.lines) {
        output.push(line);
        post(board.progress.feed(line));
      }
      post(board.progress.end());
      await posting;
      const result = await run.result;
      await board.finish(result, output, await this.lobbies.recoveryCard(session.id, session.guildId));
    } finally {
      board.stop();
      // The lobby shows the outcome even when Discord never took the summary.
      await this.lobbies.refresh(session.id, session.guildId);
    }
  }

  /** A thread on the lobby; when one cannot be made (no permission, a thread channel) the lobby's channel. */
  private async openThread(req: ApplyRequest): Promise<string> {
    const name = `deploy ${projectName(req.session.projectId)} ${req.session.id.slice(0, 8)}`;
    try {
      return (await this.outbox.startThread(req.lobby.channelId, req.lobby.messageId, name)).id;
    } catch (err) {
      this.log.warn({ err, sessionId: req.session.id }, 'could not start an apply thread; streaming into the channel');
      return req.lobby.channelId;
    }
  }
}
