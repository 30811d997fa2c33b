import type { ProjectKey } from './projects.js';

export type AuditStatus = 'success' | 'failure' | 'denied' | 'info';

export interface AuditEvent {
  eventType: string;
  userId: string | null;
  guildId: string | null;
  projectId: ProjectKey | null;
  sessionId: string | null;
  action: string;
  status: AuditStatus;
  details: Record<string, unknown>;
  error?: string | null;
  ip?: string | null;
}

export interface AuditRow extends AuditEvent {
  id: number;
  timestamp: string;
}

export interface AuditFilter {
  guildId?: string;
  projectId?: ProjectKey;
  userId?: string;
  eventType?: string;
  since?: string;
  until?: string;
  /** Keyset paging: rows with id below this. */
  beforeId?: number;
  limit?: number;
}

export interface AuditPage {
  rows: AuditRow[];
  /** Pass as `beforeId` for the next (older) page; null once a page comes back short (a full last page yields one empty page). */
  nextBeforeId: number | null;
}

