import ExcelJS from 'exceljs';
import { crc32, deflateRawSync } from 'node:zlib';
import { buildTemplate } from '../../../src/sheets/index.js';
import { FIRST_DATA_ROW } from '../../../src/sheets/layout.js';
import type { Provider } from '../../../src/domain/resources.js';

export type Rows = Record<string, Array<Record<string, ExcelJS.CellValue>>>;

/**
 * Opens a workbook with everything loaded. `edit` leaves the drop-down rules out: a test that only
 * edits cells runs five times faster, and the reader ignores those rules anyway (template.test.ts
 * and the round trips read files that keep them).
 */
export async function open(buffer: Buffer, mode: 'full' | 'edit' = 'full'): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer, mode === 'edit' ? { ignoreNodes: ['dataValidations'] } : undefined);
  return wb;
}

export const save = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());

export function headers(ws: ExcelJS.Worksheet): string[] {
  return (ws.getRow(1).values as unknown[]).slice(1).map(String);
}

const templates = new Map<Provider, Promise<Buffer>>();
/** Templates are pure functions of the provider: build each once per test file. */
export const template = (provider: Provider) => templates.get(provider) ?? templates.set(provider, buildTemplate(provider)).get(provider)!;

/** Replaces every sheet's example with `rows` (by header name) — a template as a user fills it. */
export async function fillTemplate(provider: Provider, rows: Rows, edit?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = await open(await template(provider), 'edit');
  for (const ws of wb.worksheets) if (!['Instructions', 'Lists'].includes(ws.name)) ws.spliceRows(FIRST_DATA_ROW, 1);
  for (const [sheet, list] of Object.entries(rows)) {
    const ws = wb.getWorksheet(sheet)!;
    const cols = headers(ws);
    list.forEach((row, i) => {
      for (const [field, value] of Object.entries(row)) ws.getCell(FIRST_DATA_ROW + i, cols.indexOf(field) + 1).value = value;
    });
  }
  edit?.(wb);
  return save(wb);
}

interface ZipEntry {
  name: string;
  data: Buffer;
  /** Write this as the declared uncompressed size instead of the real one (a lying archive). */
  declaredSize?: number;
  /** Raw extra-field bytes for the central directory record. */
  extra?: Buffer;
  /** A different name in the local header than in the central directory (JSZip reads the local one). */
  localName?: string;
}

/** A minimal zip writer for hostile archives: deflated entries, sizes as given. */
/** `declaredCount`: what the end record claims, when it hides records after that many (JSZip reads on). */
export function zip(entries: ZipEntry[], { declaredCount }: { declaredCount?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.from(e.localName ?? e.name);
    const packed = deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8);
    header.writeUInt32LE(crc32(e.data), 14);
    header.writeUInt32LE(packed.length, 18);
    header.writeUInt32LE(size, 22);
    header.writeUInt16LE(local.length, 26);
    const extra = e.extra ?? Buffer.alloc(0);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(e.data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(header, local, packed);
    centrals.push(central, name, extra);
    offset += 30 + local.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(declaredCount ?? entries.length, 8);
  end.writeUInt16LE(declaredCount ?? entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

/** The parts of a workbook a guard looks at, with `sheet` as the first worksheet's XML. */
export function rawWorkbook(sheet: string, workbook = '<workbook><sheets><sheet name="Virtual Machine" sheetId="1" r:id="rId1"/></sheets></workbook>'): Buffer {
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: 'xl/workbook.xml', data: Buffer.from(workbook) },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(`<worksheet><sheetData>${sheet}</sheetData></worksheet>`) },
  ]);
}
