import { command, integerOption, projectOption } from './options.js';
import { comingSoon } from './reserved.js';

export const gitLogCommand = comingSoon(command('cloud-git-log', "A project's deployment history (git log)", [
  projectOption(), integerOption('limit', 'How many commits (default 10)', false, 1, 50),
]));
