import { SaxesParser } from 'saxes';
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
export function checkWorkbookParts(parts: Map<string, Buffer>): void {
  if (parts.has('xl/workbook.bin')) throw new ZipProblem('it is a binary workbook (.xlsb); save it as an Excel Workbook (.xlsx)');
  if (!parts.has('xl/workbook.xml') || !parts.has('[Content_Types].xml')) throw new ZipProblem('it is a zip archive but not an Excel workbook');
  const budget = { cells: 0, expanded: 0 };
  for (const [name, data] of parts) {
    checkPlacement(name);
    if (!/\.(xml|rels|vml)$/i.test(name)) continue;
    readXml(name, data, name === 'xl/workbook.xml' ? definedNames(budget) : WORKSHEET.test(name) ? worksheet(name, budget) : {});
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

function readXml(name: string, data: Buffer, h: Handlers): void {
  const parser = new SaxesParser();
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

function worksheet(name: string, budget: { cells: number; expanded: number }): Handlers {
  return {
    open: ({ name: tag, attributes }) => {
      if (tag === 'c' && ++budget.cells > MAX_CELLS) throw new ZipProblem(`its worksheets hold more than ${plural(MAX_CELLS, 'cell')}; a resources file needs far fewer`);
      if ((tag === 'c' || tag === 'row') && attributes.r !== undefined) checkGrid(name, attributes.r);
      if (tag === 'mergeCell' && attributes.ref !== undefined) budget.expanded += rangeCells(attributes.ref);
    },
  };
}

function checkGrid(name: string, ref: string): void {
  const m = /^([A-Z]*)(\d+)$/.exec(ref.trim());
  if (!m) return;
  if (m[1]!.length > 3 || colNumber(m[1]!) > EXCEL_MAX_COLUMNS || Number(m[2]) > EXCEL_MAX_ROWS || Number(m[2]) < 1) {
    throw new ZipProblem(`'${name.slice(0, 60)}' has a cell outside Excel's grid (${m[1]}${m[2]!.slice(0, 12)})`);
  }
}

/** Cells covered by space- or comma-separated A1 references; whole rows or columns are not expanded by exceljs. */
function rangeCells(refs: string): number {
  let total = 0;
  for (const m of refs.matchAll(/\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?/gi)) {
    if (!m[3]) total += 1;
    else total += (Math.abs(colNumber(m[3].toUpperCase()) - colNumber(m[1]!.toUpperCase())) + 1) * (Math.abs(Number(m[4]) - Number(m[2])) + 1);
  }
  return total;
}

function definedNames(budget: { expanded: number }): Handlers {
  let current: { name: string; text: string[] } | undefined;
  return {
    open: ({ name, attributes }) => { if (name === 'definedName') current = { name: attributes.name ?? '', text: [] }; },
    text: (text) => void current?.text.push(text),
    close: ({ name }) => {
      if (name !== 'definedName' || !current) return;
      // exceljs turns print areas and titles into page setup instead of expanding them.
      if (!/^_xlnm\.Print_(Area|Titles)$/.test(current.name)) budget.expanded += rangeCells(current.text.join('').replace(/'[^']*'!|[A-Za-z_][\w.]*!/g, ''));
      current = undefined;
    },
  };
}
