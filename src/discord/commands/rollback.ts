import { showPlannedLobby } from '../plannedLobby.js';
import { command, projectOption, stringOption } from './options.js';
import type { SlashCommand } from './types.js';

/** Rollback opens a lobby holding the old configuration, already planned, for the team to review and approve. */
export const rollbackCommand: SlashCommand = {
  data: command('cloud-rollback', 'Plan a return to an earlier deployment (admins)', [
    projectOption(), stringOption('commit', 'Commit or tag to return to (see /cloud-git-log)', true, 64),
  ]),
  async run(ctx, i, actor) {
    await i.deferReply();
    const planned = ctx.orchestrator.rollback(actor, i.options.getString('project', true), i.options.getString('commit', true), i.channelId);
    await showPlannedLobby(ctx, i, actor, planned);
  },
};
