import type { SaxesParser } from 'saxes';
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS, MAX_CELLS, MAX_EXPANDED_CELLS } from './limits.js';
import { plural } from './problems.js';
import { ZipProblem } from './zip.js';

/**
 * Checks the decompressed parts of a workbook for what would make exceljs slow or unsafe, before
 * exceljs sees them: not a workbook at all, XML entity tricks, more cells than any template, and
 * ranges exceljs expands cell by cell (merged cells, defined names; validations are not loaded at all).
 *
 * The guard must see exactly what exceljs will parse. exceljs picks parts by unanchored patterns
 * (`evil/xl/worksheets/sheet1.xml` is read as a worksheet), so any part those patterns match that is
 * not at its canonical path is refused; and each part is read with saxes, the parser exceljs uses, so
 * character references, quoting and whitespace decode the same way for both.
 */
/** saxes adds ~9 MB to a process that loads it, so (like exceljs) it is loaded when a workbook is first read. */
let Parser: typeof SaxesParser | undefined;

export async function checkWorkbookParts(parts: Map<string, Buffer>): Promise<void> {
  Parser ??= (await import('saxes')).SaxesParser;
  if (parts.has('xl/workbook.bin')) throw new ZipProblem('it is a binary workbook (.xlsb); save it as an Excel Workbook (.xlsx)');
  if (!parts.has('xl/workbook.xml') || !parts.has('[Content_Types].xml')) throw new ZipProblem('it is a zip archive but not an Excel workbook');
  const budget = { cells: 0, expanded: 0 };
  for (const [name, data] of parts) {
    checkPlacement(name);
    if (!/\.(xml|rels|vml)$/i.test(name)) continue;
    readXml(Parser, name, data, name === 'xl/workbook.xml' ? definedNames(budget) : WORKSHEET.test(name) ? worksheet(name, budget) : {});
    if (budget.expanded > MAX_EXPANDED_CELLS) {
      throw new ZipProblem(`its merged cells and named ranges cover ${plural(budget.expanded, 'cell')}; at most ${plural(MAX_EXPANDED_CELLS, 'cell')} are allowed`);
    }
  }
}

const WORKSHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

/** The patterns exceljs 4.4 matches entry names with (lib/xlsx/xlsx.js), each with the canonical path it stands for. */
const EXCELJS_PARTS: Array<[RegExp, RegExp]> = [
  [/xl\/worksheets\/sheet(\d+)[.]xml/, WORKSHEET],
  [/xl\/worksheets\/_rels\/sheet(\d+)[.]xml.rels/, /^xl\/worksheets\/_rels\/sheet\d+\.xml\.rels$/],
  [/xl\/theme\/([a-zA-Z0-9]+)[.]xml/, /^xl\/theme\/[a-zA-Z0-9]+\.xml$/],
  [/xl\/media\//, /^xl\/media\/[^/]+$/],
  [/xl\/drawings\/([a-zA-Z0-9]+)[.]xml/, /^xl\/drawings\/[a-zA-Z0-9]+\.xml$/],
  [/xl\/(comments\d+)[.]xml/, /^xl\/comments\d+\.xml$/],
  [/xl\/tables\/(table\d+)[.]xml/, /^xl\/tables\/table\d+\.xml$/],
  [/xl\/drawings\/_rels\/([a-zA-Z0-9]+)[.]xml[.]rels/, /^xl\/drawings\/_rels\/[a-zA-Z0-9]+\.xml\.rels$/],
  [/xl\/drawings\/(vmlDrawing\d+)[.]vml/, /^xl\/drawings\/vmlDrawing\d+\.vml$/],
];

function checkPlacement(name: string): void {
  const pattern = EXCELJS_PARTS.find(([loose]) => loose.test(name));
  if (pattern && !pattern[1].test(name)) throw new ZipProblem(`'${name.slice(0, 60)}' is not where a workbook keeps that part; a workbook saved by Excel never has it`);
}

interface Tag { name: string; attributes: Record<string, string> }
interface Handlers { open?: (tag: Tag) => void; text?: (text: string) => void; close?: (tag: Tag) => void }

function readXml(Parser: typeof SaxesParser, name: string, data: Buffer, h: Handlers): void {
  const parser = new Parser();
  let failure: string | undefined;
  // Workbook XML never declares a DTD; one that does is trying entity expansion.
  parser.on('doctype', () => { throw new ZipProblem(`'${name.slice(0, 60)}' declares a DTD, which a workbook never does`); });
  parser.on('error', (e) => { failure ??= e.message; });
  if (h.open) parser.on('opentag', (t) => h.open!(t as Tag));
  if (h.text) parser.on('text', h.text);
  if (h.close) parser.on('closetag', (t) => h.close!(t as Tag));
  parser.write(data.toString('utf8')).close();
  // exceljs would fail on the same XML with a less readable message.
  if (failure) throw new ZipProblem(`'${name.slice(0, 60)}' is not well-formed XML (${failure.slice(0, 120)})`);
}

const colNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/**
 * exceljs compares every merged range with every earlier one (quadratic), and a template has none: a
 * few are read (and then refused by name), thousands are refused here.
 */
const MAX_MERGES = 100;

function worksheet(name: string, budget: { cells: number; expanded: number }): Handlers {
  let merges = 0;
  return {
    open: ({ name: tag, attributes }) => {
      if (tag === 'c' && ++budget.cells > MAX_CELLS) throw new ZipProblem(`its worksheets hold more than ${plural(MAX_CELLS, 'cell')}; a resources file needs far fewer`);
      if ((tag === 'c' || tag === 'row') && attributes.r !== undefined) checkGrid(name, attributes.r);
      if (tag === 'col') checkColumns(name, attributes);
      if (tag !== 'mergeCell' || attributes.ref === undefined) return;
      if (++merges > MAX_MERGES) throw new ZipProblem(`'${name.slice(0, 60)}' merges more than ${MAX_MERGES} ranges; a resources file needs none`);
      budget.expanded += rangeCells(name, attributes.ref);
    },
  };
}

/** exceljs makes one object per column a `<col>` spans. */
function checkColumns(name: string, attributes: Record<string, string>): void {
  const [min, max] = [Number(attributes.min ?? 1), Number(attributes.max ?? attributes.min ?? 1)];
  if (![min, max].every((n) => Number.isInteger(n) && n >= 1 && n <= EXCEL_MAX_COLUMNS) || min > max) {
    throw new ZipProblem(`'${name.slice(0, 60)}' declares columns ${String(attributes.min).slice(0, 12)}–${String(attributes.max).slice(0, 12)}, outside Excel's grid`);
  }
}

function checkGrid(name: string, ref: string): void {
  const m = /^([A-Z]*)(\d+)$/.exec(ref.trim());
  if (!m) return;
  if (m[1]!.length > 3 || colNumber(m[1]!) > EXCEL_MAX_COLUMNS || Number(m[2]) > EXCEL_MAX_ROWS || Number(m[2]) < 1) {
    throw new ZipProblem(`'${name.slice(0, 60)}' has a cell outside Excel's grid (${m[1]}${m[2]!.slice(0, 12)})`);
  }
}

/**
 * An address as exceljs's colCache.decodeAddress reads it: capitals before the row are the column,
 * digits the row, and anything else is skipped — so `X-F-D1048576` and ` XFD1048576` are XFD1048576.
 */
function decodeAddress(value: string): { col?: number; row?: number } {
  let [col, row, hasCol, hasRow] = [0, 0, false, false];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!hasRow && c >= 65 && c <= 90) [hasCol, col] = [true, col * 26 + c - 64];
    else if (c >= 48 && c <= 57) [hasRow, row] = [true, row * 10 + c - 48];
    else if (hasRow && hasCol && c !== 36) break;
  }
  return { ...(hasCol ? { col } : {}), ...(hasRow ? { row } : {}) };
}

/** Cells exceljs expands for one reference (`A1` or `A1:B2`, decoded as it decodes them); a column past XFD fails its load instead. */
function rangeCells(name: string, ref: string): number {
  const parts = ref.split(':');
  if (parts.length < 2) return 1;
  const [a, b] = [decodeAddress(parts[0]!), decodeAddress(parts[1]!)];
  if ((a.col ?? 0) > EXCEL_MAX_COLUMNS || (b.col ?? 0) > EXCEL_MAX_COLUMNS) throw new ZipProblem(`'${name.slice(0, 60)}' refers to a column outside Excel's grid`);
  // A side without a column or row still makes exceljs walk the other: count that span as one, not zero.
  const span = (x?: number, y?: number) => (x === undefined || y === undefined ? 1 : Math.abs(y - x) + 1);
  return span(a.col, b.col) * span(a.row, b.row);
}

function definedNames(budget: { expanded: number }): Handlers {
  let current: { name: string; text: string[] } | undefined;
  return {
    open: ({ name, attributes }) => { if (name === 'definedName') current = { name: attributes.name ?? '', text: [] }; },
    text: (text) => void current?.text.push(text),
    close: ({ name }) => {
      if (name !== 'definedName' || !current) return;
      // exceljs turns print areas and titles into page setup instead of expanding them.
      // Each comma-separated range, its sheet name stripped, as exceljs's extractRanges and decodeEx take it.
      if (!/^_xlnm\.Print_(Area|Titles)$/.test(current.name)) {
        for (const range of current.text.join('').split(',')) budget.expanded += rangeCells('xl/workbook.xml', range.replace(/^(?:'(?:[^']|'')*'|[^'^ !]*)!/, ''));
      }
      current = undefined;
    },
  };
}
