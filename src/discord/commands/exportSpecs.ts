import { exportProject } from '../../sheets/index.js';
import { respond } from '../respond.js';
import { command, projectOption } from './options.js';
import type { SlashCommand } from './types.js';

/** A project's deployed configuration as a filled template, which re-imports to the same specs. */
export const exportCommand: SlashCommand = {
  data: command('cloud-export', "Download a project's deployed resources as a file", [projectOption()]),
  async run(ctx, i, actor) {
    const { project, provider, specs } = await ctx.orchestrator.deployedResources(actor, i.options.getString('project', true));
    await i.deferReply({ flags: 'Ephemeral' });
    await respond(i, {
      content: `📦 **${project.name}** runs ${specs.length} resource(s) on ${provider}. Edit the file and \`/cloud-import\` it to change the project.`,
      files: [{ name: `${project.name}-resources.xlsx`, data: await exportProject(specs, provider) }],
    });
  },
};
