import type ExcelJS from 'exceljs';
import { excel, loadExcel } from './excel.js';
import { parseProvider } from '../resources/validate.js';
import { PROVIDERS, RESOURCE_TYPE_LABELS, type Provider, type ResourceType } from '../domain/resources.js';
import { readField } from './cells.js';
import { columnsFor, type Column } from './columns.js';
import { SOURCE, where, type FileItem } from './items.js';
import { FIRST_DATA_ROW, HEADER_ROW, INSTRUCTIONS_SHEET, LISTS_SHEET, PROVIDER_KEY, RESOURCE_SHEETS } from './layout.js';
import { MAX_RESOURCES } from './limits.js';
import { fileError, plural } from './problems.js';
import { checkWorkbookParts } from './xlsxGuard.js';
import { rebuildArchive, unzipBounded, ZipProblem } from './zip.js';

type Cell = ExcelJS.Cell;
type Value = string | number | boolean;

/**
 * The cell's value, or why it cannot be imported. Formulas are refused, not trusted: their cached
 * result may be stale or forged (a generated file need not match what Excel would recompute), and
 * a value the user cannot see typed is not one they reviewed.
 */
function cellValue(cell: Cell): { value?: Value; problem?: string } {
  const v = cell.value;
  switch (cell.type) {
    case excel().ValueType.Null: return {};
    case excel().ValueType.Number: case excel().ValueType.String: case excel().ValueType.SharedString: case excel().ValueType.Boolean:
      return { value: v as Value };
    case excel().ValueType.RichText: return { value: cell.text };
    // A hyperlink imports as the text it shows; the link itself is ignored.
    case excel().ValueType.Hyperlink: return { value: cell.text };
    case excel().ValueType.Date:
      return { problem: `cell ${cell.address} is a date (${(v as Date).toISOString().slice(0, 10)}); no field is a date: format the cell as Text or Number and type the value again` };
    case excel().ValueType.Formula:
      return { problem: `cell ${cell.address} holds a formula (=${cell.formula.slice(0, 40)}); formulas are not imported: replace it with its value (Copy, then Paste Special → Values)` };
    case excel().ValueType.Error: return { problem: `cell ${cell.address} shows the error ${(v as ExcelJS.CellErrorValue).error}` };
    default: return { problem: `cell ${cell.address} holds a value that cannot be imported` };
  }
}

const isBlank = (cell: Cell) => cell.type === excel().ValueType.Null || (typeof cell.value === 'string' && cell.value.trim() === '') || (cell.type === excel().ValueType.RichText && cell.text.trim() === '');

/** Expected columns: the declared provider's, or, for a workbook that names none, any provider's. */
function expectedColumns(type: ResourceType, provider: Provider | undefined): { required: string[]; known: Map<string, Column> } {
  const sets = (provider ? [provider] : PROVIDERS).map((p) => columnsFor(p, type));
  const known = new Map(sets.flat().map((c) => [c.field, c]));
  return { required: [...known.keys()].filter((f) => sets.every((s) => s.some((c) => c.field === f))), known };
}

function readProvider(wb: ExcelJS.Workbook, problems: string[]): Provider | undefined {
  const sheet = wb.worksheets.find((w) => w.name.toLowerCase() === INSTRUCTIONS_SHEET.toLowerCase());
  let found: Provider | undefined;
  sheet?.eachRow((row, r) => {
    if (row.getCell(1).text.trim() !== PROVIDER_KEY) return;
    try {
      found = parseProvider(row.getCell(2).text.trim());
    } catch (e) {
      problems.push(`${where({ sheet: sheet.name, row: r }, 'B')}: ${(e as Error).message}`);
    }
  });
  return found;
}

function checkSheets(wb: ExcelJS.Workbook, problems: string[]): void {
  const expected = RESOURCE_SHEETS.map((s) => s.sheet);
  const names = wb.worksheets.map((w) => w.name);
  const known = new Set([...expected, INSTRUCTIONS_SHEET, LISTS_SHEET].map((n) => n.toLowerCase()));
  for (const n of names) if (!known.has(n.toLowerCase())) problems.push(`Sheet "${n.slice(0, 40)}" is not part of the template; expected sheets: ${expected.join(', ')}`);
  const missing = expected.filter((e) => !names.some((n) => n.toLowerCase() === e.toLowerCase()));
  if (missing.length) problems.push(`missing sheet(s) ${missing.map((m) => `"${m}"`).join(', ')}; a template has the sheets ${expected.join(', ')} (leave a sheet with only its header row when you need none of that type)`);
}

/** Maps header columns to fields; an entirely empty sheet simply has no resources. */
function readHeader(ws: ExcelJS.Worksheet, type: ResourceType, provider: Provider | undefined, problems: string[]): Map<number, Column> {
  const { required, known } = expectedColumns(type, provider);
  const byCol = new Map<number, Column>();
  if (ws.actualRowCount === 0) return byCol;
  const list = `expected headers: ${[...known.keys()].join(', ')}`;
  ws.getRow(HEADER_ROW).eachCell((cell, col) => {
    if (isBlank(cell)) return;
    const text = cell.text.trim().toLowerCase();
    const column = known.get(text);
    if (!column) problems.push(`Sheet "${ws.name}", column ${cell.address.replace(/\d+$/, '')}: header '${cell.text.slice(0, 40)}' is not a ${RESOURCE_TYPE_LABELS[type]} field; ${list}`);
    else if ([...byCol.values()].includes(column)) problems.push(`Sheet "${ws.name}": column ${text} appears twice`);
    else byCol.set(col, column);
  });
  const missing = required.filter((f) => ![...byCol.values()].some((c) => c.field === f));
  if (missing.length) problems.push(`Sheet "${ws.name}": missing column(s) ${missing.join(', ')}; ${list}`);
  return byCol;
}

function readRows(file: string, ws: ExcelJS.Worksheet, type: ResourceType, provider: Provider | undefined, byCol: Map<number, Column>, problems: string[]): FileItem[] {
  const items: FileItem[] = [];
  ws.eachRow((row, r) => {
    if (r < FIRST_DATA_ROW) return;
    const cells: Cell[] = [];
    row.eachCell((cell) => void (isBlank(cell) ? null : cells.push(cell)));
    // Empty rows are skipped; the others keep their Excel row number in every message.
    if (!cells.length) return;
    const source = { file, sheet: ws.name, row: r };
    const item: FileItem = { type, ...(provider ? { provider } : {}), [SOURCE]: source };
    for (const cell of cells) {
      const column = byCol.get(Number(cell.col));
      const at = where(source, column?.field ?? cell.address.replace(/\d+$/, ''));
      const { value, problem } = cellValue(cell);
      if (!column) problems.push(`${at}: cell ${cell.address} is outside the template's columns; clear it or give its column a header`);
      else if (problem) problems.push(`${at}: ${problem}`);
      else if (value !== undefined) {
        const read = readField(column, value);
        if ('problem' in read) problems.push(`${at}: ${read.problem}`);
        else item[column.field] = read.value;
      }
    }
    items.push(item);
  });
  return items;
}

async function load(buffer: Buffer, filename: string): Promise<ExcelJS.Workbook> {
  let canonical: Buffer;
  try {
    const parts = unzipBounded(buffer);
    await checkWorkbookParts(parts);
    canonical = await rebuildArchive(parts);
  } catch (e) {
    if (e instanceof ZipProblem) throw fileError(filename, [`it cannot be read as an Excel workbook (.xlsx): ${e.message}`]);
    throw e;
  }
  const wb = new (await loadExcel()).Workbook();
  try {
    // Validation rules are for Excel's user, not for import; exceljs would expand each range cell by cell.
    await wb.xlsx.load(canonical as unknown as ExcelJS.Buffer, { ignoreNodes: ['dataValidations'] });
  } catch (e) {
    throw fileError(filename, [`it cannot be read as an Excel workbook (.xlsx): ${(e as Error).message.slice(0, 200)}`]);
  }
  return wb;
}

/** A filled template → one item per non-empty row, in sheet order; any structural problem refuses the whole file. */
export async function readWorkbook(buffer: Buffer, filename: string): Promise<FileItem[]> {
  const wb = await load(buffer, filename);
  const problems: string[] = [];
  checkSheets(wb, problems);
  const provider = readProvider(wb, problems);
  const sheets = RESOURCE_SHEETS.flatMap(({ type, sheet }) => {
    const ws = wb.worksheets.find((w) => w.name.toLowerCase() === sheet.toLowerCase());
    return ws ? [{ type, ws }] : [];
  });
  // ws.model serialises the whole sheet; only ask it for the ranges when there are merges at all.
  for (const { ws } of sheets.filter((s) => s.ws.hasMerges)) for (const range of ws.model.merges) problems.push(`Sheet "${ws.name}": merged cells ${range} are not allowed; unmerge them (Merge & Center → Unmerge Cells)`);
  const headers = sheets.map(({ type, ws }) => readHeader(ws, type, provider, problems));
  if (problems.length) throw fileError(filename, problems);
  const rows = sheets.reduce((n, { ws }) => n + Math.max(0, ws.actualRowCount - 1), 0);
  if (rows > MAX_RESOURCES) throw fileError(filename, [`it has ${plural(rows, 'filled row')}; at most ${plural(MAX_RESOURCES, 'resource')} can be imported at once`]);
  const items = sheets.flatMap(({ type, ws }, i) => readRows(filename, ws, type, provider, headers[i]!, problems));
  if (problems.length) throw fileError(filename, problems);
  return items;
}
