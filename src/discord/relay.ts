import type { Logger } from 'pino';
import type { CloudOrchestrator } from '../core/orchestrator.js';
import { END_OF_LOG } from '../core/queuedRuns.js';
import type { Deployment, Relay } from '../domain/runs.js';
import type { Session } from '../domain/sessions.js';
import { projectName } from '../domain/projects.js';
import type { Lobbies } from './lobbies.js';
import { isRetryableSendError, sendRetrying } from './logBatcher.js';
import type { Outbox } from './outbox.js';
import { applySummaryMessage, parseApplyCounts, type ApplyCounts } from './views/messages.js';

const MAX_CHARS = 2000 - '```\n'.length - '\n```'.length;
const SILENT_AFTER_RECORD_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Relays applies that workers run (RUN_QUEUE=workers) from the store into their threads. Progress is in
 * the store: the batch in flight is recorded before it is sent, under a nonce made of its line numbers, so
 * a bot process that takes the relay over after a restart sends it again under the same nonce (Discord
 * drops the second copy) and goes on from there — every line in the thread once, in order.
 */
export class QueuedRelays {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly orchestrator: CloudOrchestrator,
    private readonly outbox: Outbox,
    private readonly lobbies: Pick<Lobbies, 'refresh'>,
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
    const thread = relay.threadId;
    if (!relay.headerSent) {
      const by = approverId ? `, approved by <@${approverId}>` : '';
      await this.send(thread, `🚀 Applying the reviewed plan for **${projectName(session.projectId)}** (session \`${session.id.slice(0, 8)}\`)${by}. A worker runs it.`, `${session.id.slice(0, 8)}-start`);
      if (!await o.recordRelay(id, { headerSent: true })) return;
    }
    let posted = relay.postedSeq;
    let counts: ApplyCounts | undefined;
    const post = async (lines: Array<{ seq: number; line: string }>) => {
      const from = lines[0]!.seq;
      const to = lines.at(-1)!.seq;
      if (!await o.recordRelay(id, { sending: { from, to } })) return false;
      await this.send(thread, `\`\`\`\n${lines.map((l) => l.line).join('\n')}\n\`\`\``, `${id.slice(0, 8)}-${from}-${to}`);
      posted = to;
      return o.recordRelay(id, { postedSeq: to, sending: null });
    };
    // A batch the previous owner may or may not have posted: again, exactly those lines, the same nonce.
    if (relay.sending) {
      const again = (await o.runLogAfter(id, relay.sending.from - 1, relay.sending.to - relay.sending.from + 1)).filter((l) => l.seq <= relay.sending!.to).map(fit);
      if (again.length && !await post(again)) return;
    }
    let recordedAt: number | undefined;
    for (;;) {
      if (this.stopped || !await o.renewRelay(id)) return;
      const rows = await o.runLogAfter(id, posted, 500);
      const end = rows.findIndex((r) => r.line === END_OF_LOG);
      const lines = end >= 0 ? rows.slice(0, end) : rows;
      for (const batch of batches(lines)) {
        for (const l of batch) counts = parseApplyCounts(l.line) ?? counts;
        // Renewed per message: posting a long backlog must not outlast the hold.
        if (!await o.renewRelay(id) || !await post(batch)) return;
      }
      if (end >= 0) break;
      if (!rows.length) {
        // Recorded with no end marker: its worker died; the last lines it wrote are all there is.
        if (await o.recordedApply(session.id)) recordedAt ??= Date.now();
        if (recordedAt !== undefined && Date.now() - recordedAt > SILENT_AFTER_RECORD_MS) break;
        await sleep(this.flushIntervalMs);
      }
    }
    let result = await o.recordedApply(session.id);
    while (!result) {
      await sleep(this.flushIntervalMs);
      if (this.stopped || !await o.renewRelay(id)) return;
      result = await o.recordedApply(session.id);
    }
    try {
      await this.send(thread, applySummaryMessage(result, counts), `${session.id.slice(0, 8)}-end`);
    } catch (err) {
      // Discord kept failing: the relay stays open for the next sweep to send it (the same nonce). A refusal for good (the thread is gone) closes it.
      if (isRetryableSendError(err)) throw err;
      this.log.warn({ err, sessionId: session.id }, 'the apply summary was refused; the lobby shows the outcome');
    }
    await o.recordRelay(id, { done: true });
    await this.lobbies.refresh(session.id, session.guildId);
  }

  private send(channelId: string, content: string, nonce: string): Promise<void> {
    return sendRetrying((c, n) => this.outbox.send(channelId, { content: c, nonce: n }), content, nonce);
  }
}

/** A line as it is posted: one longer than a message is cut to fit (the same way on every attempt, so the same nonce carries the same text). */
const fit = (l: { seq: number; line: string }) => (l.line.length > MAX_CHARS ? { seq: l.seq, line: l.line.slice(0, MAX_CHARS) } : l);

/** Lines in messages under Discord's limit, in order. */
function batches(lines: Array<{ seq: number; line: string }>): Array<Array<{ seq: number; line: string }>> {
  const out: Array<Array<{ seq: number; line: string }>> = [];
  let current: Array<{ seq: number; line: string }> = [];
  let size = 0;
  for (const l of lines) {
    const line = fit(l);
    if (current.length && size + 1 + line.line.length > MAX_CHARS) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += (current.length > 1 ? 1 : 0) + line.line.length;
  }
  if (current.length) out.push(current);
  return out;
}
