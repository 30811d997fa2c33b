import { ApplicationCommandOptionType } from 'discord.js';
import { command, projectOption, stringOption } from './options.js';
import { comingSoon } from './reserved.js';

export const gitRemoteCommand = comingSoon(command('cloud-git-remote', "Set the project repository's remote (admins)", [
  projectOption(), stringOption('url', 'Remote URL (https or ssh)', true, 500),
  { type: ApplicationCommandOptionType.Boolean, name: 'auto_push', description: 'Push after every deployment', required: false },
]));
