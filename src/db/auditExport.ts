import type { Sql } from './sql.js';
import { queryAudit } from './audit.js';
import type { AuditFilter, AuditPage } from '../domain/audit.js';

/** One page, newest first, with the cursor for the next: keyset paging never re-reads skipped rows. */
export async function auditPage(q: Sql, filter: AuditFilter): Promise<AuditPage> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000);
  const rows = await queryAudit(q, { ...filter, limit });
  return { rows, nextBeforeId: rows.length === limit ? rows[rows.length - 1]!.id : null };
}
