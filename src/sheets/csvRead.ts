import { PROVIDERS, RESOURCE_TYPES, RESOURCE_TYPE_LABELS } from '../domain/resources.js';
import { readField } from './cells.js';
import { columnsFor, type Column } from './columns.js';
import { CsvProblem, parseCsv } from './csv.js';
import { SOURCE, where, type FileItem } from './items.js';
import { MAX_CSV_COLUMNS, MAX_RESOURCES } from './limits.js';
import { fileError, plural } from './problems.js';
import { looksLikeZip } from './zip.js';

/** Every field of every type and provider: a CSV names its provider per row, or not at all. */
const FIELDS = new Map<string, Column>(PROVIDERS.flatMap((p) => RESOURCE_TYPES.flatMap((t) => columnsFor(p, t))).map((c) => [c.field, c]));
const TYPE_BY_LABEL = new Map(RESOURCE_TYPES.map((t) => [RESOURCE_TYPE_LABELS[t].toLowerCase(), t]));

function decode(buffer: Buffer, filename: string): string {
  if (looksLikeZip(buffer)) throw fileError(filename, ['it is a zip archive, not CSV text (an .xlsx renamed to .csv?); save it as CSV or upload the .xlsx']);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw fileError(filename, ['it is not UTF-8 text; save it as "CSV UTF-8 (Comma delimited)"']);
  }
  if (text.includes('\u0000')) throw fileError(filename, ['it is a binary file, not CSV text']);
  return text.replace(/^\uFEFF/, '');
}

function readHeader(fields: string[], filename: string): Array<string | undefined> {
  const names = fields.map((f) => f.trim().toLowerCase());
  const problems: string[] = [];
  const expected = `columns: type, name and any of ${[...FIELDS.keys()].filter((f) => f !== 'name').join(', ')} (and provider)`;
  if (names.length > MAX_CSV_COLUMNS) problems.push(`row 1 has ${names.length} columns; a resources CSV has at most ${MAX_CSV_COLUMNS}`);
  names.forEach((n, i) => {
    if (n === '') return;
    if (n !== 'type' && n !== 'provider' && !FIELDS.has(n)) problems.push(`Row 1, column ${i + 1}: header '${fields[i]!.slice(0, 40)}' is not a field; ${expected}`);
    else if (names.indexOf(n) !== i) problems.push(`Row 1: column ${n} appears twice`);
  });
  const missing = ['type', 'name'].filter((n) => !names.includes(n));
  if (missing.length) problems.push(`the header row (row 1) has no ${missing.join(' or ')} column; ${expected}`);
  if (problems.length) throw fileError(filename, problems);
  return names.map((n) => (n === '' ? undefined : n));
}

function readRecord(file: string, row: number, header: Array<string | undefined>, fields: string[], problems: string[]): FileItem {
  const source = { file, row };
  const item: FileItem = { [SOURCE]: source };
  fields.forEach((raw, i) => {
    const value = raw.trim();
    const name = header[i];
    if (value === '') return;
    if (!name) return void problems.push(`${where(source)}: column ${i + 1} has a value but no header; clear it or add the header`);
    if (name === 'type') item.type = TYPE_BY_LABEL.get(value.toLowerCase()) ?? value;
    else if (name === 'provider') item.provider = value;
    else {
      const read = readField(FIELDS.get(name)!, value);
      if ('problem' in read) problems.push(`${where(source, name)}: ${read.problem}`);
      else item[name] = read.value;
    }
  });
  if (item.type === undefined) item.type = '';
  return item;
}

/** A CSV with a header row (type, name, fields…) → one item per non-empty record. */
export function readCsv(buffer: Buffer, filename: string): FileItem[] {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(decode(buffer, filename));
  } catch (e) {
    if (e instanceof CsvProblem) throw fileError(filename, [`it is not valid CSV: ${e.message}`]);
    throw e;
  }
  if (!records.length) throw fileError(filename, ['it is empty; the first row must name the columns (type, name, …)']);
  const header = readHeader(records[0]!.fields, filename);
  const filled = records.slice(1).filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (filled.length > MAX_RESOURCES) throw fileError(filename, [`it has ${plural(filled.length, 'filled row')}; at most ${plural(MAX_RESOURCES, 'resource')} can be imported at once`]);
  const problems: string[] = [];
  const items = filled.map((r) => readRecord(filename, r.row, header, r.fields, problems));
  if (problems.length) throw fileError(filename, problems);
  return items;
}
