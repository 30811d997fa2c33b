import type { CloudOrchestrator } from '../core/orchestrator.js';
import type { MessageRefs } from '../domain/sessions.js';


/** Where a session's lobby and apply thread live, so the bot can edit them after a restart. */
export interface LobbyRefs {
  remember(sessionId: string, refs: MessageRefs): Promise<void>;
}

export function orchestratorLobbyRefs(orchestrator: CloudOrchestrator): LobbyRefs {
  return { remember: (sessionId, refs) => orchestrator.attachMessage(sessionId, refs) };
}
