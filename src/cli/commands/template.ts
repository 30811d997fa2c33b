import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CoreError } from '../../domain/errors.js';
import { PROVIDER_LABELS } from '../../domain/resources.js';
import { parseProvider } from '../../resources/validate.js';
import { buildTemplate } from '../../sheets/index.js';
import { parseFlags, requireFlag } from '../args.js';
import type { CliCommand } from '../types.js';

const usage = 'cloud-engine template --provider <gcp|aws|azure|sandbox> --out <file.xlsx>';

export const templateCommand: CliCommand = {
  name: 'template',
  summary: 'Write an .xlsx template for bulk resources (drop-downs, notes, an example row per type)',
  usage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, { provider: { type: 'string' }, out: { type: 'string' } }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    const provider = parseProvider(requireFlag(values.provider, 'provider', usage));
    const out = resolve(requireFlag(values.out, 'out', usage));
    if (!out.toLowerCase().endsWith('.xlsx')) throw new CoreError('validation', `--out must end in .xlsx, got '${values.out}'.\nUsage: ${usage}`);
    writeFileSync(out, await buildTemplate(provider));
    ctx.io.out(`Wrote the ${PROVIDER_LABELS[provider]} template to ${out}. Fill it, then: cloud-engine plan --project <id> --resources ${out}`);
    return 0;
  },
};
