import { respond } from '../respond.js';
import { driftEmbed } from '../views/drift.js';
import { command, projectOption } from './options.js';
import type { SlashCommand } from './types.js';

/** A refresh-only check runs Terraform for seconds: deferred, and answered privately to whoever asked. */
export const driftCommand: SlashCommand = {
  data: command('cloud-drift', 'Check a project for drift: what its cloud holds now against what was deployed', [projectOption()]),
  async run(ctx, i, actor) {
    await i.deferReply({ flags: 'Ephemeral' });
    const project = i.options.getString('project', true);
    await respond(i, { embeds: [driftEmbed(project, await ctx.orchestrator.detectDrift(actor, project))], ephemeral: true });
  },
};
