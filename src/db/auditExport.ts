import type { Db } from './database.js';
import { queryAudit, type AuditFilter, type AuditRow } from './audit.js';

export interface AuditPage {
  rows: AuditRow[];
  /** Pass as `beforeId` for the next (older) page; null once a page comes back short (a full last page yields one empty page). */
  nextBeforeId: number | null;
}

/** One page, newest first, with the cursor for the next: keyset paging never re-reads skipped rows. */
export function auditPage(db: Db, filter: AuditFilter): AuditPage {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000);
  const rows = queryAudit(db, { ...filter, limit });
  return { rows, nextBeforeId: rows.length === limit ? rows[rows.length - 1]!.id : null };
}

/** Every matching row, newest first, read a page at a time so an export of millions stays in bounded memory. */
export function* iterateAudit(db: Db, filter: Omit<AuditFilter, 'limit'>, pageSize = 1000): Generator<AuditRow> {
  let beforeId = filter.beforeId;
  for (;;) {
    const rows = queryAudit(db, { ...filter, beforeId, limit: pageSize });
    yield* rows;
    if (rows.length < pageSize) return;
    beforeId = rows[rows.length - 1]!.id;
  }
}
