import { syncDriftThread } from '../driftThreads.js';
import { respond } from '../respond.js';
import { driftEmbed } from '../views/drift.js';
import { command, projectOption } from './options.js';
import type { SlashCommand } from './types.js';

/**
 * A refresh-only check runs Terraform for seconds: deferred, and answered privately to whoever asked. The
 * project's drift thread then follows what it found: opened in this channel (a thread's parent, when asked
 * in a thread) when the drift is new, updated when it is open, closed when it is gone.
 */
export const driftCommand: SlashCommand = {
  data: command('cloud-drift', 'Check a project for drift: what its cloud holds now against what was deployed', [projectOption()]),
  async run(ctx, i, actor) {
    await i.deferReply({ flags: 'Ephemeral' });
    const project = i.options.getString('project', true);
    const report = await ctx.orchestrator.detectDrift(actor, project);
    await respond(i, { embeds: [driftEmbed(project, report)], ephemeral: true });
    const channelId = i.channel?.isThread() ? i.channel.parentId ?? undefined : i.channelId;
    await syncDriftThread(ctx, report.projectId, channelId).catch((err: unknown) => ctx.log.warn({ err, projectId: report.projectId }, 'could not bring the drift thread up to date'));
  },
};
