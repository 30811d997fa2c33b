import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderDeploymentsChart } from '../../stats/chart.js';
import { formatStatistics, statisticsScope } from '../../stats/format.js';
import { numberFlag, parseFlags } from '../args.js';
import { operatorActor } from '../operator.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

const usage = 'cloud-engine stats [--days <1-366>] [--guild <id>] [--json] [--chart <out.png>]';

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'Deployment statistics: outcomes, top users and resource types, a chart per day',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, { days: { type: 'string' }, guild: { type: 'string' }, json: { type: 'boolean' }, chart: { type: 'string' } }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    if (positionals.length) return ctx.io.err(`unexpected argument '${positionals[0]}'.\nUsage: ${usage}`), 1;
    const days = numberFlag(values.days, 'days', 1, 366) ?? 30;
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: true }, async (app) => {
      const stats = await app.orchestrator.statistics(operatorActor(), days, values.guild);
      ctx.io.out(values.json ? JSON.stringify(stats, null, 2) : formatStatistics(stats, values.guild).join('\n'));
      if (values.chart) {
        const path = resolve(values.chart);
        writeFileSync(path, await renderDeploymentsChart(stats, statisticsScope(values.guild)));
        // With --json, stdout stays pure JSON; the note goes to stderr.
        (values.json ? ctx.io.err : ctx.io.out)(`Chart written to ${path}`);
      }
      return 0;
    });
  },
};
