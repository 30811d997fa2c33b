import { command, projectOption, stringOption } from './options.js';
import { comingSoon } from './reserved.js';

export const gitDiffCommand = comingSoon(command('cloud-git-diff', 'What changed between two deployments', [
  projectOption(), stringOption('from', 'Older commit or tag', true, 64), stringOption('to', 'Newer commit or tag (default: latest)', false, 64),
]));
