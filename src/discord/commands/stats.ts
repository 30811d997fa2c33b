import { command, integerOption } from './options.js';
import { comingSoon } from './reserved.js';

/** Waits for getDeploymentStatistics (src/db/stats.ts) and renderDeploymentsChart (src/stats/chart.ts). */
export const statsCommand = comingSoon(command('cloud-stats', 'Deployment statistics for this server (admins)', [
  integerOption('days', 'Window in days (default 30)', false, 1, 365),
]));
