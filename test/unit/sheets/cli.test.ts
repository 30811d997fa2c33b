import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderCliError } from '../../../src/cli/errors.js';
import { exportCommand } from '../../../src/cli/commands/export.js';
import { generateCommand } from '../../../src/cli/commands/generate.js';
import { templateCommand } from '../../../src/cli/commands/template.js';
import type { CliCommand, CliContext } from '../../../src/cli/types.js';
import { setDeployedResources } from '../../../src/db/sessions.js';
import { parseSpec } from '../../../src/resources/validate.js';
import { parseResourceFile, validateItems } from '../../../src/sheets/index.js';
import { sandboxProject, testApp, type TestApp, keyOf, sqlOf } from '../../helpers/app.js';
import { fillTemplate } from './helpers.js';

let t: TestApp;
let out: string[];
let err: string[];
let ctx: CliContext;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
  out = [];
  err = [];
  ctx = { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, config: t.app.config };
});
afterEach(() => t.cleanup());

/** Runs a command the way main() does: errors become text and an exit code. */
const run = async (command: CliCommand, argv: string[]) => command.run(argv, ctx).catch((e) => renderCliError(e, ctx.io));

describe('cloud-engine template', () => {
  it('GIVEN --help THEN it prints the usage', async () => {
    expect(await run(templateCommand, ['--help'])).toBe(0);
    expect(out).toEqual(['cloud-engine template --provider <gcp|aws|azure|sandbox> --out <file.xlsx>']);
  });

  it('GIVEN a provider and an .xlsx path THEN it writes that provider\'s template', async () => {
    const file = join(t.dir, 'gcp.xlsx');
    expect(await run(templateCommand, ['--provider', 'gcp', '--out', file])).toBe(0);
    expect(out[0]).toContain(`Wrote the GCP template to ${file}`);
    const items = await parseResourceFile(readFileSync(file), 'gcp.xlsx');
    expect(items.map((i) => i.provider)).toEqual(['gcp', 'gcp', 'gcp', 'gcp', 'gcp']);
  });

  it('GIVEN a path that is not .xlsx or an unknown provider THEN it refuses with exit code 1', async () => {
    expect(await run(templateCommand, ['--provider', 'gcp', '--out', join(t.dir, 'x.csv')])).toBe(1);
    expect(await run(templateCommand, ['--provider', 'ibm', '--out', join(t.dir, 'x.xlsx')])).toBe(1);
    expect(err.join('\n')).toContain("--out must end in .xlsx, got");
    expect(err.join('\n')).toContain("provider 'ibm' is not supported");
  });
});

describe('cloud-engine export', () => {
  const deployed = () => [
    parseSpec('sandbox', { type: 'vpc_network', name: 'net', subnets: [{ name: 'app', cidr: '10.0.1.0/24' }] }),
    parseSpec('sandbox', { type: 'compute_vm', name: 'web-1', machine_type: 'large' }),
  ];

  it('GIVEN --help THEN it prints the usage', async () => {
    expect(await run(exportCommand, ['--help'])).toBe(0);
    expect(out).toEqual(['cloud-engine export --project <id> --out <file.xlsx|file.csv>']);
  });

  it.each(['xlsx', 'csv'])('GIVEN a project with deployed resources THEN the .%s re-imports to the same specs', async (ext) => {
    (await setDeployedResources(sqlOf(t.app), keyOf('shop'), 'sandbox', deployed()));
    const file = join(t.dir, `shop.${ext}`);
    expect(await run(exportCommand, ['--project', 'shop', '--out', file])).toBe(0);
    expect(out[0]).toBe(`Wrote 2 deployed resource(s) of shop (sandbox) to ${file}`);
    const specs = validateItems('sandbox', await parseResourceFile(readFileSync(file), file));
    expect(specs).toStrictEqual(ext === 'csv' ? deployed() : [deployed()[1], deployed()[0]]);
  });

  it('GIVEN an unknown project THEN it says so and writes nothing', async () => {
    const file = join(t.dir, 'nope.xlsx');
    expect(await run(exportCommand, ['--project', 'nope', '--out', file])).toBe(4);
    expect(existsSync(file)).toBe(false);
  });
});

describe('resources files given to plan, apply and generate', () => {
  it('GIVEN a filled template THEN generate writes its Terraform', async () => {
    const file = join(t.dir, 'filled.xlsx');
    writeFileSync(file, await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1' }, { name: 'web-2' }] }));
    expect(await run(generateCommand, ['--provider', 'sandbox', '--resources', file, '--out', join(t.dir, 'tf')])).toBe(0);
    expect(out[0]).toContain('(2 resources, sandbox)');
  });

  it('GIVEN a template with a bad row THEN the error names the sheet, row and column', async () => {
    const file = join(t.dir, 'bad.xlsx');
    writeFileSync(file, await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1' }, { name: 'web-2', machine_type: 'xl' }] }));
    expect(await run(generateCommand, ['--provider', 'sandbox', '--resources', file, '--out', join(t.dir, 'tf')])).toBe(1);
    expect(err.join('\n')).toContain(`error: bad.xlsx: Sheet "Virtual Machine", row 3, column machine_type: machine_type 'xl' is not a Sandbox machine type`);
  });

  it('GIVEN a CSV or a missing file THEN it is read through the same parser', async () => {
    const file = join(t.dir, 'r.csv');
    writeFileSync(file, 'type,name\ncompute_vm,web-1\n');
    expect(await run(generateCommand, ['--provider', 'sandbox', '--resources', file, '--out', join(t.dir, 'tf')])).toBe(0);
    expect(await run(generateCommand, ['--provider', 'sandbox', '--resources', join(t.dir, 'gone.xlsx'), '--out', join(t.dir, 'tf')])).toBe(4);
  });
});
