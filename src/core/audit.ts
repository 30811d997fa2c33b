import type { Store } from '../domain/store.js';
import type { Actor } from '../policy/permissions.js';
import type { Clock } from './ports.js';
import type { AuditEvent } from '../domain/audit.js';

export type AuditInput = Omit<AuditEvent, 'userId' | 'userName' | 'guildId' | 'details'> & { details?: Record<string, unknown> };

/** Writes audit rows with who/where taken from the actor; call it inside the transaction it describes. */
export class Auditor {
  constructor(private readonly store: Store, private readonly clock: Clock) {}

  record(actor: Actor | null, e: AuditInput): Promise<number> {
    return this.store.audit.append({
      ...e,
      details: e.details ?? {},
      userId: actor?.userId ?? null,
      userName: actor?.userName ?? null,
      guildId: actor && !actor.operator ? actor.guildId : null,
    }, this.clock.now().toISOString());
  }
}
