import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/domain/errors.js';
import { parseResourceFile, validateItems } from '../../../src/sheets/index.js';
import { fillTemplate, open, save, template } from './helpers.js';

/** The error a file gets: message plus every detail line, as a user reads it. */
async function refusal(run: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    expect((e as CoreError).code).toBe('validation');
    return (e as CoreError).userMessage;
  }
  throw new Error('expected the file to be refused');
}

const read = (buf: Buffer, name = 'resources.xlsx') => parseResourceFile(buf, name);
const specsOf = async (buf: Buffer) => validateItems('sandbox', await read(buf));

describe('reading a filled template', () => {
  it('GIVEN rows on several sheets THEN each row is one item of its sheet\'s type, in sheet order', async () => {
    const buf = await fillTemplate('sandbox', {
      'Virtual Machine': [{ name: 'web-1', machine_type: 'medium' }, { name: 'web-2', disk_size_gb: 50 }],
      'Storage Bucket': [{ name: 'assets', storage_gb: 100, versioning: true }],
    });
    const specs = await specsOf(buf);
    expect(specs.map((s) => [s.type, s.name])).toEqual([['compute_vm', 'web-1'], ['compute_vm', 'web-2'], ['storage_bucket', 'assets']]);
    expect(specs[0]).toMatchObject({ machine_type: 'medium', zone: 'local-a', disk_size_gb: 20 });
    expect(specs[2]).toMatchObject({ versioning: true, storage_gb: 100, lifecycle_days: null });
  });

  it('GIVEN numbers typed as text THEN they are read like numbers; GIVEN a number in a text column THEN it is read as text', async () => {
    const buf = await fillTemplate('azure', { 'Virtual Machine': [{ name: 'web-1', disk_size_gb: ' 100 ', zone: 2 }] });
    expect(validateItems('azure', await read(buf))[0]).toMatchObject({ disk_size_gb: 100, zone: '2' });
  });

  it('GIVEN labels as key=value text and public_access as TRUE, yes or blank THEN each row carries them; blank is no field', async () => {
    const buf = await fillTemplate('gcp', {
      'Virtual Machine': [{ name: 'web-1', labels: 'owner=alice, environment=prod' }, { name: 'web-2' }],
      'Storage Bucket': [{ name: 'site', public_access: true, labels: 'owner=web' }, { name: 'media', public_access: 'yes' }, { name: 'logs', public_access: false }, { name: 'tmp' }],
    });
    const specs = validateItems('gcp', await read(buf)) as unknown as Array<Record<string, unknown>>;
    expect(specs.map((s) => [s.name, s.labels, s.public_access])).toEqual([
      ['web-1', { environment: 'prod', owner: 'alice' }, undefined], ['web-2', undefined, undefined],
      ['site', { owner: 'web' }, true], ['media', undefined, true], ['logs', undefined, undefined], ['tmp', undefined, undefined],
    ]);
    for (const s of specs.filter((x) => x.name !== 'web-1' && x.name !== 'site')) expect(Object.keys(s)).not.toContain('labels');
  });

  it('GIVEN bad labels or a bad public_access THEN each problem names its sheet, row and column and what is allowed', async () => {
    const buf = await fillTemplate('aws', {
      Database: [{ name: 'db-1', labels: 'Owner=alice' }],
      'Storage Bucket': [{ name: 'site', public_access: 'maybe' }, { name: 'logs', labels: 'owner' }],
    });
    const text = await refusal(async () => validateItems('aws', await read(buf)));
    expect(text).toContain(`Sheet "Database", row 2, column labels: labels: key 'Owner' must be 1-63 characters: lowercase letters, digits, _ and -, starting with a letter`);
    expect(text).toContain(`Sheet "Storage Bucket", row 2, column public_access: public_access must be true or false (yes/no), got 'maybe'`);
    expect(text).toContain(`Sheet "Storage Bucket", row 3, column labels: labels: 'owner' must be key=value, e.g. owner=alice, environment=dev`);
  });

  it('GIVEN a hyperlink THEN its text is imported and the link ignored', async () => {
    const buf = await fillTemplate('sandbox', { 'Virtual Machine': [{ name: { text: 'web-1', hyperlink: 'https://evil.example/' } }] });
    expect((await specsOf(buf))[0]!.name).toBe('web-1');
  });

  it('GIVEN empty rows in the middle THEN they are skipped and errors keep Excel\'s row numbers', async () => {
    const buf = await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1' }, {}, {}, { name: 'web-2', machine_type: 'huge' }] });
    const items = await read(buf);
    expect(items).toHaveLength(2);
    expect(await refusal(() => validateItems('sandbox', items))).toContain(`Sheet "Virtual Machine", row 5, column machine_type: machine_type 'huge' is not a Sandbox machine type`);
  });

  it('GIVEN several bad values THEN every one is reported with its sheet, row and column, and nothing is returned', async () => {
    const buf = await fillTemplate('sandbox', {
      'Virtual Machine': [{ name: 'Web_1' }, { name: 'web-2', disk_size_gb: 0 }],
      Database: [{ name: 'db-1', engine: 'oracle' }],
    });
    const text = await refusal(() => specsOf(buf));
    expect(text).toMatch(/^resources\.xlsx: 3 problems; nothing was imported/);
    expect(text).toContain(`Sheet "Virtual Machine", row 2, column name: name 'Web_1' must be 2-63 characters`);
    expect(text).toContain('Sheet "Virtual Machine", row 3, column disk_size_gb: disk_size_gb must be a whole number from 1 to 16384 GB');
    expect(text).toContain(`Sheet "Database", row 2, column engine: engine 'oracle' is not a supported database engine`);
  });

  it('GIVEN the same name on two sheets THEN the second names the first', async () => {
    const buf = await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1' }], Database: [{ name: 'web-1' }] });
    expect(await refusal(() => specsOf(buf))).toContain(`Sheet "Database", row 2, column name: name 'web-1' is already used by Sheet "Virtual Machine", row 2`);
  });

  it('GIVEN a firewall rule naming a network that is not in the file THEN the configuration check says so', async () => {
    const buf = await fillTemplate('sandbox', { 'Firewall Rule': [{ name: 'ssh', network: 'nowhere', ports: '22', source_ranges: '10.0.0.0/8' }] });
    expect(await refusal(() => specsOf(buf))).toContain(`network 'nowhere' is not a vpc_network in this project`);
  });
});

describe('cells a template cannot import', () => {
  it('GIVEN a formula THEN it is refused naming the cell, even with a cached result', async () => {
    const buf = await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1', disk_size_gb: { formula: '10*2', result: 20 } }] });
    expect(await refusal(() => read(buf))).toContain('Sheet "Virtual Machine", row 2, column disk_size_gb: cell E2 holds a formula (=10*2); formulas are not imported');
  });

  it('GIVEN a date in a numeric column THEN it is refused naming the cell', async () => {
    const buf = await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1', disk_size_gb: new Date('2026-01-05T00:00:00Z') }] });
    expect(await refusal(() => read(buf))).toContain('Sheet "Virtual Machine", row 2, column disk_size_gb: cell E2 is a date (2026-01-05)');
  });

  it('GIVEN an error value THEN it is refused naming the cell', async () => {
    const buf = await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1', machine_type: { error: '#N/A' } }] });
    expect(await refusal(() => read(buf))).toContain('column machine_type: cell D2 shows the error #N/A');
  });

  it('GIVEN merged cells THEN the file is refused naming the range', async () => {
    const buf = await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1' }, { name: 'web-2' }] }, (wb) => wb.getWorksheet('Virtual Machine')!.mergeCells('C2:C3'));
    expect(await refusal(() => read(buf))).toContain('Sheet "Virtual Machine": merged cells C2:C3 are not allowed');
  });

  it('GIVEN a value outside the template\'s columns THEN it is refused rather than silently dropped', async () => {
    const buf = await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1' }] }, (wb) => void (wb.getWorksheet('Virtual Machine')!.getCell('L2').value = 'note to self'));
    expect(await refusal(() => read(buf))).toContain('Sheet "Virtual Machine", row 2, column L: cell L2 is outside the template\'s columns');
  });

  it('GIVEN subnets not written as name:cidr THEN the cell is refused with the expected form', async () => {
    const buf = await fillTemplate('sandbox', { 'VPC Network': [{ name: 'net', subnets: 'app 10.0.1.0/24' }] });
    expect(await refusal(() => read(buf))).toContain(`Sheet "VPC Network", row 2, column subnets: subnets entry 'app 10.0.1.0/24' must be name:cidr`);
  });
});

describe('a workbook that is not a template', () => {
  const edited = async (edit: (wb: Awaited<ReturnType<typeof open>>) => void) => {
    const wb = await open(await template('sandbox'), 'edit');
    edit(wb);
    return save(wb);
  };

  it('GIVEN a renamed sheet THEN the error names it and the expected sheets', async () => {
    const text = await refusal(async () => read(await edited((wb) => void (wb.getWorksheet('Database')!.name = 'DBs'))));
    expect(text).toContain('Sheet "DBs" is not part of the template; expected sheets: Virtual Machine, Database, VPC Network, Storage Bucket, Firewall Rule');
    expect(text).toContain('missing sheet(s) "Database"');
  });

  it('GIVEN a renamed header THEN the error names it and the expected headers', async () => {
    const text = await refusal(async () => read(await edited((wb) => void (wb.getWorksheet('Virtual Machine')!.getCell('D1').value = 'machine type'))));
    expect(text).toContain(`Sheet "Virtual Machine", column D: header 'machine type' is not a Virtual Machine field; expected headers: name, region, zone, machine_type`);
    expect(text).toContain('Sheet "Virtual Machine": missing column(s) machine_type');
  });

  it('GIVEN a deleted column THEN the missing header is named', async () => {
    const text = await refusal(async () => read(await edited((wb) => wb.getWorksheet('Database')!.spliceColumns(4, 1))));
    expect(text).toContain('Sheet "Database": missing column(s) version');
  });

  it('GIVEN a provider that does not exist on the Instructions sheet THEN it is refused where it is written', async () => {
    const text = await refusal(async () => read(await edited((wb) => void (wb.getWorksheet('Instructions')!.getCell('B2').value = 'oracle-cloud'))));
    expect(text).toContain(`Sheet "Instructions", row 2, column B: provider 'oracle-cloud' is not supported`);
  });

  it('GIVEN no Instructions sheet THEN rows still read, with any provider\'s fields', async () => {
    const buf = await edited((wb) => wb.removeWorksheet(wb.getWorksheet('Instructions')!.id));
    const items = await read(buf);
    expect(items.every((i) => i.provider === undefined)).toBe(true);
    expect(validateItems('sandbox', items)).toHaveLength(5);
  });
});
