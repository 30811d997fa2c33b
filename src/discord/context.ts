import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { CloudOrchestrator } from '../core/orchestrator.js';
import type { ApplyStreams } from './applies.js';
import type { Lobbies } from './lobbies.js';
import type { LobbyRefs } from './lobbyRefs.js';
import type { Outbox } from './outbox.js';
import type { QueuedRelays } from './relay.js';

/** What handlers may use: the orchestrator for every decision, the rest to talk to Discord. */
export interface BotContext {
  orchestrator: CloudOrchestrator;
  config: Config;
  log: Logger;
  outbox: Outbox;
  lobbies: Lobbies;
  refs: LobbyRefs;
  applies: ApplyStreams;
  /** Relays of applies that workers run (RUN_QUEUE=workers), carried on by any bot process. */
  relays: QueuedRelays;
}
