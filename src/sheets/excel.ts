import type ExcelJS from 'exceljs';

/** exceljs adds ~27 MB to a process that loads it, so the bot loads it only when a spreadsheet is asked for. */
let loaded: typeof ExcelJS | undefined;

export async function loadExcel(): Promise<typeof ExcelJS> {
  return (loaded ??= (await import('exceljs')).default);
}

/** For code that only ever runs on a workbook loadExcel() produced. */
export function excel(): typeof ExcelJS {
  if (!loaded) throw new Error('exceljs used before loadExcel()');
  return loaded;
}
