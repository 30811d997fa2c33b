import { CoreError } from '../../domain/errors.js';
import { numberFlag, parseFlags, requireFlag } from '../args.js';
import { operatorActor } from '../operator.js';
import { withApp } from '../withApp.js';
import type { CliCommand } from '../types.js';

const usage = 'cloud-engine project create <id> --provider <gcp|aws|azure|sandbox> --budget <usd per month> [--guild <id>] [--description <text>] [--ttl <7d|12h>]\n       cloud-engine project list [--json]';

export const projectCommand: CliCommand = {
  name: 'project',
  summary: 'Create or list projects',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, {
      provider: { type: 'string' }, budget: { type: 'string' }, guild: { type: 'string' }, description: { type: 'string' }, ttl: { type: 'string' }, json: { type: 'boolean' },
    }, usage);
    if (values.help || !positionals.length) return ctx.io.out(usage), values.help ? 0 : 1;
    const [sub, id] = positionals;
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: sub === 'list' }, async (app) => {
      if (sub === 'list') {
        const projects = await app.orchestrator.listProjects(operatorActor());
        if (values.json) ctx.io.out(JSON.stringify(projects, null, 2));
        else for (const p of projects) ctx.io.out(`${p.name.padEnd(24)} ${p.defaultProvider.padEnd(8)} budget $${(p.budgetLimitMicros / 1e6).toFixed(2)}/month  guild ${p.guildId}`);
        return 0;
      }
      if (sub !== 'create') throw new CoreError('validation', `unknown subcommand '${sub}'.\nUsage: ${usage}`);
      const project = await app.orchestrator.createProject(operatorActor(values.guild ?? 'local'), {
        id: requireFlag(id, 'id (positional)', usage), provider: requireFlag(values.provider, 'provider', usage),
        // Required: a silent $0 budget would refuse every apply as over budget.
        budgetUsd: numberFlag(requireFlag(values.budget, 'budget', usage), 'budget', 0, 10_000_000)!, ...(values.description ? { description: values.description } : {}),
        ...(values.ttl !== undefined ? { ttl: values.ttl } : {}),
      });
      ctx.io.out(values.json ? JSON.stringify(project, null, 2) : `Created project ${project.name} in server ${project.guildId} (${project.defaultProvider}, budget $${(project.budgetLimitMicros / 1e6).toFixed(2)}/month${values.ttl ? `, destroyed ${values.ttl} after its last apply` : ''})`);
      return 0;
    });
  },
};
