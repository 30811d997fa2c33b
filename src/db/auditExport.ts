import type { Db } from './database.js';
import { queryAudit } from './audit.js';
import type { AuditFilter, AuditPage } from '../domain/audit.js';

/** One page, newest first, with the cursor for the next: keyset paging never re-reads skipped rows. */
export function auditPage(db: Db, filter: AuditFilter): AuditPage {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000);
  const rows = queryAudit(db, { ...filter, limit });
  return { rows, nextBeforeId: rows.length === limit ? rows[rows.length - 1]!.id : null };
}
