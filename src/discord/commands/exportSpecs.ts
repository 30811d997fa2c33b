import { listDeployedResources } from '../../db/sessions.js';
import { exportProject } from '../../sheets/index.js';
import { respond } from '../respond.js';
import { command, projectOption } from './options.js';
import type { SlashCommand } from './types.js';

/**
 * A project's deployed configuration as a filled template, which re-imports to the same specs.
 * The orchestrator has no read of the deployed specs yet: projectCost checks the actor may view
 * the project (and names its provider), then the read-only query is called directly, as /cloud-stats does.
 */
export const exportCommand: SlashCommand = {
  data: command('cloud-export', "Download a project's deployed resources as a file", [projectOption()]),
  async run(ctx, i, actor) {
    const { project, provider } = ctx.orchestrator.projectCost(actor, i.options.getString('project', true));
    await i.deferReply({ flags: 'Ephemeral' });
    const specs = listDeployedResources(ctx.db, project.id).map((d) => d.spec);
    await respond(i, {
      content: `📦 **${project.id}** runs ${specs.length} resource(s) on ${provider}. Edit the file and \`/cloud-import\` it to change the project.`,
      files: [{ name: `${project.id}-resources.xlsx`, data: await exportProject(specs, provider) }],
    });
  },
};
