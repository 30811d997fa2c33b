import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CoreError } from '../../domain/errors.js';
import { exportCsv, exportProject } from '../../sheets/index.js';
import { parseFlags, requireFlag } from '../args.js';
import { projectScope } from '../operator.js';
import { withApp } from '../withApp.js';
import type { CliCommand } from '../types.js';

const usage = 'cloud-engine export --project <id> --out <file.xlsx|file.csv>';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: "Write a project's deployed configuration as a filled template (.xlsx) or CSV",
  usage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, { project: { type: 'string' }, guild: { type: 'string' }, out: { type: 'string' } }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    const projectId = requireFlag(values.project, 'project', usage);
    const out = resolve(requireFlag(values.out, 'out', usage));
    const csv = out.toLowerCase().endsWith('.csv');
    if (!csv && !out.toLowerCase().endsWith('.xlsx')) throw new CoreError('validation', `--out must end in .xlsx or .csv, got '${values.out}'.\nUsage: ${usage}`);
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: true }, async (app) => {
      const { actor, name } = await projectScope(app, projectId, values.guild);
      const { project, provider, specs } = await app.orchestrator.deployedResources(actor, name);
      writeFileSync(out, csv ? exportCsv(specs, provider) : await exportProject(specs, provider));
      ctx.io.out(`Wrote ${specs.length} deployed resource(s) of ${project.name} (${provider}) to ${out}`);
      return 0;
    });
  },
};
