import { ApplicationCommandOptionType } from 'discord.js';
import { respond } from '../respond.js';
import { command, projectOption, stringOption } from './options.js';
import type { SlashCommand } from './types.js';

/** The URL may carry credentials: the reply is ephemeral and never repeats it. */
export const gitRemoteCommand: SlashCommand = {
  data: command('cloud-git-remote', "Set the project repository's remote (admins)", [
    projectOption(), stringOption('url', 'Remote URL (https or ssh)', true, 500),
    { type: ApplicationCommandOptionType.Boolean, name: 'auto_push', description: 'Push after every deployment', required: false },
  ]),
  async run(ctx, i, actor) {
    await i.deferReply({ flags: 'Ephemeral' });
    const project = i.options.getString('project', true);
    const autoPush = i.options.getBoolean('auto_push') ?? false;
    const { pushed } = await ctx.orchestrator.gitRemote(actor, project, i.options.getString('url', true), autoPush);
    const push = !pushed ? 'Deployments are not pushed automatically.' : pushed.ok ? 'Pushed; every deployment will be pushed too.' : `⚠️ The first push failed: ${pushed.error ?? 'unknown error'}`;
    await respond(i, { content: `🔗 Remote set for **${project}**. ${push}` });
  },
};
