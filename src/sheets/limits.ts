/**
 * What a resource file may be. A template with 2,000 filled rows is well under every limit;
 * the caps exist so a hostile or mistaken upload is refused before it costs memory or time.
 */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Sum of the declared uncompressed sizes of every zip entry. */
export const MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024;
/** Spreadsheet XML compresses 5-30x; a zip bomb compresses thousands of times. */
export const MAX_COMPRESSION_RATIO = 200;
/** Ratios only matter once an entry is big enough to hurt. */
export const RATIO_CHECK_MIN_BYTES = 1024 * 1024;
export const MAX_ZIP_ENTRIES = 1000;
/** Cells in all worksheets together: room for 2,000 rows of every column, far below what exhausts memory. */
export const MAX_CELLS = 200_000;
/**
 * exceljs expands merged ranges and defined names cell by cell when it reads a workbook, so a
 * one-line `A1:XFD1048576` would allocate billions of entries: cap the total.
 */
export const MAX_EXPANDED_CELLS = 300_000;
export const MAX_RESOURCES = 2000;
/** A CSV with more columns than every field of every type is not a resources file. */
export const MAX_CSV_COLUMNS = 64;
/** Problems listed in one error; the rest are counted, so 10,000 bad rows stay readable. */
export const MAX_REPORTED_PROBLEMS = 100;
/** Excel refuses an inline drop-down list longer than this; longer lists go through a range. */
export const INLINE_LIST_MAX_CHARS = 255;
/** Excel's own grid. */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;
