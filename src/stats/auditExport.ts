import type { AuditRow } from '../domain/audit.js';

export const AUDIT_CSV_COLUMNS = ['id', 'timestamp', 'event_type', 'status', 'action', 'user_id', 'guild_id', 'project_id', 'session_id', 'error', 'ip', 'details'] as const;

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
  return [r.id, r.timestamp, r.eventType, r.status, r.action, r.userId, r.guildId, r.projectId, r.sessionId, r.error ?? null, r.ip ?? null, JSON.stringify(r.details)]
    .map(csvCell).join(',');
}

/** Header plus rows, CRLF-terminated as RFC 4180 asks; accepts any iterable so exports can stream. */
export function* auditCsvLines(rows: Iterable<AuditRow>): Generator<string> {
  yield `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
  for (const r of rows) yield `${auditCsvRow(r)}\r\n`;
}

export const auditToCsv = (rows: Iterable<AuditRow>): string => [...auditCsvLines(rows)].join('');

/** JSON Lines: one object per line, so a large export can be written and read incrementally. */
export function* auditJsonLines(rows: Iterable<AuditRow>): Generator<string> {
  for (const r of rows) yield `${JSON.stringify(r)}\n`;
}

export const auditToJson = (rows: Iterable<AuditRow>): string => `${JSON.stringify([...rows], null, 2)}\n`;
