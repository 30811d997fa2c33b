import type { AuditRow } from '../domain/audit.js';

export const AUDIT_CSV_COLUMNS = ['id', 'timestamp', 'event_type', 'status', 'action', 'user_id', 'user_name', 'guild_id', 'project_id', 'session_id', 'error', 'ip', 'details'] as const;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return, which some
 * apps strip first) as a formula, and audit fields hold user input: such cells get a leading `'`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field per RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsvRow(r: AuditRow): string {
  return [r.id, r.timestamp, r.eventType, r.status, r.action, r.userId, r.userName, r.guildId, r.projectId, r.sessionId, r.error ?? null, r.ip ?? null, JSON.stringify(r.details)]
    .map(csvCell).join(',');
}

export type AuditExportFormat = 'csv' | 'jsonl';

/**
 * An export's lines, as the rows arrive (a store streams them a page at a time): CSV is the header plus
 * CRLF-terminated rows as RFC 4180 asks; JSON Lines one object per line, so either can be written and
 * read incrementally.
 */
export async function* auditExportLines(rows: AsyncIterable<AuditRow> | Iterable<AuditRow>, format: AuditExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
  for await (const r of rows) yield format === 'csv' ? `${auditCsvRow(r)}\r\n` : `${JSON.stringify(r)}\n`;
}
