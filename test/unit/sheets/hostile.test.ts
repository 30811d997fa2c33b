import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/domain/errors.js';
import { parseResourceFile } from '../../../src/sheets/index.js';
import { unzipBounded } from '../../../src/sheets/zip.js';
import { fillTemplate, open, rawWorkbook, save, template, zip } from './helpers.js';

async function refusal(buffer: Buffer, name = 'upload.xlsx'): Promise<string> {
  const started = Date.now();
  try {
    await parseResourceFile(buffer, name);
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    expect((e as CoreError).code).toBe('validation');
    // Hostile input is refused fast: no decompressing, expanding or parsing it first.
    expect(Date.now() - started).toBeLessThan(10_000);
    return (e as CoreError).userMessage;
  }
  throw new Error('expected the file to be refused');
}

const MB = 1024 * 1024;

describe('files that are not spreadsheets', () => {
  it('GIVEN random bytes named .xlsx THEN it is not a zip archive', async () => {
    expect(await refusal(randomBytes(4096))).toBe('upload.xlsx: it cannot be read as an Excel workbook (.xlsx): it is not a zip archive (no central directory)');
  });

  it('GIVEN a text file renamed to .xlsx THEN it is not a zip archive', async () => {
    expect(await refusal(Buffer.from('name,region\nweb-1,local\n'), 'renamed.xlsx')).toContain('renamed.xlsx: it cannot be read as an Excel workbook (.xlsx): it is not a zip archive');
  });

  it('GIVEN a zip that is not a workbook THEN it says so', async () => {
    expect(await refusal(zip([{ name: 'notes.txt', data: Buffer.from('hello') }]))).toContain('it is a zip archive but not an Excel workbook');
  });

  it('GIVEN a .txt or an old .xls THEN the accepted formats are named', async () => {
    expect(await refusal(Buffer.from('hello'), 'resources.txt')).toBe('resources.txt: not a resources file: give the .xlsx template, a .csv or a .json file');
    expect(await refusal(Buffer.from('hello'), 'resources.xls')).toContain('only .xlsx workbooks are read');
  });

  it('GIVEN a file over 5 MB THEN it is refused before it is opened', async () => {
    expect(await refusal(Buffer.alloc(5 * MB + 1))).toBe('upload.xlsx: it is 5.0 MB; at most 5 MB is allowed');
  });

  it('GIVEN a workbook truncated in transit THEN it is refused, not half read', async () => {
    const whole = await template('sandbox');
    expect(await refusal(whole.subarray(0, whole.length - 100))).toContain('it cannot be read as an Excel workbook');
  });
});

describe('zip bombs', () => {
  it('GIVEN entries declaring more than 50 MB uncompressed THEN it is refused from the central directory alone', async () => {
    const entries = [0, 1, 2, 3, 4, 5].map((i) => ({ name: `xl/worksheets/sheet${i}.xml`, data: Buffer.alloc(10), declaredSize: 9 * MB }));
    expect(await refusal(zip(entries))).toContain('it would expand to more than 50 MB; refusing it as a possible zip bomb');
  });

  it('GIVEN one entry compressed a thousand to one THEN it is refused as a bomb', async () => {
    expect(await refusal(zip([{ name: 'xl/sharedStrings.xml', data: Buffer.alloc(20 * MB, 0x20) }]))).toMatch(/'xl\/sharedStrings.xml' is compressed \d+:1; refusing it as a possible zip bomb/);
  });

  it('GIVEN an entry that lies about its size THEN it is refused without inflating past the lie', async () => {
    const lie = zip([{ name: '[Content_Types].xml', data: Buffer.alloc(40 * MB, 0x20), declaredSize: 1000 }]);
    expect(await refusal(lie)).toContain(`'[Content_Types].xml' does not decompress to its declared size; refusing it`);
  });

  it('GIVEN a merged range over the whole grid THEN it is refused before exceljs expands it', async () => {
    const bomb = rawWorkbook('<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row></sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells><sheetData>');
    expect(await refusal(bomb)).toContain('its merged cells and named ranges cover 17,179,869,184 cells; at most 300,000 cells are allowed');
  });

  it('GIVEN a defined name over a huge range THEN it is refused before exceljs expands it', async () => {
    const workbook = '<workbook><definedNames><definedName name="all">\'Virtual Machine\'!$A$1:$Z$100000</definedName></definedNames></workbook>';
    expect(await refusal(rawWorkbook('', workbook))).toContain('its merged cells and named ranges cover 2,600,000 cells');
  });

  it('GIVEN a DTD in a part THEN it is refused as an entity expansion attempt', async () => {
    const workbook = '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><workbook/>';
    expect(await refusal(rawWorkbook('', workbook))).toContain(`'xl/workbook.xml' declares a DTD, which a workbook never does`);
  });

  it('GIVEN a real 22 KB template with a worksheet part under a prefixed folder THEN it is refused before exceljs reads that part', async () => {
    // exceljs reads any entry whose name contains xl/worksheets/sheetN.xml as a worksheet.
    const parts = unzipBounded(await template('sandbox'));
    const sheet = '<worksheet><sheetData/><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>';
    const archive = zip([...[...parts].map(([name, data]) => ({ name, data })), { name: 'evil/xl/worksheets/sheet9.xml', data: Buffer.from(sheet) }]);
    expect(await refusal(archive)).toContain(`'evil/xl/worksheets/sheet9.xml' is not where a workbook keeps that part`);
    for (const name of ['xl/worksheets/sheet1.xml.bak', 'x/xl/comments1.xml', 'a/xl/media/image1.png', 'xl/drawings/sub/xl/drawings/d1.xml']) {
      expect(await refusal(zip([...[...parts].map(([n, data]) => ({ name: n, data })), { name, data: Buffer.from('<x/>') }]))).toContain('is not where a workbook keeps that part');
    }
  });

  it('GIVEN a merged range spelled with character references or single quotes THEN the guard decodes it as exceljs would', async () => {
    const encoded = '</sheetData><mergeCells><mergeCell ref="&#65;1:&#x58;FD1048576"/></mergeCells><sheetData>';
    expect(await refusal(rawWorkbook(encoded))).toContain('its merged cells and named ranges cover 17,179,869,184 cells');
    const quoted = "</sheetData><mergeCells><mergeCell ref = 'A1:XFD1048576' /></mergeCells><sheetData>";
    expect(await refusal(rawWorkbook(quoted))).toContain('its merged cells and named ranges cover 17,179,869,184 cells');
    const name = '<workbook><definedNames><definedName name="all">&#65;1:&#90;100000</definedName></definedNames></workbook>';
    expect(await refusal(rawWorkbook('', name))).toContain('its merged cells and named ranges cover 2,600,000 cells');
  });

  it('GIVEN the same part twice, once with a leading slash, or a second Unicode name THEN the archive is refused', async () => {
    const parts = [...unzipBounded(await template('sandbox'))].map(([name, data]) => ({ name, data }));
    const bomb = Buffer.from('<worksheet><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>');
    expect(await refusal(zip([...parts, { name: '/xl/worksheets/sheet1.xml', data: bomb }]))).toContain(`the archive lists 'xl/worksheets/sheet1.xml' twice`);
    const target = Buffer.from('xl/worksheets/sheet1.xml');
    const upath = Buffer.alloc(4 + 5 + target.length);
    upath.writeUInt16LE(0x7075, 0);
    upath.writeUInt16LE(5 + target.length, 2);
    upath.writeUInt8(1, 4);
    upath.writeUInt32LE(crc32(Buffer.from('notes.txt')), 5);
    target.copy(upath, 9);
    expect(await refusal(zip([...parts, { name: 'notes.txt', data: bomb, extra: upath }]))).toContain(`'notes.txt' carries a second file name`);
  });

  it('GIVEN an archive whose local names, hidden directory records or dotted paths differ from what the guard reads THEN exceljs only ever sees the checked parts', async () => {
    const parts = [...unzipBounded(await template('sandbox'))].map(([name, data]) => ({ name, data }));
    const bomb = Buffer.from('<worksheet><sheetData/><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>');
    const sheetless = parts.filter((p) => p.name !== 'xl/worksheets/sheet9.xml');
    // JSZip names an entry by its local header: the bomb would be read as a worksheet. The rebuilt archive holds only what was checked.
    const local = zip([...sheetless, { name: 'docProps/custom.bin', localName: 'xl/worksheets/sheet9.xml', data: bomb }]);
    const hidden = zip([...sheetless, { name: 'xl/worksheets/sheet9.xml', data: bomb }], { declaredCount: sheetless.length });
    for (const archive of [local, hidden]) {
      const started = Date.now();
      expect(await parseResourceFile(archive, 'disguised.xlsx')).toHaveLength(5);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
    for (const name of ['xl/worksheets/./sheet9.xml', 'zz/../xl/worksheets/sheet9.xml', 'xl//worksheets/sheet9.xml', 'xl\\worksheets\\sheet9.xml']) {
      expect(await refusal(zip([...parts, { name, data: bomb }]))).toContain('is not a plain path inside the archive');
    }
  });

  it('GIVEN ranges spelled the way exceljs decodes them loosely, huge column spans or thousands of merges THEN each is refused before exceljs reads it', async () => {
    const sheet = (inner: string) => rawWorkbook(`</sheetData>${inner}<sheetData>`);
    for (const ref of ['A1: XFD1048576', 'A1:X-F-D1048576', 'A1:xfd1048576', 'A1:$X$F$D$1048576']) {
      expect(await refusal(sheet(`<mergeCells><mergeCell ref="${ref}"/></mergeCells>`)), ref).toMatch(/its merged cells and named ranges cover [\d,]+ cells; at most 300,000/);
    }
    expect(await refusal(rawWorkbook('', '<workbook><definedNames><definedName name="n">Sheet!A1:X-F-D100000</definedName></definedNames></workbook>'))).toContain('cover 1,638,400,000 cells');
    expect(await refusal(rawWorkbook('</sheetData><cols><col min="1" max="200000000"/></cols><sheetData>'))).toContain('declares columns 1–200000000, outside Excel\'s grid');
    const merges = Array.from({ length: 101 }, (_, i) => `<mergeCell ref="A${2 * i + 1}:A${2 * i + 2}"/>`).join('');
    expect(await refusal(sheet(`<mergeCells>${merges}</mergeCells>`))).toContain('merges more than 100 ranges');
  });

  it('GIVEN a part that is not well-formed XML THEN it says which part', async () => {
    expect(await refusal(rawWorkbook('<row r="1"><c r="A1"></row>'))).toContain(`'xl/worksheets/sheet1.xml' is not well-formed XML`);
  });

  it('GIVEN more cells than any template needs THEN it is refused before exceljs reads them', async () => {
    const rows = Array.from({ length: 20_001 }, (_, r) => `<row r="${r + 1}">${'ABCDEFGHIJ'.split('').map((c) => `<c r="${c}${r + 1}"><v>${r * 7 + c.charCodeAt(0)}</v></c>`).join('')}</row>`);
    expect(await refusal(rawWorkbook(rows.join('')))).toContain('its worksheets hold more than 200,000 cells');
  });

  it('GIVEN a cell outside Excel\'s grid THEN it is refused', async () => {
    expect(await refusal(rawWorkbook('<row r="1"><c r="A99999999"/></row>'))).toContain(`has a cell outside Excel's grid (A99999999)`);
  });
});

describe('too many rows', () => {
  it('GIVEN 10,000 filled rows THEN the file is refused with the limit', async () => {
    const wb = await open(await template('sandbox'), 'edit');
    const ws = wb.getWorksheet('Virtual Machine')!;
    for (let r = 2; r <= 10_001; r++) ws.getRow(r).values = [`vm-${r}`, 'local', '', 'small'];
    expect(await refusal(await save(wb))).toBe('upload.xlsx: it has 10,004 filled rows; at most 2,000 resources can be imported at once');
  });

  it('GIVEN 2,000 filled rows THEN they are all read', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({ name: `vm-${i}` }));
    const items = await parseResourceFile(await fillTemplate('sandbox', { 'Virtual Machine': rows }), 'big.xlsx');
    expect(items).toHaveLength(2000);
  });
});
