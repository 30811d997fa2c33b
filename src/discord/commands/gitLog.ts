import { respond } from '../respond.js';
import { gitLogMessage } from '../views/history.js';
import { command, integerOption, projectOption } from './options.js';
import type { SlashCommand } from './types.js';

export const gitLogCommand: SlashCommand = {
  data: command('cloud-git-log', "A project's deployment history (git log)", [
    projectOption(), integerOption('limit', 'How many commits (default 10)', false, 1, 50),
  ]),
  async run(ctx, i, actor) {
    await i.deferReply({ flags: 'Ephemeral' });
    const project = i.options.getString('project', true);
    const entries = await ctx.orchestrator.gitLog(actor, project, i.options.getInteger('limit') ?? 10);
    await respond(i, { content: gitLogMessage(project, entries) });
  },
};
