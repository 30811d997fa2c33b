import { MAX_FILE_BYTES, MAX_RESOURCES } from './limits.js';

/** The Instructions sheet, one [label, text] row per line. */
export function instructionLines(kind: 'template' | 'export'): string[][] {
  const start = kind === 'template'
    ? ['Examples', 'Row 2 of every sheet is an example. It is imported like any other row: change it or delete it.']
    : ['Export', "This file is the project's deployed configuration. Edit it and import it to change the project."];
  return [
    [],
    start,
    ['Rows', 'One sheet per resource type, one row per resource. Empty rows are skipped.'],
    ['Columns', 'Row 1 names the fields: do not rename them or the sheets. Hover a header for what it means and its unit.'],
    ['Blanks', "Leave a cell blank to use the default the header's note names."],
    ['Lists', 'Drop-downs offer the allowed values; Cloud Engine checks every value again on import.'],
    ['Values', 'Type values, not formulas: a cell with a formula is refused (Copy, then Paste Special → Values). Do not merge cells.'],
    ['Names', 'Names must be unique across all sheets. A firewall rule names a network from the "VPC Network" sheet, or default.'],
    ['Limits', `At most ${MAX_RESOURCES.toLocaleString('en-US')} resources and ${MAX_FILE_BYTES / 1048576} MB per file.`],
    ['Import', 'Discord: /cloud-import project file:<this file>. CLI: cloud-engine plan --project <id> --resources <this file>.'],
    ['Careful', 'The file is the whole configuration: a deployed resource missing from it is destroyed when the plan is applied.'],
  ];
}
