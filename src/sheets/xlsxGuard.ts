import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS, MAX_CELLS, MAX_EXPANDED_CELLS } from './limits.js';
import { plural } from './problems.js';
import { ZipProblem } from './zip.js';

/**
 * Checks the decompressed parts of a workbook for what would make exceljs slow or unsafe, before
 * exceljs sees them: not a workbook at all, XML entity tricks, more cells than any template, and
 * ranges exceljs expands cell by cell (merged cells, defined names; validations are not loaded at all).
 */
export function checkWorkbookParts(parts: Map<string, Buffer>): void {
  if (parts.has('xl/workbook.bin')) throw new ZipProblem('it is a binary workbook (.xlsb); save it as an Excel Workbook (.xlsx)');
  if (!parts.has('xl/workbook.xml') || !parts.has('[Content_Types].xml')) throw new ZipProblem('it is a zip archive but not an Excel workbook');
  let cells = 0;
  let expanded = 0;
  for (const [name, data] of parts) {
    if (!/\.(xml|rels|vml)$/i.test(name)) continue;
    const xml = data.toString('utf8');
    // Workbook XML never declares a DTD; one that does is trying entity expansion.
    if (/<!(DOCTYPE|ENTITY)/i.test(xml)) throw new ZipProblem(`'${name.slice(0, 60)}' declares a DTD, which a workbook never does`);
    if (name === 'xl/workbook.xml') expanded += definedNameCells(xml);
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    cells += (xml.match(/<c[\s>/]/g) ?? []).length;
    if (cells > MAX_CELLS) throw new ZipProblem(`its worksheets hold more than ${plural(MAX_CELLS, 'cell')}; a resources file needs far fewer`);
    checkGrid(name, xml);
    for (const m of xml.matchAll(/<mergeCell\s[^>]*?ref="([^"]*)"/g)) expanded += rangeCells(m[1]!);
    if (expanded > MAX_EXPANDED_CELLS) break;
  }
  if (expanded > MAX_EXPANDED_CELLS) {
    throw new ZipProblem(`its merged cells and named ranges cover ${plural(expanded, 'cell')}; at most ${plural(MAX_EXPANDED_CELLS, 'cell')} are allowed`);
  }
}

const colNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

function checkGrid(name: string, xml: string): void {
  for (const m of xml.matchAll(/<(?:row|c)\s[^>]*?\br="([A-Z]*)(\d+)"/g)) {
    if (m[1]!.length > 3 || colNumber(m[1]!) > EXCEL_MAX_COLUMNS || Number(m[2]) > EXCEL_MAX_ROWS || Number(m[2]) < 1) {
      throw new ZipProblem(`'${name.slice(0, 60)}' has a cell outside Excel's grid (${m[1]}${m[2]!.slice(0, 12)})`);
    }
  }
}

/** Cells covered by space- or comma-separated A1 references; whole rows or columns are not expanded by exceljs. */
function rangeCells(refs: string): number {
  let total = 0;
  for (const m of refs.matchAll(/\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?/g)) {
    if (!m[3]) total += 1;
    else total += (Math.abs(colNumber(m[3]) - colNumber(m[1]!)) + 1) * (Math.abs(Number(m[4]) - Number(m[2])) + 1);
  }
  return total;
}

function definedNameCells(xml: string): number {
  let total = 0;
  for (const m of xml.matchAll(/<definedName\s([^>]*)>([^<]*)<\/definedName>/g)) {
    // exceljs turns print areas and titles into page setup instead of expanding them.
    if (/name="_xlnm\.Print_(Area|Titles)"/.test(m[1]!)) continue;
    total += rangeCells(m[2]!.replace(/'[^']*'!|[A-Za-z_][\w.]*!/g, ''));
  }
  return total;
}
