import { respond } from '../respond.js';
import { command, projectOption, stringOption } from './options.js';
import type { SlashCommand } from './types.js';

export const gitTagCommand: SlashCommand = {
  data: command('cloud-git-tag', 'Tag a deployment, e.g. v1.0.0', [
    projectOption(), stringOption('tag', 'Tag name', true, 100), stringOption('commit', 'Commit to tag (default: latest)', false, 64),
  ]),
  async run(ctx, i, actor) {
    await i.deferReply();
    const project = i.options.getString('project', true);
    const { tag, commit } = await ctx.orchestrator.gitTag(actor, project, i.options.getString('tag', true), i.options.getString('commit') ?? undefined);
    await respond(i, { content: `🏷️ **${project}**: tagged \`${commit.slice(0, 7)}\` as **${tag}**.` });
  },
};
