import { readCsv } from './csvRead.js';
import type { FileItem } from './items.js';
import { MAX_FILE_BYTES } from './limits.js';
import { fileError } from './problems.js';
import { readWorkbook } from './xlsxRead.js';

export { buildTemplate, exportProject } from './xlsxWrite.js';
export { exportCsv } from './csvWrite.js';
export { declaredProvider, itemsError, providerMismatch, sourceOf, validateItems, type FileItem, type RowSource } from './items.js';
export { MAX_FILE_BYTES, MAX_RESOURCES } from './limits.js';

export const SPREADSHEET_EXTENSIONS = ['.xlsx', '.csv'] as const;
export const isSpreadsheet = (filename: string) => SPREADSHEET_EXTENSIONS.some((ext) => filename.toLowerCase().endsWith(ext));

/**
 * Reads a filled template (.xlsx) or a CSV (a type column plus field columns) into resource items,
 * each remembering its row so validateItems can say where a problem is. Structural problems
 * (not a spreadsheet, too big, wrong sheets or headers, merged cells, formulas, dates) refuse the
 * whole file here; values are checked by validateItems against the session's provider.
 */
export async function parseResourceFile(buffer: Buffer, filename: string): Promise<FileItem[]> {
  if (buffer.length > MAX_FILE_BYTES) throw fileError(filename, [`it is ${(buffer.length / 1048576).toFixed(1)} MB; at most ${MAX_FILE_BYTES / 1048576} MB is allowed`]);
  const name = filename.toLowerCase();
  if (name.endsWith('.xlsx')) return readWorkbook(buffer, filename);
  if (name.endsWith('.csv')) return readCsv(buffer, filename);
  if (name.endsWith('.xls') || name.endsWith('.xlsm') || name.endsWith('.ods')) throw fileError(filename, ['only .xlsx workbooks are read; save it as an Excel Workbook (.xlsx) or as CSV']);
  throw fileError(filename, ['not a spreadsheet: upload the .xlsx template (/cloud-template) or a .csv file']);
}
