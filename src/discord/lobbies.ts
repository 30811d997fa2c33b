import type { Logger } from 'pino';
import type { CloudOrchestrator } from '../core/orchestrator.js';
import type { SessionView } from '../core/views.js';
import { botActor } from './actor.js';
import type { Outbox } from './outbox.js';
import { renderLobby, type LobbyMessage } from './views/lobby.js';
import { recoveryComponents, recoveryEmbed } from './views/recovery.js';

/**
 * Redraws lobby messages from the orchestrator's current view. Redraws of one session run one
 * after another, each reading the state when it starts, so the last edit always shows the newest
 * state even when a plan finishing and a click race each other.
 */
export class Lobbies {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly orchestrator: CloudOrchestrator,
    private readonly outbox: Outbox,
    private readonly log: Logger,
    private readonly botUserId: () => string,
  ) {}

  view(sessionId: string, guildId: string): Promise<SessionView> {
    return this.orchestrator.sessionView(botActor(this.botUserId(), guildId), sessionId);
  }

  /** The recovery card of a session whose apply stopped part-way, for its thread; undefined for any other (or when it cannot be read). */
  async recoveryCard(sessionId: string, guildId: string): Promise<LobbyMessage | undefined> {
    try {
      const { recovery, project } = await this.view(sessionId, guildId);
      return recovery && { embeds: [recoveryEmbed(recovery, project.name)], components: recoveryComponents(recovery) };
    } catch (err) {
      this.log.warn({ err, sessionId }, 'could not read the recovery card');
      return undefined;
    }
  }

  /** Never throws: a lobby that cannot be edited (deleted, no access) is logged and left alone. */
  refresh(sessionId: string, guildId: string): Promise<void> {
    const previous = this.chains.get(sessionId) ?? Promise.resolve();
    const next = previous.then(() => this.redraw(sessionId, guildId)).catch((err: unknown) => {
      this.log.warn({ err, sessionId }, 'could not update the lobby message');
    });
    this.chains.set(sessionId, next);
    void next.then(() => {
      if (this.chains.get(sessionId) === next) this.chains.delete(sessionId);
    });
    return next;
  }

  private async redraw(sessionId: string, guildId: string): Promise<void> {
    const view = await this.view(sessionId, guildId);
    const { channelId, messageId } = view.session;
    if (!channelId || !messageId) return;
    await this.outbox.edit(channelId, messageId, renderLobby(view));
  }
}
