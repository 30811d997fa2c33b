import { readCsv } from './csvRead.js';
import type { FileItem } from './items.js';
import { MAX_FILE_BYTES } from './limits.js';
import { fileError } from './problems.js';
import { readWorkbook } from './xlsxRead.js';

export { buildTemplate, exportProject } from './xlsxWrite.js';
export { exportCsv } from './csvWrite.js';
export { declaredProvider, itemsError, providerMismatch, validateItems, type FileItem } from './items.js';
export { MAX_FILE_BYTES } from './limits.js';

/** The formats read here that the CLI's JSON reader does not. */
export const isSpreadsheet = (filename: string) => /\.(xlsx|csv)$/i.test(filename);

/**
 * Reads a filled template (.xlsx), a CSV (a type column plus field columns) or a JSON array into resource items,
 * each remembering its row so validateItems can say where a problem is. Structural problems
 * (not a spreadsheet, too big, wrong sheets or headers, merged cells, formulas, dates) refuse the
 * whole file here; values are checked by validateItems against the session's provider.
 */
export async function parseResourceFile(buffer: Buffer, filename: string): Promise<FileItem[]> {
  if (buffer.length > MAX_FILE_BYTES) throw fileError(filename, [`it is ${(buffer.length / 1048576).toFixed(1)} MB; at most ${MAX_FILE_BYTES / 1048576} MB is allowed`]);
  const name = filename.toLowerCase();
  if (name.endsWith('.xlsx')) return readWorkbook(buffer, filename);
  if (name.endsWith('.csv')) return readCsv(buffer, filename);
  if (name.endsWith('.json')) return readJson(buffer, filename);
  if (name.endsWith('.xls') || name.endsWith('.xlsm') || name.endsWith('.ods')) throw fileError(filename, ['only .xlsx workbooks are read; save it as an Excel Workbook (.xlsx) or as CSV']);
  throw fileError(filename, ['not a resources file: give the .xlsx template, a .csv or a .json file']);
}

/** The CLI's JSON format, [{type, name, …}]: its items have no rows, so problems name resources[i]. */
function readJson(buffer: Buffer, filename: string): FileItem[] {
  let data: unknown;
  try {
    data = JSON.parse(buffer.toString('utf8'));
  } catch (e) {
    throw fileError(filename, [`it is not valid JSON: ${(e as Error).message.slice(0, 120)}`]);
  }
  if (!Array.isArray(data)) throw fileError(filename, ['it must hold a JSON array of resources: [{"type": "compute_vm", "name": "web-1", …}]']);
  const bad = data.findIndex((d) => typeof d !== 'object' || d === null || Array.isArray(d));
  if (bad >= 0) throw fileError(filename, [`resources[${bad}] must be an object with type, name and its fields`]);
  return data as FileItem[];
}
