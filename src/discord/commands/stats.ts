import { CoreError } from '../../core/errors.js';
import { getDeploymentStatistics } from '../../db/stats.js';
import { renderDeploymentsChart } from '../../stats/chart.js';
import { respond } from '../respond.js';
import { CHART_FILE, statsEmbed } from '../views/stats.js';
import { command, integerOption } from './options.js';
import type { SlashCommand } from './types.js';

/**
 * Server-wide statistics. The orchestrator has no statistics use case yet, so the server-admin
 * rule (the same one it applies to the guild-wide audit log) is checked here and the read-only
 * query is called directly.
 */
export const statsCommand: SlashCommand = {
  data: command('cloud-stats', 'Deployment statistics for this server (admins)', [
    integerOption('days', 'Window in days (default 30)', false, 1, 366),
  ]),
  async run(ctx, i, actor) {
    if (!actor.isGuildAdmin) throw new CoreError('forbidden', 'Only a server admin can read the statistics of the whole server.');
    await i.deferReply({ flags: 'Ephemeral' });
    const stats = getDeploymentStatistics(ctx.db, actor.guildId, i.options.getInteger('days') ?? 30);
    await respond(i, { embeds: [statsEmbed(stats)], files: [{ name: CHART_FILE, data: renderDeploymentsChart(stats.per_day) }] });
  },
};
