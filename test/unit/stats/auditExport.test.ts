import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../../src/db/audit.js';
import { auditPage } from '../../../src/db/auditExport.js';
import { SqliteStore } from '../../../src/db/store.js';
import { NO_KEYS } from '../../../src/db/cipher.js';
import type { Sql } from '../../../src/db/sql.js';
import type { Db } from '../../../src/db/database.js';
import { AUDIT_CSV_COLUMNS, auditCsvRow, auditExportLines, csvCell, type AuditExportFormat } from '../../../src/stats/auditExport.js';
import { tempDb } from './seed.js';
import type { AuditRow } from '../../../src/domain/audit.js';
import { projectKey } from '../../../src/domain/projects.js';

const exported = async (rows: AuditRow[], format: AuditExportFormat) => {
  let text = '';
  for await (const l of auditExportLines(rows, format)) text += l;
  return text;
};

const row = (over: Partial<AuditRow> = {}): AuditRow => ({
  id: 7, timestamp: '2025-06-30T12:00:00.000Z', eventType: 'session_created', userId: '111', userName: 'alice', guildId: '222', projectId: projectKey('222', 'demo'), sessionId: 's1',
  action: 'approve', status: 'success', details: { to: 'APPLYING' }, error: null, ip: null, ...over,
});

/** A minimal RFC 4180 reader for one record, independent of the writer under test. */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      for (i++; i < line.length; i++) {
        if (line[i] === '"' && line[i + 1] === '"') { value += '"'; i++; } else if (line[i] === '"') break; else value += line[i];
      }
      fields.push(value);
      i += 2;
    } else {
      const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

describe('CSV cells', () => {
  it('GIVEN commas, quotes or line breaks THEN quotes the field and doubles inner quotes (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('GIVEN text a spreadsheet would run as a formula THEN prefixes a quote, also inside quoted fields', () => {
    for (const f of ['=1+1', '+1', '-2', '@SUM(A1)', '\tcmd']) expect(csvCell(f)).toBe(`'${f}`);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-5)).toBe('-5');
  });
});

describe('audit export', () => {
  it('GIVEN rows THEN CSV has the header and one CRLF-terminated line per row, details as JSON', async () => {
    const csv = await exported([row(), row({ id: 8, error: '=cmd|x', details: { note: 'a, "b"' } })], 'csv');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(lines[1]).toBe('7,2025-06-30T12:00:00.000Z,session_created,success,approve,111,alice,222,222/demo,s1,,,"{""to"":""APPLYING""}"');
    expect(lines[2]).toContain(",'=cmd|x,");
    expect(lines[3]).toBe('');
  });

  it('GIVEN hostile text in every field THEN an RFC 4180 reader gets the same fields back, formulas defused', () => {
    const nasty = 'a,"b"\r\nc';
    const fields = parseCsvLine(auditCsvRow(row({ action: nasty, error: '@x', details: { k: nasty } })));
    expect(fields).toHaveLength(AUDIT_CSV_COLUMNS.length);
    expect(fields[4]).toBe(nasty);
    expect(fields[10]).toBe("'@x");
    expect(JSON.parse(fields[12]!)).toEqual({ k: nasty });
  });

  it('GIVEN rows THEN JSON Lines gives one object per line that round-trips', async () => {
    const rows = [row(), row({ id: 8 })];
    expect((await exported(rows, 'jsonl')).split('\n').filter(Boolean).map((l) => JSON.parse(l))).toEqual(rows);
  });
});

describe('audit paging', () => {
  let db: Db;
  let q: Sql;
  let close: () => void;
  beforeEach(async () => {
    ({ db, q, close } = tempDb());
    for (let i = 0; i < 25; i++) {
      (await appendAudit(q, { eventType: 'session_created', userId: 'u', guildId: 'g', projectId: projectKey('g', i % 2 ? 'odd' : 'even'), sessionId: null, action: `a${i}`, status: 'info', details: { i } }, `2025-06-30T00:00:${String(i).padStart(2, '0')}.000Z`));
    }
  });
  afterEach(() => close());

  it('GIVEN pages of 5 THEN walks the project newest first with no gaps or repeats, and the cursor ends', async () => {
    const seen: number[] = [];
    let cursor: number | null | undefined;
    do {
      const page = (await auditPage(q, { projectId: projectKey('g', 'odd'), limit: 5, ...(cursor ? { beforeId: cursor } : {}) }));
      seen.push(...page.rows.map((r) => r.details.i as number));
      cursor = page.nextBeforeId;
    } while (cursor);
    expect(seen).toEqual([23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1]);
  });

  it('GIVEN a small page size THEN the store’s audit iteration still yields every matching row once', async () => {
    const rows = async (it: AsyncIterable<{ details: Record<string, unknown> }>) => { const all = []; for await (const r of it) all.push(r); return all; };
    const store = new SqliteStore(db, NO_KEYS);
    expect((await rows(store.audit.iterate({ projectId: projectKey('g', 'even') }, 4))).map((r) => r.details.i)).toEqual([24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0]);
    expect(await rows(store.audit.iterate({}, 5))).toHaveLength(25);
  });
});
