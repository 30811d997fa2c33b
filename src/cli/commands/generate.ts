import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseProvider } from '../../resources/validate.js';
import { generateConfiguration } from '../../terraform/generate/index.js';
import { parseFlags, requireFlag } from '../args.js';
import { parseResources, readResourceItems } from '../resourcesFile.js';
import type { CliCommand } from '../types.js';

const usage = 'cloud-engine generate --provider <gcp|aws|azure|sandbox> --resources <file.json|.xlsx|.csv> --out <dir> [--project <id>]';

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Write the Terraform configuration a session would plan, without running Terraform',
  usage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, { provider: { type: 'string' }, resources: { type: 'string' }, out: { type: 'string' }, project: { type: 'string' } }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    const provider = parseProvider(requireFlag(values.provider, 'provider', usage));
    const specs = parseResources(await readResourceItems(requireFlag(values.resources, 'resources', usage)), provider).map((r) => r.spec);
    const out = resolve(requireFlag(values.out, 'out', usage));
    const generated = generateConfiguration(provider, specs, { project: values.project ?? 'cloud-engine' });
    mkdirSync(out, { recursive: true });
    for (const [name, content] of Object.entries(generated.files)) writeFileSync(join(out, name), content);
    ctx.io.out(`Wrote ${Object.keys(generated.files).sort().join(', ')} to ${out} (${specs.length} resources, ${provider})`);
    return 0;
  },
};
