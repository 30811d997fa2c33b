import { ApplicationCommandOptionType } from 'discord.js';
import { command, projectOption } from './options.js';
import { comingSoon } from './reserved.js';

export const importCommand = comingSoon(command('cloud-import', 'Open a lobby with resources from a spreadsheet or JSON file', [
  projectOption(), { type: ApplicationCommandOptionType.Attachment, name: 'file', description: '.xlsx, .csv or .json with one resource per row', required: true },
]));
