import { command, projectOption, stringOption } from './options.js';
import { comingSoon } from './reserved.js';

export const gitTagCommand = comingSoon(command('cloud-git-tag', 'Tag a deployment, e.g. v1.0.0', [
  projectOption(), stringOption('tag', 'Tag name', true, 100), stringOption('commit', 'Commit to tag (default: latest)', false, 64),
]));
