import type { Logger } from 'pino';
import type { ApplyRun } from '../core/applying.js';
import type { Lobbies } from './lobbies.js';
import type { LobbyRefs } from './lobbyRefs.js';
import { LogBatcher, sendRetrying } from './logBatcher.js';
import type { Outbox } from './outbox.js';
import type { QueuedRelays } from './relay.js';
import { applySummaryMessage, parseApplyCounts, type ApplyCounts } from './views/messages.js';
import type { Session } from '../domain/sessions.js';
import { projectName } from '../domain/projects.js';

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
 * Streams approved applies into a thread on the lobby message. Output goes out as channel
 * messages (not through the interaction token, which dies after 15 minutes), batched by LogBatcher.
 */
export class ApplyStreams {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly outbox: Outbox,
    private readonly lobbies: Pick<Lobbies, 'refresh'>,
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
    const header = `🚀 Applying the reviewed plan for **${projectName(session.projectId)}** (session \`${session.id.slice(0, 8)}\`), approved by <@${req.approverId}>.`;
    await this.sendRetrying(threadId, header, `${session.id.slice(0, 8)}-start`)
      .catch((err: unknown) => this.log.warn({ err, sessionId: session.id }, 'apply header not sent'));
    const batcher = new LogBatcher({
      send: async (content, key) => void (await this.outbox.send(threadId, { content, nonce: key })),
      flushIntervalMs: this.flushIntervalMs,
      onGiveUp: (err, lines) => this.log.error({ err, sessionId: session.id, lines }, 'apply output could not be posted'),
    });
    let counts: ApplyCounts | undefined;
    for await (const line of run.lines) {
      counts = parseApplyCounts(line) ?? counts;
      batcher.push(line);
    }
    await batcher.close();
    const result = await run.result;
    try {
      await this.sendRetrying(threadId, applySummaryMessage(result, counts), `${session.id.slice(0, 8)}-end`);
    } finally {
      // The lobby shows the outcome even when Discord never took the summary.
      await this.lobbies.refresh(session.id, session.guildId);
    }
  }

  private sendRetrying(channelId: string, content: string, nonce: string): Promise<void> {
    return sendRetrying((c, n) => this.outbox.send(channelId, { content: c, nonce: n }), content, nonce);
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
