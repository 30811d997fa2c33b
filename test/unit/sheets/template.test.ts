import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGS } from '../../../src/resources/catalogs/index.js';
import { allowedFields } from '../../../src/resources/schemas.js';
import { PROVIDERS, RESOURCE_TYPES, RESOURCE_TYPE_LABELS, type Provider } from '../../../src/domain/resources.js';
import { parseSpec } from '../../../src/resources/validate.js';
import { buildTemplate, parseResourceFile, validateItems } from '../../../src/sheets/index.js';
import { columnsFor } from '../../../src/sheets/columns.js';
import { headers, open } from './helpers.js';

const SHEETS = RESOURCE_TYPES.map((t) => RESOURCE_TYPE_LABELS[t]);
type Rule = { type: string; formulae: unknown[]; allowBlank?: boolean; errorStyle?: string };

/** The rule on a column's first data cell, and proof it covers the rows a file may hold. */
function ruleOf(ws: ExcelJS.Worksheet, field: string): Rule | undefined {
  const col = headers(ws).indexOf(field) + 1;
  const model = (ws as unknown as { dataValidations: { model: Record<string, Rule> } }).dataValidations.model;
  const letter = ws.getColumn(col).letter;
  const rule = model[`${letter}2`];
  if (rule) expect(model[`${letter}2001`], `${ws.name}.${field} covers 2,000 rows`).toEqual(rule);
  return rule;
}

/** What a list rule offers: the inline values, or the cells of the hidden Lists sheet it points at. */
function listValues(wb: ExcelJS.Workbook, rule: Rule): string[] {
  const formula = String(rule.formulae[0]);
  if (formula.startsWith('"')) return formula.slice(1, -1).split(',');
  const m = /^Lists!\$([A-Z]+)\$(\d+):\$\1\$(\d+)$/.exec(formula);
  expect(m, `range formula ${formula}`).not.toBeNull();
  const lists = wb.getWorksheet('Lists')!;
  const values: string[] = [];
  for (let r = Number(m![2]); r <= Number(m![3]); r++) values.push(lists.getCell(`${m![1]}${r}`).text);
  return values;
}

describe.each(PROVIDERS)('the %s template', (provider: Provider) => {
  const c = CATALOGS[provider];
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = await open(await buildTemplate(provider));
  });

  it('GIVEN the workbook THEN it has the instructions, one sheet per resource type and a hidden lists sheet', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Instructions', ...SHEETS, ...(wb.getWorksheet('Lists') ? ['Lists'] : [])]);
    if (wb.getWorksheet('Lists')) expect(wb.getWorksheet('Lists')!.state).toBe('hidden');
    const intro = wb.getWorksheet('Instructions')!;
    expect(intro.getCell('A2').text).toBe('Provider');
    expect(intro.getCell('B2').text).toBe(provider);
  });

  it.each(RESOURCE_TYPES)('GIVEN the %s sheet THEN its headers are the type\'s fields, each with a note', (type) => {
    const ws = wb.getWorksheet(RESOURCE_TYPE_LABELS[type])!;
    expect(headers(ws)).toEqual(allowedFields(c, type).filter((f) => f !== 'type'));
    for (const [i, field] of headers(ws).entries()) {
      const note = ws.getCell(1, i + 1).note;
      const text = typeof note === 'string' ? note : (note?.texts ?? []).map((t) => t.text).join('');
      expect(text, `${type}.${field}`).toMatch(new RegExp(`^${field}: .{20,}`));
    }
  });

  it('GIVEN the example rows THEN each validates with parseSpec, and together they are a valid configuration', async () => {
    const items = await parseResourceFile(await buildTemplate(provider), 'template.xlsx');
    expect(items.map((i) => i.type)).toEqual([...RESOURCE_TYPES]);
    expect(validateItems(provider, items)).toEqual(items.map((i) => parseSpec(provider, i)));
  });

  it('GIVEN the drop-downs THEN they offer exactly the catalog values, long lists through the hidden sheet', () => {
    const vm = wb.getWorksheet('Virtual Machine')!;
    const db = wb.getWorksheet('Database')!;
    const bucket = wb.getWorksheet('Storage Bucket')!;
    const expectList = (ws: ExcelJS.Worksheet, field: string, values: string[]) => {
      const rule = ruleOf(ws, field)!;
      expect(rule.type, `${ws.name}.${field}`).toBe('list');
      expect(listValues(wb, rule), `${ws.name}.${field}`).toEqual(values);
      const inline = String(rule.formulae[0]).startsWith('"');
      expect(inline, `${field} inline only under 255 characters`).toBe(values.join(',').length <= 255);
    };
    expectList(vm, 'region', Object.keys(c.regions));
    const added: Record<Provider, string[]> = { aws: ['ap-southeast-1', 'sa-east-1', 'us-west-1'], gcp: ['asia-northeast1', 'australia-southeast1'], azure: ['japaneast', 'brazilsouth'], sandbox: ['remote'] };
    expect(listValues(wb, ruleOf(vm, 'region')!)).toEqual(expect.arrayContaining(added[provider]));
    expectList(vm, 'zone', [...new Set(Object.values(c.regions).flat())]);
    if (provider === 'azure') expect(listValues(wb, ruleOf(vm, 'zone')!)).toEqual(['1', '2', '3']);
    expectList(vm, 'machine_type', [...Object.keys(c.machineTypes), ...c.customFamilies.map((f) => `${f}-custom`)]);
    expectList(vm, 'disk_type', c.diskTypes);
    expectList(db, 'engine', ['postgres', 'mysql']);
    expectList(db, 'version', [...new Set([...c.dbVersions.postgres, ...c.dbVersions.mysql])]);
    expectList(db, 'tier', Object.keys(c.dbTiers));
    expectList(db, 'backups_enabled', ['TRUE', 'FALSE']);
    expectList(bucket, 'storage_class', c.storageClasses);
    expect(ruleOf(db, 'tier')!.errorStyle).toBe(provider === 'gcp' ? 'warning' : 'stop');
  });

  it('GIVEN the size columns THEN they take whole numbers in the catalog limits', () => {
    expect(ruleOf(wb.getWorksheet('Virtual Machine')!, 'disk_size_gb')).toMatchObject({ type: 'whole', formulae: [c.diskSizeGb.min, c.diskSizeGb.max] });
    expect(ruleOf(wb.getWorksheet('Database')!, 'storage_gb')).toMatchObject({ type: 'whole', formulae: [c.dbStorageGb.min, c.dbStorageGb.max] });
    expect(ruleOf(wb.getWorksheet('Firewall Rule')!, 'priority')).toMatchObject({ type: 'whole', formulae: [100, 4096] });
    expect(ruleOf(wb.getWorksheet('Virtual Machine')!, 'name')).toBeUndefined();
  });

  /** Fields another field constrains get that one reset, so each value is judged on its own. */
  const alone = (type: string, field: string, value: unknown): Record<string, unknown> => ({
    ...(field === 'region' && type === 'compute_vm' ? { zone: '' } : {}),
    ...(field === 'engine' ? { version: '' } : {}),
    ...(field === 'version' ? { engine: c.dbVersions.postgres.includes(String(value)) ? 'postgres' : 'mysql' } : {}),
    ...(value === 'icmp' || value === 'all' ? { ports: '' } : {}),
    ...(String(value).endsWith('-custom') ? { cpu: 2, memory_gb: 4 } : {}),
  });

  it('GIVEN every drop-down value and range edge THEN import accepts it, and just past the range it refuses', () => {
    for (const type of RESOURCE_TYPES) {
      const ws = wb.getWorksheet(RESOURCE_TYPE_LABELS[type])!;
      const example = Object.fromEntries(headers(ws).map((f, i) => [f, ws.getCell(2, i + 1).value]).filter(([f, v]) => v !== null && f !== 'subnets'));
      // cpu and memory_gb only make sense together with a machine type; validate.test.ts covers them.
      for (const field of headers(ws).filter((f) => f !== 'zone' && f !== 'cpu' && f !== 'memory_gb')) {
        const rule = ruleOf(ws, field);
        if (!rule) continue;
        const values = rule.type === 'list' ? listValues(wb, rule) : rule.formulae;
        for (const value of values) {
          expect(() => parseSpec(provider, { ...example, type, [field]: value, ...alone(type, field, value) }), `${type}.${field} = ${String(value)}`).not.toThrow();
        }
        if (rule.type === 'whole') {
          expect(() => parseSpec(provider, { ...example, type, [field]: Number(values[0]) - 1 }), `${type}.${field} below`).toThrow();
          expect(() => parseSpec(provider, { ...example, type, [field]: Number(values[1]) + 1 }), `${type}.${field} above`).toThrow();
        }
      }
    }
  });
});

describe('the zone column where a region has no zones', () => {
  it('GIVEN Azure, whose westus has no availability zones THEN the zone note says to leave it blank there; AWS notes no such region', () => {
    const note = (p: Provider) => columnsFor(p, 'compute_vm').find((col) => col.field === 'zone')!.note;
    expect(note('azure')).toBe("Zone inside the row's region. Blank = the region's first zone; leave it blank in westus (no zones).");
    expect(note('aws')).toBe("Zone inside the row's region. Blank = the region's first zone.");
  });
});
