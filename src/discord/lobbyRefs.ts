import type { Db } from '../db/database.js';
import { setSessionMessage } from '../db/sessions.js';

export interface MessageRefs {
  channelId?: string;
  messageId?: string;
  threadId?: string;
}

/** Where a session's lobby and apply thread live, so the bot can edit them after a restart. */
export interface LobbyRefs {
  remember(sessionId: string, refs: MessageRefs): void;
}

/**
 * Stop-gap: the orchestrator has no call to record a session's message ids yet, so this one
 * repository function is called directly. Replace with `orchestrator.attachMessage` once the core
 * exposes it (see the Discord adapter's report); nothing else in src/discord touches src/db.
 */
export function dbLobbyRefs(db: Db): LobbyRefs {
  return { remember: (sessionId, refs) => setSessionMessage(db, sessionId, refs) };
}
