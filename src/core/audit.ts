import type { Db } from '../db/database.js';
import { appendAudit, type AuditEvent } from '../db/audit.js';
import type { Actor } from '../policy/permissions.js';
import type { Clock } from './ports.js';

export type AuditInput = Omit<AuditEvent, 'userId' | 'guildId' | 'details'> & { details?: Record<string, unknown> };

/** Writes audit rows with who/where taken from the actor; call it inside the transaction it describes. */
export class Auditor {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  record(actor: Actor | null, e: AuditInput): number {
    return appendAudit(this.db, {
      ...e,
      details: e.details ?? {},
      userId: actor?.userId ?? null,
      guildId: actor && !actor.operator ? actor.guildId : null,
    }, this.clock.now().toISOString());
  }
}
