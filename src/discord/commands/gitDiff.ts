import { respond } from '../respond.js';
import { gitDiffMessage } from '../views/history.js';
import { command, projectOption, stringOption } from './options.js';
import type { SlashCommand } from './types.js';

export const gitDiffCommand: SlashCommand = {
  data: command('cloud-git-diff', 'What changed between two deployments', [
    projectOption(), stringOption('from', 'Older commit or tag', true, 64), stringOption('to', 'Newer commit or tag (default: the latest commit)', false, 64),
  ]),
  async run(ctx, i, actor) {
    await i.deferReply({ flags: 'Ephemeral' });
    const project = i.options.getString('project', true);
    // Without `to`, from `from` to the latest commit, as the option says (the CLI's `git diff <from>` shows what `from` changed).
    const diff = await ctx.orchestrator.gitDiff(actor, project, i.options.getString('from', true), i.options.getString('to') ?? 'HEAD');
    await respond(i, gitDiffMessage(project, diff));
  },
};
