import { command, providerOption } from './options.js';
import { comingSoon } from './reserved.js';

export const templateCommand = comingSoon(command('cloud-template', 'Download a spreadsheet template for bulk resources', [
  providerOption('Provider the template is for'),
]));
