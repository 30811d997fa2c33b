import { renderDeploymentsChart } from '../../stats/chart.js';
import { respond } from '../respond.js';
import { CHART_FILE, statsEmbed } from '../views/stats.js';
import { command, integerOption } from './options.js';
import type { SlashCommand } from './types.js';

/** Server-wide statistics with a chart; the orchestrator enforces the server-admin rule. */
export const statsCommand: SlashCommand = {
  data: command('cloud-stats', 'Deployment statistics for this server (admins)', [
    integerOption('days', 'Window in days (default 30)', false, 1, 366),
  ]),
  async run(ctx, i, actor) {
    const stats = await ctx.orchestrator.statistics(actor, i.options.getInteger('days') ?? 30);
    await i.deferReply({ flags: 'Ephemeral' });
    await respond(i, { embeds: [statsEmbed(stats)], files: [{ name: CHART_FILE, data: await renderDeploymentsChart(stats, i.guild?.name ?? 'this server') }] });
  },
};
