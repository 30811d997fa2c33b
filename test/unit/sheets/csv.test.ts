import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/domain/errors.js';
import { parseCsv, writeCsv } from '../../../src/sheets/csv.js';
import { parseResourceFile, validateItems } from '../../../src/sheets/index.js';
import { template } from './helpers.js';

const csv = (text: string) => Buffer.from(text, 'utf8');
const read = (text: string | Buffer) => parseResourceFile(typeof text === 'string' ? csv(text) : text, 'resources.csv');

async function refusal(run: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await run();
  } catch (e) {
    expect((e as CoreError).code).toBe('validation');
    return (e as CoreError).userMessage;
  }
  throw new Error('expected the file to be refused');
}

describe('RFC 4180 parsing', () => {
  it('GIVEN quoted fields with commas, doubled quotes and line breaks THEN each is one field', () => {
    expect(parseCsv('a,"b,c","say ""hi""","two\r\nlines"\r\nx,y,z,w\r\n')).toEqual([
      { row: 1, fields: ['a', 'b,c', 'say "hi"', 'two\r\nlines'] },
      { row: 2, fields: ['x', 'y', 'z', 'w'] },
    ]);
  });

  it('GIVEN LF, CRLF and a missing final line break THEN records end the same way', () => {
    expect(parseCsv('a,b\nc,d\r\ne,f').map((r) => r.fields)).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f']]);
    expect(parseCsv('a,\n')).toEqual([{ row: 1, fields: ['a', ''] }]);
  });

  it('GIVEN a quote left open or a stray quote THEN the row is named', () => {
    expect(() => parseCsv('a,b\n"c,d\n')).toThrow('row 2: a quoted field is never closed');
    expect(() => parseCsv('a,b"c\n')).toThrow('row 1: a quote inside an unquoted field');
    expect(() => parseCsv('"a"b\n')).toThrow('row 1: text after a closing quote');
  });

  it('GIVEN fields with commas, quotes or edge spaces THEN writing quotes exactly those, and reading gives them back', () => {
    const records = [['plain', 'a, b', 'say "hi"', ' padded', 'line\nbreak', '']];
    const text = writeCsv(records);
    expect(text).toBe('plain,"a, b","say ""hi"""," padded","line\nbreak",\r\n');
    expect(parseCsv(text).map((r) => r.fields)).toEqual(records);
  });
});

describe('reading a resources CSV', () => {
  it('GIVEN a BOM, CRLF, a type column and field columns THEN each record is one resource', async () => {
    const items = await read('\uFEFFtype,name,machine_type,ports,source_ranges,network\r\ncompute_vm,web-1,medium,,,\r\nfirewall_rule,web-in,,"80, 443",0.0.0.0/0,default\r\n');
    expect(validateItems('sandbox', items).map((s) => s.name)).toEqual(['web-1', 'web-in']);
    expect(validateItems('sandbox', items)[1]).toMatchObject({ ports: ['80', '443'], source_ranges: ['0.0.0.0/0'] });
  });

  it('GIVEN labels and public_access columns THEN quoted key=value pairs and yes/no are read; a bucket-only field on a VM names its column', async () => {
    const items = await read('type,name,labels,public_access\ncompute_vm,web-1,"owner=alice, environment=prod",\nstorage_bucket,site,,yes\nstorage_bucket,logs,team=data,no\n');
    expect(validateItems('sandbox', items).map((s) => [s.name, s.labels, (s as { public_access?: boolean }).public_access])).toEqual([
      ['web-1', { environment: 'prod', owner: 'alice' }, undefined], ['site', undefined, true], ['logs', { team: 'data' }, undefined],
    ]);
    const text = await refusal(async () => validateItems('sandbox', await read('type,name,public_access\ncompute_vm,web-1,yes\n')));
    expect(text).toContain(`Row 2, column public_access: unknown field 'public_access' for a Sandbox compute_vm`);
  });

  it('GIVEN a sheet label as the type THEN it is read as that type', async () => {
    const items = await read('Type,Name\nVirtual Machine,web-1\n');
    expect(items[0]).toMatchObject({ type: 'compute_vm', name: 'web-1' });
  });

  it('GIVEN formula-looking cells THEN they are plain text, refused by validation like any bad value', async () => {
    const items = await read(`type,name,image\ncompute_vm,"=HYPERLINK(""http://evil"")",\ncompute_vm,web-2,@SUM(A1)\n`);
    expect(items.map((i) => [i.name, i.image])).toEqual([['=HYPERLINK("http://evil")', undefined], ['web-2', '@SUM(A1)']]);
    const text = await refusal(() => validateItems('sandbox', items));
    expect(text).toContain(`Row 2, column name: name '=HYPERLINK("http://evil")' must be 2-63 characters`);
    expect(text).toContain(`Row 3, column image: image '@SUM(A1)' is not a known Sandbox image`);
  });

  it('GIVEN a type that does not exist THEN the row and column are named', async () => {
    const text = await refusal(async () => validateItems('sandbox', await read('type,name\nserver,web-1\n')));
    expect(text).toBe(`resources.csv: Row 2, column type: type 'server' is not a resource type; use one of compute_vm, database, vpc_network, storage_bucket, firewall_rule`);
  });

  it('GIVEN a field of another type on a row THEN it is refused as unknown for that type', async () => {
    const text = await refusal(async () => validateItems('sandbox', await read('type,name,engine\ncompute_vm,web-1,postgres\n')));
    expect(text).toContain(`Row 2, column engine: unknown field 'engine' for a Sandbox compute_vm`);
  });

  it('GIVEN empty lines between records THEN they are skipped and row numbers stay the file\'s', async () => {
    const items = await read('type,name,machine_type\n\ncompute_vm,web-1,small\n,,\ncompute_vm,web-2,tiny\n');
    expect(items).toHaveLength(2);
    expect(await refusal(() => validateItems('sandbox', items))).toContain(`Row 5, column machine_type: machine_type 'tiny'`);
  });

  it('GIVEN an unknown or missing header THEN the expected columns are named', async () => {
    expect(await refusal(() => read('type,name,colour\ncompute_vm,web-1,red\n'))).toContain(`Row 1, column 3: header 'colour' is not a field; columns: type, name and any of region, zone`);
    expect(await refusal(() => read('name,machine_type\nweb-1,small\n'))).toContain('the header row (row 1) has no type column');
    expect(await refusal(() => read('type,name,name\ncompute_vm,a,b\n'))).toContain('Row 1: column name appears twice');
  });

  it('GIVEN a value under no header THEN it is refused', async () => {
    expect(await refusal(() => read('type,name\ncompute_vm,web-1,surprise\n'))).toContain('Row 2: column 3 has a value but no header');
  });

  it('GIVEN an unclosed quote THEN the file is refused naming the row', async () => {
    expect(await refusal(() => read('type,name\ncompute_vm,"web-1\n'))).toBe('resources.csv: it is not valid CSV: row 2: a quoted field is never closed');
  });

  it('GIVEN an .xlsx renamed to .csv, binary or non-UTF-8 bytes THEN each says what it is', async () => {
    expect(await refusal(async () => read(await template('sandbox')))).toContain('it is a zip archive, not CSV text (an .xlsx renamed to .csv?)');
    expect(await refusal(() => read(Buffer.from([0x74, 0x79, 0x70, 0x65, 0x00, 0x01])))).toContain('it is a binary file, not CSV text');
    expect(await refusal(() => read(Buffer.from([0x74, 0xff, 0xfe, 0x41])))).toContain('it is not UTF-8 text');
  });

  it('GIVEN an empty file or 2,001 resources THEN the file is refused with why', async () => {
    expect(await refusal(() => read(''))).toContain('it is empty');
    const many = `type,name\n${Array.from({ length: 2001 }, (_, i) => `compute_vm,vm-${i}`).join('\n')}\n`;
    expect(await refusal(() => read(many))).toBe('resources.csv: it has 2,001 filled rows; at most 2,000 resources can be imported at once');
  });

  it('GIVEN a provider column THEN rows carry it, and a bogus one is refused where it is', async () => {
    const { declaredProvider } = await import('../../../src/sheets/index.js');
    expect(declaredProvider(await read('type,provider,name\ncompute_vm,aws,web-1\n'))).toBe('aws');
    expect(await refusal(async () => declaredProvider(await read('type,provider,name\ncompute_vm,aws,web-1\ncompute_vm,gcp,web-2\n')))).toContain('the file mixes providers (aws, gcp)');
    expect(await refusal(async () => declaredProvider(await read('type,provider,name\ncompute_vm,oracle,web-1\n')))).toContain(`Row 2, column provider: provider 'oracle' is not supported`);
  });
});
