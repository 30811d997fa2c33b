import { command, projectOption } from './options.js';
import { comingSoon } from './reserved.js';

export const exportCommand = comingSoon(command('cloud-export', "Download a project's deployed resources as a file", [projectOption()]));
