import type { Provider } from './resources.js';

export const SESSION_STATES = ['DRAFT', 'PLANNING', 'PLANNED', 'PLAN_FAILED', 'APPLYING', 'APPLIED', 'FAILED', 'INTERRUPTED', 'CANCELLED', 'EXPIRED'] as const;

export type SessionState = (typeof SESSION_STATES)[number];

export const FINAL_STATES: readonly SessionState[] = ['APPLIED', 'FAILED', 'INTERRUPTED', 'CANCELLED', 'EXPIRED'];

export interface Session {
  id: string;
  projectId: string;
  guildId: string;
  userId: string;
  userName: string;
  provider: Provider;
  state: SessionState;
  channelId: string | null;
  messageId: string | null;
  threadId: string | null;
  error: string | null;
  /** For a rollback: the commit whose configuration this session holds (committed as "Rollback to …" once applied). */
  rollbackOf: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

