import type ExcelJS from 'exceljs';
import { loadExcel } from './excel.js';
import { PROVIDER_LABELS, type Provider, type ResourceSpec, type ResourceType } from '../domain/resources.js';
import { toCell } from './cells.js';
import { columnsFor, type Column } from './columns.js';
import { exampleSpecs } from './examples.js';
import { instructionLines } from './instructions.js';
import { FIRST_DATA_ROW, HEADER_ROW, INSTRUCTIONS_SHEET, LISTS_SHEET, PROVIDER_KEY, RESOURCE_SHEETS } from './layout.js';
import { INLINE_LIST_MAX_CHARS, MAX_RESOURCES } from './limits.js';

const LAST_ROW = FIRST_DATA_ROW + MAX_RESOURCES - 1;
const BOOLEAN_LIST = ['TRUE', 'FALSE'];
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };

/** Drop-down lists too long for an inline list: one column each on the hidden Lists sheet, shared by every sheet. */
class Lists {
  readonly columns = new Map<string, string[]>();

  /** The validation formula for `values`: inline when Excel allows it, else a range on the Lists sheet. */
  formula(key: string, values: string[]): string {
    const inline = values.join(',');
    if (inline.length <= INLINE_LIST_MAX_CHARS && !values.some((v) => v.includes(',') || v.includes('"'))) return `"${inline}"`;
    if (!this.columns.has(key)) this.columns.set(key, values);
    const col = letter([...this.columns.keys()].indexOf(key) + 1);
    return `${LISTS_SHEET}!$${col}$2:$${col}$${values.length + 1}`;
  }

  write(wb: ExcelJS.Workbook): void {
    if (!this.columns.size) return;
    const ws = wb.addWorksheet(LISTS_SHEET, { state: 'hidden' });
    [...this.columns].forEach(([key, values], i) => {
      const col = ws.getColumn(i + 1);
      col.numFmt = '@';
      col.values = [key, ...values];
    });
  }
}

/** exceljs keeps range validations in worksheet.dataValidations (one range per column, not 2,000 cells); its typings omit it. */
type RangeValidations = { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } };

const letter = (n: number): string => (n > 26 ? letter(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26));

function validation(column: Column, lists: Lists): ExcelJS.DataValidation | undefined {
  const base = { allowBlank: true, showErrorMessage: true, errorTitle: column.field };
  if (column.kind === 'bool') return { ...base, type: 'list', formulae: [`"${BOOLEAN_LIST.join(',')}"`], errorStyle: 'stop', error: 'TRUE or FALSE.' };
  if (column.range) {
    const what = column.kind === 'int' ? 'A whole number' : 'A number';
    return { ...base, type: column.kind === 'int' ? 'whole' : 'decimal', operator: 'between', formulae: [column.range.min, column.range.max], errorStyle: 'stop', error: `${what} from ${column.range.min} to ${column.range.max}.` };
  }
  if (!column.choices) return undefined;
  return {
    ...base, type: 'list', formulae: [lists.formula(column.field, column.choices)],
    // Open lists (custom tiers, image ids) warn instead of refusing: import checks those values itself.
    errorStyle: column.open ? 'warning' : 'stop',
    error: column.open ? 'Not in the list; import accepts it only in the form the header note describes.' : `Pick a ${column.field} from the list.`,
  };
}

function headerNote(column: Column): string {
  const allowed = column.range ? ` Allowed: ${column.range.min} to ${column.range.max}.`
    : column.choices && !column.open && column.choices.join(', ').length <= 120 ? ` Allowed: ${column.choices.join(', ')}.`
      : column.choices ? ' Pick from the drop-down.' : '';
  return `${column.field}: ${column.note}${allowed}`;
}

function addResourceSheet(wb: ExcelJS.Workbook, provider: Provider, type: ResourceType, sheet: string, specs: ResourceSpec[], lists: Lists): void {
  const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: HEADER_ROW }] });
  const columns = columnsFor(provider, type);
  columns.forEach((column, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(14, column.field.length + 4, column.kind === 'list' || column.kind === 'subnets' || column.kind === 'labels' ? 30 : 0);
    // Text columns stay text, so Excel never turns a version 8.0 into the number 8 or a zone into a date.
    if (column.kind !== 'int' && column.kind !== 'decimal' && column.kind !== 'bool') col.numFmt = '@';
    const header = ws.getCell(HEADER_ROW, i + 1);
    header.value = column.field;
    header.font = { bold: true };
    header.fill = HEADER_FILL;
    header.note = headerNote(column);
    const rule = validation(column, lists);
    if (rule) (ws as unknown as RangeValidations).dataValidations.add(`${letter(i + 1)}${FIRST_DATA_ROW}:${letter(i + 1)}${LAST_ROW}`, rule);
  });
  specs.forEach((spec, r) => columns.forEach((column, i) => {
    ws.getCell(FIRST_DATA_ROW + r, i + 1).value = toCell(spec, column.field);
  }));
}

async function writeWorkbook(provider: Provider, specs: ResourceSpec[], kind: 'template' | 'export'): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'Cloud Engine';
  const intro = wb.addWorksheet(INSTRUCTIONS_SHEET);
  intro.getColumn(1).width = 14;
  intro.getColumn(2).width = 110;
  intro.addRow([`Cloud Engine resources — ${PROVIDER_LABELS[provider]}`]).font = { bold: true, size: 14 };
  intro.addRow([PROVIDER_KEY, provider]).font = { bold: true };
  for (const line of instructionLines(kind)) intro.addRow(line);
  const lists = new Lists();
  for (const { type, sheet } of RESOURCE_SHEETS) addResourceSheet(wb, provider, type, sheet, specs.filter((s) => s.type === type), lists);
  lists.write(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A blank template for a provider: instructions, one sheet per resource type with validated columns, and an example row each. */
export const buildTemplate = (provider: Provider): Promise<Buffer> => writeWorkbook(provider, exampleSpecs(provider), 'template');

/** A configuration as a filled template; importing it gives back the same specs, grouped by type. */
export const exportProject = (specs: ResourceSpec[], provider: Provider): Promise<Buffer> => writeWorkbook(provider, specs, 'export');
